// 3. The az calls of a fully specified non-interactive setup, of a re-run on the configured project and
// of verify, against a fake az that takes 300 ms per call so the structure shows: how many, how many
// deep (the longest chain of calls where each had to wait for the one before), and wall time against
// the sum of the calls' own time.
// 4. The reference: the seed's manual sequence of four az commands, run one after the other.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  ACCOUNT_ID,
  BIN,
  FULL,
  NODE,
  baseWorld,
  commandOf,
  createFakeAz,
  criticalPath,
  fmtNum,
  fmtStats,
  isCredentialCall,
  isWriteCall,
  log,
  ownTime,
  pointFirstAccountAt,
  stats,
  tempDir,
  timed,
} from './lib.mjs';
import { startAoai } from './aoai-client.mjs';

/** @typedef {import('./lib.mjs').AzCall} AzCall */
/** @typedef {import('./lib.mjs').FakeAz} FakeAz */
/** A run and its az calls; startedEpoch (Date.now() at the spawn) for a CLI run. @typedef {{ ms: number, calls: AzCall[], startedEpoch?: number }} CallsRun */

const DELAY = 300;
const TARGET_DEPTH = 3;
const TARGET_CALLS = 5;

/** One CLI run with its az calls (the log is cleared first). @param {FakeAz} az @param {string[]} args @param {string} cwd */
async function cliRun(az, args, cwd) {
  az.clearCalls();
  const startedEpoch = Date.now();
  const r = await timed(NODE, [BIN, ...args], { env: az.env(), cwd, timeoutMs: 120_000 });
  let doc;
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    doc = undefined;
  }
  if (r.code !== 0 || !doc?.ok)
    throw new Error(`aoai-keyless ${args.join(' ')} exited ${r.code}:\n${r.stderr.slice(-2000)}`);
  return { ms: r.ms, startedEpoch, calls: az.calls(), doc };
}

/** The seed's way: the four az commands of the README a person types, one after the other. @param {FakeAz} az */
async function manualSequence(az) {
  az.clearCalls();
  const env = az.env();
  const t0 = performance.now();
  const az1 = async (/** @type {string[]} */ ...args) => {
    const r = await timed('az', args, { env });
    if (r.code !== 0) throw new Error(`az ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const me = await az1('ad', 'signed-in-user', 'show', '--query', 'id', '-o', 'tsv');
  const id = await az1(
    'cognitiveservices',
    'account',
    'show',
    '--name',
    'contoso-aoai',
    '--resource-group',
    'rg-aoai',
    '--query',
    'id',
    '-o',
    'tsv',
  );
  if (id !== ACCOUNT_ID) throw new Error(`manual sequence: unexpected account id ${id}`);
  await az1(
    'role',
    'assignment',
    'create',
    '--assignee',
    me,
    '--role',
    'Cognitive Services OpenAI User',
    '--scope',
    id,
  );
  const endpoint = await az1(
    'cognitiveservices',
    'account',
    'show',
    '--name',
    'contoso-aoai',
    '--resource-group',
    'rg-aoai',
    '--query',
    'properties.endpoint',
    '-o',
    'tsv',
  );
  if (!endpoint) throw new Error('manual sequence: no endpoint');
  return { ms: performance.now() - t0, calls: az.calls() };
}

/** @param {CallsRun} run */
function analyse(run) {
  const sorted = [...run.calls].sort((a, b) => a.start - b.start);
  const firstCred = sorted.findIndex(isCredentialCall);
  const before = firstCred < 0 ? sorted : sorted.slice(0, firstCred);
  const verification = firstCred < 0 ? [] : sorted.slice(firstCred);
  return {
    ms: run.ms,
    total: run.calls.length,
    before: before.length,
    beforePath: criticalPath(before),
    verification: verification.map(commandOf),
    path: criticalPath(run.calls),
    own: ownTime(run.calls),
    writes: run.calls.filter(isWriteCall).map(commandOf),
    // From the spawn to the start of the verification's first az call: role assigned and .env written.
    untilVerificationMs:
      firstCred < 0 || run.startedEpoch === undefined
        ? undefined
        : /** @type {AzCall} */ (sorted[firstCred]).start - run.startedEpoch,
  };
}

/** The same number in every run, or "lo–hi" when runs disagree. @param {number[]} xs */
function span(xs) {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

/** @param {CallsRun[]} runs */
function summary(runs) {
  const a = runs.map(analyse);
  const first = /** @type {ReturnType<typeof analyse>} */ (a[0]);
  const longest = a.reduce((m, x) => (x.beforePath.length > m.beforePath.length ? x : m), first);
  const longestAll = a.reduce((m, x) => (x.path.length > m.path.length ? x : m), first);
  return {
    a,
    total: span(a.map((x) => x.total)),
    before: span(a.map((x) => x.before)),
    maxBefore: Math.max(...a.map((x) => x.before)),
    beforeDepth: span(a.map((x) => x.beforePath.length)),
    maxBeforeDepth: longest.beforePath.length,
    beforeChain: longest.beforePath.chain.join(' → '),
    depth: span(a.map((x) => x.path.length)),
    chain: longestAll.path.chain.join(' → '),
    verification: first.verification,
    writes: [...new Set(a.flatMap((x) => x.writes))],
    wall: stats(a.map((x) => x.ms)),
    own: stats(a.map((x) => x.own)),
    until: a.every((x) => x.untilVerificationMs !== undefined)
      ? stats(a.map((x) => x.untilVerificationMs ?? NaN))
      : undefined,
  };
}

/** @param {string} [endpoint] */
function freshWorld(endpoint) {
  const w = baseWorld({ azDelayMs: DELAY });
  if (endpoint) pointFirstAccountAt(w, endpoint);
  return w;
}

export async function azCalls({ rounds = 3 } = {}) {
  log(
    `az calls: ${rounds} rounds of the manual sequence / setup / setup re-run / verify, fake az ${DELAY} ms per call`,
  );
  const setupAz = createFakeAz(freshWorld(), 'setup');
  const manualAz = createFakeAz(freshWorld(), 'manual');
  const aoai = await startAoai(setupAz.worldPath);
  const endpoint = aoai.endpointFor('contoso-aoai');
  const manual = [];
  const fresh = [];
  const rerun = [];
  const verify = [];
  let rerunCreates = 0;
  const rerunStatus = new Set();
  try {
    for (let i = 0; i < rounds; i++) {
      manualAz.setWorld(freshWorld());
      manual.push(await manualSequence(manualAz));

      setupAz.setWorld(freshWorld(endpoint));
      const cwd = join(tempDir('setup'), 'project');
      mkdirSync(cwd);
      const first = await cliRun(setupAz, [...FULL, '--json'], cwd);
      if (first.doc.roleAssignment?.status !== 'created')
        throw new Error(`setup: role assignment ${first.doc.roleAssignment?.status}, expected created`);
      if (first.doc.verify?.ok !== true) throw new Error('setup: verification did not succeed');
      fresh.push(first);

      const again = await cliRun(setupAz, [...FULL, '--json'], cwd);
      rerunStatus.add(String(again.doc.roleAssignment?.status));
      rerunCreates += again.calls.filter((c) => commandOf(c) === 'role assignment create').length;
      rerun.push(again);

      verify.push(await cliRun(setupAz, ['verify', '--json'], cwd));
    }
    const served = await aoai.requests();
    if (served.filter((/** @type {{ status: number }} */ r) => r.status === 200).length < rounds * 3)
      throw new Error(`fake AOAI answered ${served.length} requests, expected ${rounds * 3} chat completions`);
  } finally {
    await aoai.close();
  }

  const m = summary(manual);
  const s = summary(fresh);
  const r = summary(rerun);
  const v = summary(verify);
  const wallVsOwn = (/** @type {{ wall: import('./lib.mjs').Stats, own: import('./lib.mjs').Stats }} */ x) =>
    `wall ${fmtStats(x.wall)} vs Σ az own ${fmtNum(x.own.median)} ms`;
  const seedRef = `seed's way: ${m.total} calls, ${m.depth} deep`;
  const rows = [
    [
      '3. az calls',
      'setup (new project): az calls before verification',
      s.before,
      seedRef,
      `target ≤ ${TARGET_CALLS}`,
      s.maxBefore <= TARGET_CALLS ? 'PASS' : 'FAIL',
    ],
    [
      '3. az calls',
      'setup (new project): critical path before verification',
      `${s.beforeDepth} deep: ${s.beforeChain}`,
      `seed's way: ${m.depth} deep`,
      `target ≤ ${TARGET_DEPTH}`,
      s.maxBeforeDepth <= TARGET_DEPTH ? 'PASS' : 'FAIL',
    ],
    [
      '3. az calls',
      'setup (new project): az calls of the verification',
      `${s.verification.length}: ${s.verification.join(', ') || '-'}`,
      '',
      `${s.total} in all, ${s.depth} deep`,
      'info',
    ],
    [
      '3. az calls',
      'setup (new project): wall vs Σ az own time',
      wallVsOwn(s),
      `seed's way: wall ${fmtStats(m.wall)}`,
      `wall/Σ ${(s.wall.median / s.own.median).toFixed(2)}`,
      'info',
    ],
    [
      '3. az calls',
      'setup (new project): until the role is assigned and .env written (spawn → verification starts)',
      fmtStats(s.until),
      `seed's way (4 commands, no .env): ${fmtNum(m.wall.median)} ms`,
      s.until ? `${(s.until.median / m.wall.median).toFixed(2)}x` : '',
      'info',
    ],
    [
      '3. az calls',
      'setup re-run (configured project): az calls before verification',
      r.before,
      `${r.total} in all`,
      `${r.beforeDepth} deep: ${r.beforeChain}`,
      'info',
    ],
    [
      '3. az calls',
      'setup re-run: write calls (role assignment create…)',
      r.writes.length === 0 ? '0' : r.writes.join(', '),
      `roleAssignment.status: ${[...rerunStatus].join(', ')}`,
      'target 0',
      r.writes.length === 0 && rerunCreates === 0 && [...rerunStatus].every((x) => x === 'existing') ? 'PASS' : 'FAIL',
    ],
    [
      '3. az calls',
      'setup re-run: wall vs Σ az own time',
      wallVsOwn(r),
      '',
      `wall/Σ ${(r.wall.median / r.own.median).toFixed(2)}`,
      'info',
    ],
    [
      '3. az calls',
      'verify (configured project): az calls',
      `${v.total}: ${[...new Set(v.a.flatMap((x) => x.verification))].join(', ') || '-'}`,
      '',
      `${v.depth} deep`,
      'info',
    ],
    [
      '3. az calls',
      'verify: wall vs Σ az own time',
      wallVsOwn(v),
      '',
      `wall − Σ ${Math.round(v.wall.median - v.own.median)} ms`,
      'info',
    ],
    [
      '4. seed reference',
      'manual az sequence (4 commands, sequential): calls / depth',
      `${m.total} calls, ${m.depth} deep: ${m.chain}`,
      '',
      'reference',
      'info',
    ],
    [
      '4. seed reference',
      'manual az sequence: wall vs Σ az own time',
      wallVsOwn(m),
      '',
      `wall/Σ ${(m.wall.median / m.own.median).toFixed(2)}`,
      'info',
    ],
  ];
  return { rows, detail: { manual: m, setup: s, rerun: r, verify: v } };
}
