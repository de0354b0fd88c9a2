// Verify's latency on a configured project (the role in place), against the fake Azure OpenAI server:
//   - verify --json wall time beside a loopback echo baseline (bare node, one POST with a ready token)
//     and the service's own answer time (the fake server's handler time);
//   - its own timings (tokenMs, requestMs, overheadMs) and the fake az's time for the token;
//   - what aoai-keyless adds on top: wall − tokenMs − echo baseline, per interleaved pair;
//   - the time DefaultAzureCredential spends before AzureCliCredential answers: the full chain
//     (Environment, WorkloadIdentity, ManagedIdentity's IMDS probe, VisualStudioCode, then AzureCli)
//     against the chain pinned to AzureCliCredential (AZURE_TOKEN_CREDENTIALS, as the tests run);
//   - side by side where IMDS is silent: the full chain against the .env setup writes for a signed-in
//     developer, whose AZURE_TOKEN_CREDENTIALS=dev skips the managed-identity probe.
// The full chain probes 169.254.169.254, so it runs only inside a network namespace of its own
// (unshare -n, loopback only), where that address is put on lo: without a listener the probe is
// refused at once; with a listener that never answers it waits out its 1 s timeout, as on a network
// that drops the packets (most machines outside Azure). Outside a namespace only the pinned chain runs.
//
// `node bench/verify-latency.mjs --child [--netns]` measures and prints JSON; run.mjs calls verifyLatency().
import { createServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mintToken } from '../test/support/tokens.mjs';
import { newRoleAssignment } from '../test/support/world.mjs';
import {
  ACCOUNT_ID,
  BIN,
  IDS,
  NODE,
  ROOT,
  baseWorld,
  createFakeAz,
  fmtNum,
  fmtStats,
  isCredentialCall,
  log,
  ownTime,
  pointFirstAccountAt,
  ratio,
  stats,
  tempDir,
  timed,
} from './lib.mjs';
import { startAoai } from './aoai-client.mjs';

const SELF = fileURLToPath(import.meta.url);
const TARGET_ADDED_MS = 150;
const IMDS = '169.254.169.254';

/** One run's numbers: verify --json's timings and credential, and what the bench measured around it. @typedef {Record<string, any>} Sample */
/** The child's one line of JSON. @typedef {{ netns: boolean, echo: Sample[], pinned: Sample[], refused: Sample[], silent: Sample[], dev: Sample[] }} Samples */

/** @param {{ netns: boolean, rounds: number }} o */
async function child({ netns, rounds }) {
  const w = baseWorld({ azDelayMs: 0 });
  w.roleAssignments.push(
    newRoleAssignment({
      scope: ACCOUNT_ID,
      roleDefinitionGuid: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
      principalId: IDS.userObjectId,
      principalType: 'User',
      createdOn: '2025-11-01T10:00:00.000000+00:00',
    }),
  );
  const az = createFakeAz(w, 'verify');
  const aoai = await startAoai(az.worldPath);
  const endpoint = aoai.endpointFor('contoso-aoai');
  az.update((x) => pointFirstAccountAt(x, endpoint));
  const cwd = join(tempDir('verify'), 'project');
  mkdirSync(cwd);
  // The .env setup writes (the v1 API: no api version), without and with the developer chain.
  const dotenv = `AZURE_OPENAI_ENDPOINT=${endpoint}\nAZURE_OPENAI_DEPLOYMENT=gpt-4o-mini\n`;
  writeFileSync(join(cwd, '.env'), dotenv);
  writeFileSync(join(cwd, '.env.dev'), `${dotenv}AZURE_TOKEN_CREDENTIALS=dev\n`);
  const { token } = mintToken({
    audience: 'https://cognitiveservices.azure.com',
    tenantId: IDS.tenant,
    objectId: IDS.userObjectId,
    type: 'user',
    name: 'alice@contoso.com',
  });
  const echoEnv = { PATH: process.env.PATH, BENCH_URL: `${endpoint}openai/v1/chat/completions`, BENCH_TOKEN: token };

  /** @type {import('node:net').Server | undefined} */
  let silent;
  /** @returns {Promise<(number | undefined)[]>} */
  const served = async () =>
    (await aoai.requests())
      .filter((/** @type {Sample} */ r) => r.status === 200)
      .map((/** @type {Sample} */ r) => r.serviceMs);
  const echo = async () => {
    const r = await timed(NODE, [join(ROOT, 'bench', 'echo-baseline.mjs')], { env: echoEnv });
    if (r.code !== 0) throw new Error(`echo baseline failed: ${r.stderr}`);
    const s = await served();
    return { wall: r.ms, serviceMs: s[0] };
  };
  /** @param {'pinned' | 'refused' | 'silent' | 'dev'} variant @returns {Promise<Sample>} */
  const verify = async (variant) => {
    az.clearCalls();
    const extra = variant === 'pinned' ? {} : { AZURE_TOKEN_CREDENTIALS: undefined };
    const envFile = variant === 'dev' ? ['--env-file', '.env.dev'] : [];
    const r = await timed(NODE, [BIN, 'verify', '--json', ...envFile], { env: az.env(extra), cwd });
    let doc;
    try {
      doc = JSON.parse(r.stdout);
    } catch {
      doc = undefined;
    }
    if (r.code !== 0 || !doc?.ok)
      throw new Error(`verify (${variant}) exited ${r.code}:\n${r.stderr.slice(-1500)}\n${r.stdout.slice(0, 1500)}`);
    const calls = az.calls();
    const s = await served();
    return {
      wall: r.ms,
      ...doc.timings,
      credential: doc.credential,
      azCalls: calls.length,
      azOwnMs: ownTime(calls.filter(isCredentialCall)),
      serviceMs: s[0],
    };
  };

  /** @type {Samples} */
  const out = { netns, echo: [], pinned: [], refused: [], silent: [], dev: [] };
  try {
    // Warm-up, not counted.
    await echo();
    await verify('pinned');
    for (let i = 0; i < rounds; i++) {
      const e = await echo();
      out.echo.push(e);
      out.pinned.push({ ...(await verify('pinned')), echoWall: e.wall });
      if (netns) {
        out.echo.push(await echo());
        out.refused.push(await verify('refused'));
        const listening = await listenSilently();
        silent = listening;
        out.echo.push(await echo());
        out.silent.push(await verify('silent'));
        out.dev.push(await verify('dev'));
        await new Promise((resolve) => listening.close(resolve));
        silent = undefined;
      }
    }
  } finally {
    silent?.close();
    await aoai.close();
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/** A "metadata endpoint" that takes the connection and never answers: the probe's timeout decides. */
/** @returns {Promise<import('node:net').Server>} */
function listenSilently() {
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const close = server.close.bind(server);
  server.close = (cb) => {
    for (const s of sockets) s.destroy();
    return close(cb);
  };
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(80, IMDS, () => resolve(server));
  });
}

function canUnshare() {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const r = spawnSync('unshare', ['-n', 'sh', '-c', `ip link set lo up && ip addr add ${IMDS}/32 dev lo`], {
    stdio: 'ignore',
  });
  return r.status === 0;
}

export async function verifyLatency({ rounds = 7 } = {}) {
  const netns = canUnshare();
  log(
    `verify latency: ${rounds} rounds${netns ? ' (in a loopback-only network namespace: pinned and full DefaultAzureCredential chain)' : ' (no network namespace: pinned chain only)'}`,
  );
  const args = [SELF, '--child', `--rounds=${rounds}`, ...(netns ? ['--netns'] : [])];
  const r = netns
    ? await timed(
        'unshare',
        ['-n', 'sh', '-c', `ip link set lo up && ip addr add ${IMDS}/32 dev lo && exec "$0" "$@"`, NODE, ...args],
        { timeoutMs: 240_000 },
      )
    : await timed(NODE, args, { timeoutMs: 240_000 });
  if (r.code !== 0) throw new Error(`verify-latency child exited ${r.code}:\n${r.stderr.slice(-3000)}`);
  process.stderr.write(r.stderr);
  const d = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
  return rows(d);
}

/** @param {Samples} d @returns {import('./lib.mjs').Row[]} */
function rows(d) {
  const col = (/** @type {Sample[]} */ xs, /** @type {string} */ k) => xs.map((x) => x[k]);
  const p = d.pinned;
  const wall = stats(col(p, 'wall'));
  const echo = stats(col(d.echo, 'wall'));
  const service = stats([...col(p, 'serviceMs'), ...col(d.echo, 'serviceMs')].filter((x) => x !== undefined));
  const token = stats(col(p, 'tokenMs'));
  const azOwn = stats(col(p, 'azOwnMs'));
  const added = stats(p.map((x) => x.wall - x.tokenMs - x.echoWall));
  const overhead = stats(col(p, 'overheadMs'));
  const request = stats(col(p, 'requestMs'));
  // Outside verify's own clock: start-up before it, and whatever keeps the process alive after it.
  const pinnedLag = stats(p.map((x) => x.wall - x.totalMs));
  const out = [
    [
      '3. verify',
      'verify --json → 200 (chain pinned to AzureCliCredential)',
      fmtStats(wall),
      `loopback echo (bare node + 1 POST, ready token): ${fmtStats(echo)}`,
      ratio(wall.median, echo.median),
      'info',
    ],
    [
      '3. verify',
      "service's own answer time (fake AOAI handler)",
      fmtStats(service, 'ms'),
      '',
      `verify wall − service: ${Math.round(wall.median - service.median)} ms`,
      'info',
    ],
    [
      '3. verify',
      'token time in verify (timings.tokenMs: DefaultAzureCredential → az)',
      fmtStats(token),
      `az get-access-token own time: ${fmtNum(azOwn.median)} ms`,
      `spawn + credential: ${Math.round(token.median - azOwn.median)} ms`,
      'info',
    ],
    [
      '3. verify',
      'request time in verify (timings.requestMs)',
      fmtStats(request),
      `service ${fmtNum(service.median)} ms`,
      '',
      'info',
    ],
    [
      '3. verify',
      'in-process overhead reported by verify (timings.overheadMs)',
      fmtStats(overhead),
      '',
      `outside verify's clock (wall − totalMs): ${fmtNum(pinnedLag.median)} ms`,
      'info',
    ],
    [
      '3. verify',
      'aoai-keyless adds on top (wall − tokenMs − echo, paired)',
      fmtStats(added),
      'echo baseline of the same round',
      `target < ${TARGET_ADDED_MS} ms`,
      added.median < TARGET_ADDED_MS ? 'PASS' : 'FAIL',
    ],
  ];
  if (d.netns) {
    for (const [key, label] of /** @type {const} */ ([
      ['refused', 'IMDS refused at once'],
      ['silent', 'IMDS silent (packets dropped, as on most networks outside Azure)'],
    ])) {
      const t = stats(col(d[key], 'tokenMs'));
      const w = stats(col(d[key], 'wall'));
      const creds = [...new Set(col(d[key], 'credential'))].join(', ');
      const lag = stats(d[key].map((x) => x.wall - x.totalMs));
      out.push([
        '3. verify',
        `DefaultAzureCredential before the answering credential, full chain, ${label}`,
        `${Math.round(t.median - token.median)} ms (tokenMs ${fmtStats(t)})`,
        `pinned tokenMs ${fmtNum(token.median)} ms`,
        `answered by ${creds}`,
        'info',
      ]);
      out.push([
        '3. verify',
        `verify wall, full chain, ${label}`,
        fmtStats(w),
        `pinned: ${fmtNum(wall.median)} ms`,
        `wall − timings.totalMs ${fmtNum(lag.median)} ms (pinned ${fmtNum(pinnedLag.median)} ms)${lag.median - pinnedLag.median > 200 ? `: the process stays ${Math.round(lag.median - pinnedLag.median)} ms after its answer` : ''}`,
        'info',
      ]);
    }
    const silent = stats(col(d.silent, 'wall'));
    const dev = stats(col(d.dev, 'wall'));
    out.push([
      '3. verify',
      'verify wall where IMDS is silent: the .env setup writes for a developer (AZURE_TOKEN_CREDENTIALS=dev)',
      fmtStats(dev),
      `without it (full chain): ${fmtNum(silent.median)} ms`,
      `dev token ${fmtNum(stats(col(d.dev, 'tokenMs')).median)} ms by ${[...new Set(col(d.dev, 'credential'))].join(', ')}; saves ${Math.round(silent.median - dev.median)} ms`,
      dev.median < silent.median ? 'PASS' : 'FAIL',
    ]);
  } else {
    out.push([
      '3. verify',
      'DefaultAzureCredential before the answering credential, full chain',
      'n/a (no network namespace: the chain would probe 169.254.169.254)',
      '',
      '',
      'info',
    ]);
  }
  return out;
}

if (process.argv.includes('--child')) {
  const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? 7);
  await child({ netns: process.argv.includes('--netns'), rounds });
}
