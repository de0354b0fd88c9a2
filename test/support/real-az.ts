// The real Azure CLI against a local stand-in for Azure: the harness of the real-az test tier.
//
// createRealAz(world) gives the same handle as the fake az (test/support/fake-az.ts): a temp dir, an `az`
// first on PATH, the world file and the log of az calls. Here that `az` is Debian's azure-cli run in-process
// by a small Python wrapper that loads test/real-az/shim/realaz_shim.py, which sends every HTTP request az
// makes to test/real-az/stand-in.mjs on 127.0.0.1 (and refuses any other socket). So every az call the
// product makes is parsed, authenticated, sent, answered and printed by real az code.
//
// Each az call costs a Python start-up (~0.3 s here, ~1 s on a laptop); setup is one `az login` per harness.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseWorld, loadWorld, saveWorld } from './world.mjs';
import type { World, SignedIn } from './world.mjs';
import { INHERITED_AZURE_VARIABLES, applyExtra, type AzCall, type AzHarness } from './az-harness.ts';

export type { World } from './world.mjs';

export type { AzCall } from './az-harness.ts';

/** One request the stand-in answered, as it logged it. */
export interface StandInRequest {
  time: number;
  method: string;
  /** The host az meant to reach: login.microsoftonline.com, management.azure.com, graph.microsoft.com, 169.254.169.254... */
  host: string;
  /** The URL az meant to reach (https://management.azure.com/subscriptions?api-version=...). */
  url: string;
  path: string;
  status: number;
  note?: string;
}

export interface RealAz extends AzHarness {
  configDir: string;
  standInUrl: string;
  /** Every request the stand-in saw, the harness's own `az login` included. */
  requests(): StandInRequest[];
}

const here = dirname(fileURLToPath(import.meta.url));
const SHIM_DIR = resolve(here, '../real-az/shim');
const STAND_IN = resolve(here, '../real-az/stand-in.mjs');
const WRAPPER_MARK = 'REAL-AZ-WRAPPER';
/** Any password or secret does: the stand-in checks who signs in, not what they type. */
const PASSWORD = 'stand-in-password';

/** Variables that would make az, @azure/identity or openai look elsewhere than the stand-in and the harness's config. */
const SCRUBBED = [
  ...INHERITED_AZURE_VARIABLES,
  // az's own knobs: another cloud's metadata, App Service's MSI, extensions or settings from the developer's machine.
  'ARM_CLOUD_METADATA_URL',
  'APPSETTING_WEBSITE_SITE_NAME',
  'AZURE_EXTENSION_DIR',
  'AZURE_CONFIG_DIR',
  'AZURE_AUTHORITY_HOST',
  'IDENTITY_SERVER_THUMBPRINT',
  'AZURE_IDENTITY_DISABLE_CP1',
  'PYTHONPATH',
  'PYTHONHOME',
  'REAL_AZ_STAND_IN',
];
const SCRUBBED_PREFIXES = ['AZURE_CORE_', 'AZURE_DEFAULTS_', 'AZURE_CLOUD_', 'AZURE_LOGGING_'];

interface Launcher {
  /** The az found on PATH. */
  az: string;
  /** The Python that runs it. */
  python: string;
  /** 'script': a Python entry script (Debian's /usr/bin/az) run with runpy.run_path; 'module': a shell launcher of `python -m azure.cli`. */
  mode: 'script' | 'module';
  version: string;
  /** az's component versions (azure/cli/core/util.py _get_local_versions), to seed versionCheck.json with. */
  components: Record<string, { local: string }>;
}

let availability: { ok: boolean; reason?: string; launcher?: Launcher } | undefined;

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findLauncher(): Launcher | string {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  let az: string | undefined;
  for (const d of dirs) {
    const candidate = join(d, 'az');
    if (!isExecutableFile(candidate)) continue;
    if (readFileSync(candidate, 'utf8').slice(0, 4096).includes(WRAPPER_MARK)) continue; // another harness's wrapper
    az = candidate;
    break;
  }
  if (!az)
    return 'the Azure CLI (az) is not on PATH; install it (apt-get install -y azure-cli) to run the real-az tier';
  const head = readFileSync(az, 'utf8').slice(0, 4096);
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(head);
  if (shebang && /python/.test(`${shebang[1]} ${shebang[2] ?? ''}`)) {
    const python = shebang[1]?.endsWith('/env') ? (shebang[2] ?? 'python3') : (shebang[1] ?? 'python3');
    return { az, python, mode: 'script', version: '', components: {} };
  }
  // Microsoft's own packages ship a shell launcher: `"$python_cmd" -Im azure.cli "$@"` with a bundled /opt/az/bin/python3.
  const module = /(\S*python\S*)\s+-\w*m\s+azure\.cli\b/.exec(head);
  if (module) {
    const named = module[1]?.replace(/["'{}]/g, '') ?? '';
    // "$python_cmd": the absolute value the script assigns to that variable, if any.
    const assigned = named.startsWith('$')
      ? [...head.matchAll(new RegExp(`^\\s*${named.slice(1)}=["']?([^"'\\s]+)`, 'gm'))]
          .map((m) => m[1] ?? '')
          .filter((v) => v.startsWith('/') && existsSync(v))
      : [];
    const python = existsSync('/opt/az/bin/python3')
      ? '/opt/az/bin/python3'
      : named.startsWith('/')
        ? named
        : (assigned[0] ?? 'python3');
    return { az, python, mode: 'module', version: '', components: {} };
  }
  return `${az} is neither a Python script nor a launcher of "python -m azure.cli"; the real-az shim cannot load into it`;
}

/**
 * Can this machine run the real-az tier? Checks that az is installed and that the Python shim loads into it
 * (the az packages import, requests is routed, the role-module patch applies). The reason says what is missing.
 */
export function realAzAvailable(): { ok: boolean; reason?: string } {
  if (!availability) availability = probe();
  return availability.reason === undefined
    ? { ok: availability.ok }
    : { ok: availability.ok, reason: availability.reason };
}

function probe(): { ok: boolean; reason?: string; launcher?: Launcher } {
  const found = findLauncher();
  if (typeof found === 'string') return { ok: false, reason: found };
  const code = [
    'import sys, json',
    'sys.dont_write_bytecode = True',
    `sys.path.insert(0, ${JSON.stringify(SHIM_DIR)})`,
    'import realaz_shim',
    'realaz_shim.selfcheck()',
    'from azure.cli.core import __version__',
    'from azure.cli.core.util import _get_local_versions',
    'print(__version__)',
    'print(json.dumps(_get_local_versions()))',
  ].join('\n');
  const r = spawnSync(found.python, ['-c', code], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir(), REAL_AZ_STAND_IN: '127.0.0.1:9' },
  });
  if (r.error)
    return { ok: false, reason: `cannot run ${found.python} (the Python of ${found.az}): ${r.error.message}` };
  const lines = r.stdout.trim().split('\n');
  if (r.status !== 0 || lines[0] !== 'ok') {
    const tail = `${r.stderr}${r.stdout}`.trim().split('\n').slice(-3).join(' | ');
    return { ok: false, reason: `the real-az Python shim does not load into ${found.az} (${found.python}): ${tail}` };
  }
  return {
    ok: true,
    launcher: { ...found, version: lines[1] ?? '', components: JSON.parse(lines[2] ?? '{}') as Launcher['components'] },
  };
}

/** The command index az builds on its first run in a config dir (~0.7 s): built once, copied into later harnesses. */
let commandIndex: string | undefined;

function wrapperSource(l: Launcher, standIn: string): string {
  return [
    `#!${l.python}`,
    `# ${WRAPPER_MARK}: the real Azure CLI (${l.az}, ${l.version}) answered by the stand-in at ${standIn}.`,
    '# Generated by test/support/real-az.ts; the logic is in test/real-az/shim/az_wrapper.py.',
    'import sys',
    "# No __pycache__ in the repository's test/real-az/shim (az's own modules keep their compiled files).",
    'sys.dont_write_bytecode = True',
    `sys.path.insert(0, ${JSON.stringify(SHIM_DIR)})`,
    'import az_wrapper',
    `az_wrapper.main(${JSON.stringify(standIn)}, ${JSON.stringify(l.az)}, ${JSON.stringify(l.mode)}, ${JSON.stringify(SHIM_DIR)})`,
    '',
  ].join('\n');
}

/** datetime.now() as az stores it ('%Y-%m-%d %H:%M:%S.%f', local time). */
function pythonNow(): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`;
}

function readJsonLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** The identity `az login` has to sign in, as a comparable string. */
const identityKey = (s: SignedIn | null) =>
  s ? `${s.type}|${s.objectId}|${s.name}|${s.appId ?? ''}`.toLowerCase() : '';

/** `az login` arguments for the world's signed-in identity. */
function loginArgs(w: World, me: SignedIn): string[] {
  const noSubscriptions = w.subscriptions.length === 0 ? ['--allow-no-subscriptions'] : [];
  if (me.type === 'user') return ['login', '-u', me.name, '-p', PASSWORD, ...noSubscriptions, '-o', 'none'];
  if (me.type === 'servicePrincipal')
    return [
      'login',
      '--service-principal',
      '-u',
      me.appId ?? me.name,
      '-p',
      PASSWORD,
      '--tenant',
      w.tenantId,
      ...noSubscriptions,
      '-o',
      'none',
    ];
  // A user-assigned identity is chosen by client id (azure/cli/core/_profile.py login_with_managed_identity); otherwise the system-assigned one.
  const userAssigned = w.identities.find((i) => i.principalId.toLowerCase() === me.objectId.toLowerCase());
  const clientId = userAssigned?.clientId ?? me.appId;
  return ['login', '--identity', ...(clientId ? ['--username', clientId] : []), ...noSubscriptions, '-o', 'none'];
}

/**
 * Start the stand-in for `world` (a whole World, or overrides of baseWorld(), as createFakeAz takes), make a
 * config dir and a wrapper `az`, and sign az in as `world.signedIn` says: one `az login`, not logged to
 * FAKE_AZ_LOG. Synchronous like createFakeAz, so a test can swap one for the other; the stand-in runs in a
 * process of its own, so it answers while this one waits. Throws when realAzAvailable() is not ok.
 */
/** Entra ID refuses the refresh of this world's sign-in (stand-in/entra.mjs): cached access tokens must go too. */
const refusesRefresh = (w: World): boolean =>
  Boolean(w.signInExpired || w.signInProblem === 'mfa' || w.signInProblem === 'sign-in-frequency');
/** The world while the harness signs az in: a sign-in that still works (the problem is applied afterwards). */
function signingIn(w: World): World {
  const { signInProblem: _applied, ...rest } = w;
  return { ...rest, signInExpired: false };
}

export function createRealAz(world: World | Partial<World> = {}): RealAz {
  const initial = baseWorld(world);
  const avail = realAzAvailable();
  const launcher = availability?.launcher;
  if (!avail.ok || !launcher) throw new Error(`real az unavailable: ${avail.reason ?? 'unknown reason'}`);

  const dir = mkdtempSync(join(tmpdir(), 'real-az-'));
  const binDir = join(dir, 'bin');
  const configDir = join(dir, 'azure');
  const home = join(dir, 'home');
  for (const d of [binDir, configDir, home]) mkdirSync(d, { recursive: true });
  const worldPath = join(dir, 'world.json');
  const logPath = join(dir, 'az-calls.jsonl');
  const requestLog = join(dir, 'stand-in-requests.jsonl');
  // az's global settings (azure/cli/core/_config.py): no telemetry upload, no survey, no auto-upgrade, no log files.
  writeFileSync(
    join(configDir, 'config'),
    [
      '[core]',
      'collect_telemetry = no',
      'survey_message = no',
      'no_color = yes',
      '',
      '[auto-upgrade]',
      'enable = no',
      '',
      '[logging]',
      'enable_log_file = no',
      '',
      '[cloud]',
      'name = AzureCloud',
      '',
    ].join('\n'),
  );
  if (commandIndex) writeFileSync(join(configDir, 'commandIndex.json'), commandIndex);
  // Without it az's first run looks up the latest release on GitHub (azure/cli/core/util.py handle_version_update,
  // get_cached_latest_versions); a check done "now" for the installed versions is what an up-to-date machine has.
  writeFileSync(
    join(configDir, 'versionCheck.json'),
    JSON.stringify({ versions: launcher.components, update_time: pythonNow() }),
  );

  // Sign in with a world where the sign-in still works; an expired one is applied afterwards.
  saveWorld(worldPath, signingIn(initial));
  const standIn = startStandInProcess(worldPath, requestLog, join(dir, 'stand-in.port'));
  const binAz = join(binDir, 'az');
  writeFileSync(binAz, wrapperSource(launcher, `127.0.0.1:${standIn.port}`));
  chmodSync(binAz, 0o755);

  const env = (extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env };
    for (const k of SCRUBBED) delete e[k];
    for (const k of Object.keys(e)) if (SCRUBBED_PREFIXES.some((p) => k.startsWith(p))) delete e[k];
    Object.assign(e, {
      // This node too, as the fake az's env() does, in case PATH lacks it.
      PATH: [binDir, dirname(process.execPath), process.env.PATH].filter(Boolean).join(delimiter),
      AZURE_CONFIG_DIR: configDir,
      FAKE_AZ_WORLD: worldPath,
      FAKE_AZ_LOG: logPath,
      HOME: home,
      NO_COLOR: '1',
      AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
    });
    return applyExtra(e, extra);
  };
  const setupEnv = () => env({ FAKE_AZ_LOG: undefined });

  const profilePath = join(configDir, 'azureProfile.json');
  const tokenCachePath = join(configDir, 'msal_token_cache.json');

  /** az keeps its token cache as plain JSON on Linux (azure/cli/core/auth/persistence.py without encryption). */
  const dropAccessTokens = () => {
    if (!existsSync(tokenCachePath)) return;
    const cache = JSON.parse(readFileSync(tokenCachePath, 'utf8')) as Record<string, unknown>;
    cache.AccessToken = {};
    writeFileSync(tokenCachePath, JSON.stringify(cache));
  };
  /** az makes the first subscription ARM lists the default; the world may name another one. */
  const applyDefaultSubscription = (w: World) => {
    const wanted = w.subscriptions.find((s) => s.isDefault)?.id;
    if (!wanted || !existsSync(profilePath)) return;
    const raw = readFileSync(profilePath, 'utf8');
    const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : '';
    const profile = JSON.parse(raw.slice(bom.length)) as { subscriptions?: Array<{ id: string; isDefault: boolean }> };
    if (!profile.subscriptions?.some((s) => s.id.toLowerCase() === wanted.toLowerCase())) return;
    for (const s of profile.subscriptions) s.isDefault = s.id.toLowerCase() === wanted.toLowerCase();
    writeFileSync(profilePath, bom + JSON.stringify(profile, null, 2));
  };
  /** What `az logout` leaves behind, without a Python start-up. */
  const signOut = () => {
    if (existsSync(profilePath)) {
      const raw = readFileSync(profilePath, 'utf8');
      const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : '';
      const profile = JSON.parse(raw.slice(bom.length)) as Record<string, unknown>;
      writeFileSync(profilePath, bom + JSON.stringify({ ...profile, subscriptions: [] }, null, 2));
    }
    for (const f of ['msal_token_cache.json', 'service_principal_entries.json'])
      rmSync(join(configDir, f), { force: true });
  };
  const afterLogin = (w: World) => {
    applyDefaultSubscription(w);
    if (!commandIndex && existsSync(join(configDir, 'commandIndex.json')))
      commandIndex = readFileSync(join(configDir, 'commandIndex.json'), 'utf8');
  };
  /** Synchronous on purpose (createRealAz and update() are): the stand-in runs in its own process, so it still answers. */
  const login = (w: World, me: SignedIn) => {
    const args = loginArgs(w, me);
    const r = spawnSync(binAz, args, { encoding: 'utf8', env: setupEnv(), timeout: 120_000 });
    if (r.status !== 0)
      throw new Error(
        `real-az setup: az ${args.join(' ')} exited ${r.status ?? r.signal}\n${r.stderr ?? ''}${r.stdout ?? ''}${r.error ? String(r.error) : ''}`,
      );
    afterLogin(w);
  };

  try {
    if (initial.signedIn) login(initial, initial.signedIn);
    saveWorld(worldPath, initial);
    if (refusesRefresh(initial)) dropAccessTokens();
  } catch (err) {
    standIn.kill();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    dir,
    binDir,
    worldPath,
    logPath,
    configDir,
    standInUrl: `http://127.0.0.1:${standIn.port}`,
    env,
    calls: () => readJsonLines<AzCall>(logPath),
    world: () => loadWorld(worldPath),
    requests: () => readJsonLines<StandInRequest>(requestLog),
    update(fn) {
      const before = loadWorld(worldPath);
      const next = loadWorld(worldPath);
      fn(next);
      if (identityKey(before.signedIn) !== identityKey(next.signedIn)) {
        // az's sign-in lives in its config dir, not in the world: follow the world's new identity.
        signOut();
        if (next.signedIn) {
          saveWorld(worldPath, signingIn(next));
          login(next, next.signedIn);
        }
      }
      saveWorld(worldPath, next);
      // Access tokens az already holds would still work; an expired sign-in must show on the next token request.
      if (refusesRefresh(next) && !refusesRefresh(before)) dropAccessTokens();
      // MSAL Python replays an identical HTTP 400 from the token endpoint for 60 s, and az persists that cache
      // (msal/throttled_http_client.py, az's msal_http_cache.bin): a sign-in that works again must not be replayed as expired.
      if (refusesRefresh(before) && !refusesRefresh(next))
        rmSync(join(configDir, 'msal_http_cache.bin'), { force: true });
    },
    async cleanup() {
      await standIn.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Block this thread for `ms` (no event loop needed, unlike a timer). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Start test/real-az/stand-in.mjs and wait, synchronously, for the port it writes once listening. */
function startStandInProcess(
  worldPath: string,
  logPath: string,
  portFile: string,
): { port: number; kill: () => void; stop: () => Promise<void> } {
  const child: ChildProcess = spawn(
    process.execPath,
    [STAND_IN, '--world', worldPath, '--log', logPath, '--port-file', portFile],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
  const deadline = Date.now() + 15_000;
  while (!existsSync(portFile)) {
    if (Date.now() > deadline || !alive(child.pid)) {
      child.kill('SIGKILL');
      throw new Error('real-az: the stand-in for Azure did not start (test/real-az/stand-in.mjs)');
    }
    sleepSync(10);
  }
  const port = (JSON.parse(readFileSync(portFile, 'utf8')) as { port: number }).port;
  // A test that forgets cleanup() must not hang the run; the stand-in also exits when our stdin pipe closes.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    port,
    kill: () => {
      child.kill('SIGKILL');
    },
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null || !alive(child.pid)) return done();
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          done();
        }, 2_000);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}
