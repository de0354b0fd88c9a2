// Shared pieces of the benchmark: paths, timing, statistics, the fake az's environment (a plain-JS
// stand-in for test/support/fake-az.ts, so run.mjs needs no TypeScript loader) and the critical path
// of a set of az calls.
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  existsSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { baseWorld, IDS, loadWorld, saveWorld } from '../test/support/world.mjs';

/** @typedef {import('../test/support/world.mjs').World} World */
/** One az call as the fake az logs it. @typedef {{ argv: string[], start: number, end: number, exitCode: number }} AzCall */
/** @typedef {{ median: number, min: number, max: number, n: number }} Stats */
/** @typedef {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} RunOptions */
/** @typedef {{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, ms: number }} Run */
/** @typedef {ReturnType<typeof createFakeAz>} FakeAz */
/** A row of the README's Performance table: what, measured, against, target, verdict. @typedef {string[]} Row */

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/**
 * The package the benchmark measures: a snapshot of bin/, dist/ and package.json taken at the start
 * (takeSnapshot), so a rebuild by someone else in the same tree during the run changes nothing here.
 * Child processes find it in BENCH_PKG.
 */
export let PKG = process.env.BENCH_PKG ?? ROOT;
export let BIN = join(PKG, 'bin', 'aoai-keyless.js');
export const FAKE_AZ_DIR = join(ROOT, 'test', 'fake-az');
export const NODE = process.execPath;
export { IDS, baseWorld, loadWorld, saveWorld };

/** Flags of a fully specified non-interactive setup (test/e2e/setup-scenarios.ts FULL). */
export const FULL = [
  '--yes',
  '--subscription',
  IDS.subscription,
  '--resource-group',
  'rg-aoai',
  '--resource',
  'contoso-aoai',
  '--deployment',
  'gpt-4o-mini',
];
export const ACCOUNT_ID = `/subscriptions/${IDS.subscription}/resourceGroups/rg-aoai/providers/Microsoft.CognitiveServices/accounts/contoso-aoai`;

/** @type {string[]} */
const scratch = [];
/** A temporary directory removed at exit. @param {string} prefix */
export function tempDir(prefix) {
  const d = mkdtempSync(join(tmpdir(), `aoai-bench-${prefix}-`));
  scratch.push(d);
  return d;
}
process.on('exit', () => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/**
 * name -> size of every file below dir, to tell whether a copy is of a finished build.
 * @param {string} dir @param {string} [base] @param {Record<string, number>} [out] @returns {Record<string, number>}
 */
function listing(dir, base = dir, out = {}) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) listing(p, base, out);
    else out[p.slice(base.length)] = statSync(p).size;
  }
  return out;
}

/** Copies the package as npm would pack it (package.json, bin/, dist/, README, LICENSE) to a temp dir. */
export function takeSnapshot() {
  for (let attempt = 1; attempt <= 10; attempt++) {
    const dir = tempDir('pkg');
    try {
      const before = JSON.stringify(listing(join(ROOT, 'dist')));
      for (const f of ['package.json', 'README.md', 'LICENSE'])
        if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(dir, f));
      cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
      cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
      const after = JSON.stringify(listing(join(ROOT, 'dist')));
      if (
        before === after &&
        before === JSON.stringify(listing(join(dir, 'dist'))) &&
        existsSync(join(dir, 'dist', 'cli.js'))
      ) {
        PKG = dir;
        BIN = join(dir, 'bin', 'aoai-keyless.js');
        process.env.BENCH_PKG = dir;
        return dir;
      }
    } catch {
      // dist/ changed under the copy (a build in progress): try again.
    }
    spawnSync('sleep', ['1']);
  }
  throw new Error('dist/ kept changing for 10 s (a build running?); cannot take a consistent copy');
}

// ------------------------------------------------------------------------------------------------
// Statistics
// ------------------------------------------------------------------------------------------------

/** @param {number[]} xs */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  const at = (/** @type {number} */ i) => s[i] ?? NaN;
  return s.length % 2 ? at(m) : (at(m - 1) + at(m)) / 2;
}
/** @param {number[]} xs @returns {Stats} */
export function stats(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}
/** "123 ms (min 110, max 150, n 9)" @param {Stats | undefined} s */
export function fmtStats(s, unit = 'ms') {
  if (!s || !Number.isFinite(s.median)) return 'n/a';
  return `${fmtNum(s.median)} ${unit} (min ${fmtNum(s.min)}, max ${fmtNum(s.max)}, n ${s.n})`;
}
/** @param {number} x */
export function fmtNum(x) {
  if (!Number.isFinite(x)) return 'n/a';
  return Math.abs(x) >= 100 ? String(Math.round(x)) : x.toFixed(1).replace(/\.0$/, '');
}
/** @param {number} a @param {number} b */
export function ratio(a, b) {
  return `${(a / b).toFixed(2)}x`;
}

// ------------------------------------------------------------------------------------------------
// Processes
// ------------------------------------------------------------------------------------------------

/**
 * Runs a process to completion; wall time from spawn to exit, in ms.
 * @param {string} cmd @param {readonly string[]} args @param {RunOptions} [opts] @returns {Promise<Run>}
 */
export function timed(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? ROOT,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

/**
 * spawnSync timing, for the start-up runs (no event loop work in between).
 * @param {string} cmd @param {readonly string[]} args @param {RunOptions} [opts]
 */
export function timedSync(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
  });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms };
}

// ------------------------------------------------------------------------------------------------
// The fake az
// ------------------------------------------------------------------------------------------------

/**
 * A pretend Azure for the fake az: a world file, a call log and the environment that puts the fake az
 * first on PATH (before any real az). DefaultAzureCredential is pinned to AzureCliCredential as in the
 * tests unless `extra` says otherwise (AZURE_TOKEN_CREDENTIALS: undefined). No variable of the host leaks in.
 * @param {World} world
 */
export function createFakeAz(world, prefix = 'az') {
  const dir = tempDir(prefix);
  const worldPath = join(dir, 'world.json');
  const logPath = join(dir, 'az-calls.jsonl');
  const home = join(dir, 'home');
  mkdirSync(home);
  saveWorld(worldPath, world);
  writeFileSync(logPath, '');
  return {
    dir,
    worldPath,
    logPath,
    /** @param {Record<string, string | undefined>} [extra] @returns {Record<string, string>} */
    env(extra = {}) {
      /** @type {Record<string, string | undefined>} */
      const env = {
        PATH: [FAKE_AZ_DIR, dirname(NODE), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
        HOME: home,
        AZURE_CONFIG_DIR: join(home, '.azure'),
        LANG: 'C.UTF-8',
        TERM: 'xterm-256color',
        FAKE_AZ_WORLD: worldPath,
        FAKE_AZ_LOG: logPath,
        AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
        ...extra,
      };
      for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
      return /** @type {Record<string, string>} */ (env);
    },
    /** @returns {AzCall[]} */
    calls() {
      return readFileSync(logPath, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    },
    clearCalls() {
      writeFileSync(logPath, '');
    },
    world: () => loadWorld(worldPath),
    setWorld: (/** @type {World} */ w) => saveWorld(worldPath, w),
    /** @param {(w: World) => void} fn */
    update(fn) {
      const w = loadWorld(worldPath);
      fn(w);
      saveWorld(worldPath, w);
    },
  };
}

/** Points the world's first account (contoso-aoai) at a local Azure OpenAI server. @param {World} w @param {string} endpoint */
export function pointFirstAccountAt(w, endpoint) {
  const account = w.accounts[0];
  if (!account) throw new Error('the world has no account');
  account.endpoint = endpoint;
}

/** The sub-command words of an az call ("role assignment create"). @param {AzCall} call */
export function commandOf(call) {
  const words = [];
  for (const a of call.argv) {
    if (a.startsWith('-')) break;
    words.push(a);
  }
  return words.join(' ');
}

/** AzureCliCredential's call (`az account get-access-token --resource ...` / `--scope ...`), not setup's own token call. @param {AzCall} call */
export function isCredentialCall(call) {
  return (
    commandOf(call) === 'account get-access-token' &&
    (call.argv.includes('--resource') || call.argv.includes('--scope'))
  );
}

const WRITE = /\b(create|delete|update|set|login|logout)$/;
/** @param {AzCall} call */
export function isWriteCall(call) {
  return WRITE.test(commandOf(call));
}

/**
 * The longest chain of calls where each starts after the previous one ended: the calls that had to
 * wait for another. Returns its length and its commands.
 * @param {AzCall[]} calls
 */
export function criticalPath(calls) {
  const c = [...calls].sort((a, b) => a.start - b.start || a.end - b.end);
  const depth = c.map(() => 1);
  const prev = c.map(() => -1);
  for (const [j, later] of c.entries()) {
    for (const [i, earlier] of c.slice(0, j).entries()) {
      const through = (depth[i] ?? 1) + 1;
      if (earlier.end <= later.start && through > (depth[j] ?? 1)) {
        depth[j] = through;
        prev[j] = i;
      }
    }
  }
  if (c.length === 0) return { length: 0, chain: [] };
  let k = depth.indexOf(Math.max(...depth));
  const chain = [];
  for (let call = c[k]; call; k = prev[k] ?? -1, call = c[k]) chain.unshift(commandOf(call));
  return { length: chain.length, chain };
}

/** Σ of the calls' own time (what the fake az logged from its start to its end). @param {AzCall[]} calls */
export function ownTime(calls) {
  return calls.reduce((s, c) => s + (c.end - c.start), 0);
}

/** @param {string} msg */
export function log(msg) {
  process.stderr.write(`[bench] ${msg}\n`);
}
