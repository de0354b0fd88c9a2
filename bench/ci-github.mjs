// 3. The az calls of `ci github` against a fake az at 300 ms per call and the fake gh (test/fake-gh): a first
// run (identity, credential and role created) and a re-run (everything in place): how many az calls, how
// many deep (the longest chain where each waited for the one before), the writes, and wall time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BIN,
  FULL,
  NODE,
  ROOT,
  baseWorld,
  commandOf,
  createFakeAz,
  criticalPath,
  fmtStats,
  isWriteCall,
  log,
  stats,
  tempDir,
  timed,
} from './lib.mjs';

const DELAY = 300;
/** lookups (sign-in, account, deployments, role list) → identity and credentials → create identity → credential and role together. */
const TARGET_FIRST_DEPTH = 4;
const TARGET_RERUN_DEPTH = 2;

/** The pretend GitHub of test/support/fake-gh.ts baseGitHub(): one repository, gh signed in. */
function github() {
  const repo = {
    id: 821093847,
    name: 'payments-api',
    full_name: 'contoso/payments-api',
    owner: { login: 'contoso', id: 5544123, type: 'Organization' },
    default_branch: 'main',
    visibility: 'private',
    created_at: '2024-03-01T10:00:00Z',
    variables: {},
    environments: {},
  };
  return { signedIn: true, login: 'alice', currentRepo: repo.full_name, repos: { [repo.full_name]: repo }, orgs: {} };
}

/** @param {import('./lib.mjs').FakeAz} az @param {Record<string, string>} env @param {string} cwd */
async function ciRun(az, env, cwd) {
  az.clearCalls();
  const r = await timed(NODE, [BIN, 'ci', 'github', ...FULL, '--repo', 'contoso/payments-api', '--json'], {
    env,
    cwd,
    timeoutMs: 120_000,
  });
  if (r.code !== 0) throw new Error(`ci github exited ${r.code}:\n${r.stderr.slice(-2000)}`);
  const calls = az.calls();
  return { ms: r.ms, calls: calls.length, path: criticalPath(calls), writes: calls.filter(isWriteCall).map(commandOf) };
}

export async function ciGithub({ rounds = 3 } = {}) {
  log(`ci github: ${rounds} rounds of a first run and a re-run, fake az ${DELAY} ms per call`);
  const first = [];
  const again = [];
  for (let i = 0; i < rounds; i++) {
    const az = createFakeAz(baseWorld({ azDelayMs: DELAY }), 'ci');
    const dir = tempDir('ci-gh');
    const state = join(dir, 'github.json');
    writeFileSync(state, JSON.stringify(github()));
    const env = az.env({ PATH: [join(ROOT, 'test', 'fake-gh'), az.env().PATH].join(':'), FAKE_GH_STATE: state });
    const cwd = join(dir, 'project');
    mkdirSync(cwd);
    first.push(await ciRun(az, env, cwd));
    again.push(await ciRun(az, env, cwd));
  }
  /** @typedef {Awaited<ReturnType<typeof ciRun>>} CiRun */
  const depth = (/** @type {CiRun[]} */ xs) => Math.max(...xs.map((x) => x.path.length));
  const chain = (/** @type {CiRun[]} */ xs) =>
    xs.reduce((m, x) => (x.path.length > m.path.length ? x : m)).path.chain.join(' → ');
  const rerunWrites = [...new Set(again.flatMap((x) => x.writes))];
  return [
    [
      '3. az calls',
      'ci github (new identity): az calls / critical path',
      `${first[0]?.calls} calls, ${depth(first)} deep: ${chain(first)}`,
      `writes: ${[...new Set(first.flatMap((x) => x.writes))].join(', ')}`,
      `target ≤ ${TARGET_FIRST_DEPTH} deep`,
      depth(first) <= TARGET_FIRST_DEPTH ? 'PASS' : 'FAIL',
    ],
    ['3. az calls', 'ci github (new identity): wall', fmtStats(stats(first.map((x) => x.ms))), '', '', 'info'],
    [
      '3. az calls',
      'ci github re-run: az calls / critical path',
      `${again[0]?.calls} calls, ${depth(again)} deep: ${chain(again)}`,
      `wall ${fmtStats(stats(again.map((x) => x.ms)))}`,
      `target ≤ ${TARGET_RERUN_DEPTH} deep`,
      depth(again) <= TARGET_RERUN_DEPTH ? 'PASS' : 'FAIL',
    ],
    [
      '3. az calls',
      'ci github re-run: write calls',
      rerunWrites.length === 0 ? '0' : rerunWrites.join(', '),
      '',
      'target 0',
      rerunWrites.length === 0 ? 'PASS' : 'FAIL',
    ],
  ];
}

// `node bench/ci-github.mjs`: this section alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await ciGithub({ rounds: 2 })) console.log(row.join(' | '));
}
