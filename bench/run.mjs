// `npm run bench`: the benchmark of aoai-keyless (not a test: it reports, it does not judge by exit code).
//   1. start-up of --help / --version against a bare node
//   2. time to the wizard's first prompt in a pseudo-terminal (fake az at 0 and 300 ms per call)
//   3. az calls of setup / a re-run / verify / ci github (first run and re-run) with a 300 ms fake az; verify's latency and what
//      DefaultAzureCredential spends before the credential that answers; how soon after a new role applies
//      setup's verification succeeds (bench/propagation.mjs); and a configured re-run with the REAL az 2.45
//      against the real-az tier's stand-in for Azure (warm config dir), beside the seed's manual recipe run
//      with the same az
//   4. the seed's manual az sequence as the reference
//   5. install footprint (npm pack, production install) beside the six design dependencies
// Prints one markdown table and writes it to bench/results.md. Exit 0 even when a target fails;
// 1 when the benchmark itself breaks. Nothing but the footprint's npm installs leaves loopback.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { NODE, ROOT, log, takeSnapshot } from './lib.mjs';
import { markdownTable } from './table.mjs';
import { startup } from './startup.mjs';
import { firstPrompt } from './first-prompt.mjs';
import { azCalls } from './az-calls.mjs';
import { ciGithub } from './ci-github.mjs';
import { verifyLatency } from './verify-latency.mjs';
import { footprint } from './footprint.mjs';
import { propagation } from './propagation.mjs';

/**
 * bench/real-az-rerun.ts in a child (it loads the TypeScript test harness through tsx), on the snapshot's bin.
 * @param {string} root @param {number} rounds @returns {string[][]}
 */
function realAzRerun(root, rounds) {
  const r = spawnSync(NODE, ['--import', 'tsx', join(ROOT, 'bench', 'real-az-rerun.ts'), root, String(rounds)], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 600_000,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`bench/real-az-rerun.ts exited ${r.status}`);
  return JSON.parse(r.stdout).rows;
}

const started = Date.now();
const notes = [];

// The bench measures the built CLI: build it when dist/ is missing; say so when it is older than src/.
const cli = join(ROOT, 'dist', 'cli.js');
if (!existsSync(cli)) {
  log('dist/ is missing: npm run build');
  const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (b.status !== 0) {
    console.error('npm run build failed');
    process.exit(1);
  }
  notes.push('dist/ was missing and was built first.');
} else {
  /** @param {string} dir @returns {number} */
  const newest = (dir) =>
    readdirSync(dir, { withFileTypes: true }).reduce(
      (m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs),
      0,
    );
  if (newest(join(ROOT, 'src')) > statSync(cli).mtimeMs)
    notes.push('dist/ is older than src/: these numbers are of the last build (`npm run build` to refresh).');
}

// Everything below runs the copy, not the tree others are working in.
const snapshot = takeSnapshot();
log(`measuring a copy of the package in ${snapshot}`);

/** @type {import('./lib.mjs').Row[]} */
const rows = [];
let broken = false;
let version = '?';
for (const [name, fn] of /** @type {[string, () => Promise<string[][]>][]} */ ([
  [
    '1. start-up',
    async () => {
      const r = await startup({ runs: 15 });
      version = r.version;
      return r.rows;
    },
  ],
  ['2. first prompt', () => firstPrompt({ runs: 9, slowRuns: 5 })],
  ['3. az calls', async () => (await azCalls({ rounds: 3 })).rows],
  ['3. re-run, real az', () => realAzRerun(snapshot, 3)],
  ['3. ci github', () => ciGithub({ rounds: 3 })],
  ['3. verify', () => verifyLatency({ rounds: 7 })],
  ['3. propagation', () => propagation()],
  ['5. footprint', () => footprint()],
])) {
  try {
    rows.push(...(await fn()));
  } catch (e) {
    broken = true;
    log(`${name} broke: ${e instanceof Error ? e.stack : String(e)}`);
    rows.push([
      name,
      'the benchmark broke',
      String(e instanceof Error ? e.message : e).split('\n')[0] ?? '',
      '',
      '',
      'ERROR',
    ]);
  }
}

// Sections in their numbered order (verify's latency belongs to 3, before the seed's reference, 4).
const order = (/** @type {string[]} */ r) => Number.parseInt(r[0] ?? '', 10) || 99;
rows.sort((a, b) => order(a) - order(b));

let head = '?';
try {
  head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
} catch {
  /* not a git checkout */
}
const failed = rows.filter((r) => r[5] === 'FAIL').length;
const passed = rows.filter((r) => r[5] === 'PASS').length;
const doc = [
  `# aoai-keyless benchmark`,
  '',
  `aoai-keyless ${version} (git ${head}) · node ${process.version} · ${cpus().length} CPUs · load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} · ${new Date().toISOString()} · ${Math.round((Date.now() - started) / 1000)} s`,
  '',
  'Medians (min, max, n runs); baselines measured in the same run, interleaved with the subject. Fake az: test/fake-az (300 ms per call in 3/4, so the structure shows); "deep" is the longest chain of az calls where each started after the previous one ended. MB = 10^6 bytes.',
  '',
  markdownTable(rows),
  '',
  `${passed} PASS, ${failed} FAIL${broken ? ', and the benchmark itself broke (see ERROR rows)' : ''}.`,
  ...notes.map((n) => `\nNote: ${n}`),
  '',
].join('\n');
process.stdout.write(doc);
writeFileSync(join(ROOT, 'bench', 'results.md'), doc);
process.exitCode = broken ? 1 : 0;
