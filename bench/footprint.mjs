// 5. Install footprint: what `npx aoai-keyless` downloads and unpacks on a cold machine. The packed
// tarball (npm pack), the folder after a production install of it in an empty project, and beside it a
// plain install of the six design dependencies (the seed's stack) in another empty project.
// The only part of the benchmark that talks to anything beyond loopback: the npm registry.
import { lstatSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PKG, ROOT, fmtNum, log, tempDir, timed } from './lib.mjs';

// The six at the versions this project builds with (node_modules), so the baseline moves with them.
const DESIGN_DEPS = ['commander', '@inquirer/prompts', 'execa', '@azure/identity', 'openai', 'chalk'].map(
  (name) => `${name}@${JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version}`,
);
const TARGET_MB = 3;
const NPM_FLAGS = ['--no-audit', '--no-fund', '--no-update-notifier'];
const UNREACHABLE =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|proxy|socket hang up/i;

const mb = (/** @type {number} */ bytes) => `${(bytes / 1e6).toFixed(2)} MB`;

/** Bytes of all files below `dir` (apparent size; symlinks as links, not followed). @param {string} dir @returns {number} */
function folderBytes(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += folderBytes(p);
    else total += lstatSync(p).size;
  }
  return total;
}

/** The packages in a node_modules tree (nested ones included), by name@version. @param {string} nodeModules @returns {string[]} */
function packages(nodeModules) {
  /** @type {string[]} */
  const found = [];
  if (!existsSync(nodeModules)) return found;
  for (const e of readdirSync(nodeModules, { withFileTypes: true })) {
    if (e.name.startsWith('.') || !e.isDirectory()) continue;
    const dirs = e.name.startsWith('@')
      ? readdirSync(join(nodeModules, e.name)).map((n) => join(nodeModules, e.name, n))
      : [join(nodeModules, e.name)];
    for (const d of dirs) {
      const pj = join(d, 'package.json');
      if (!existsSync(pj)) continue;
      const { name, version } = JSON.parse(readFileSync(pj, 'utf8'));
      found.push(`${name}@${version}`);
      found.push(...packages(join(d, 'node_modules')));
    }
  }
  return found;
}

/** @param {string} prefix */
function emptyProject(prefix) {
  const dir = tempDir(prefix);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `bench-${prefix}`, version: '1.0.0', private: true }),
  );
  return dir;
}

/** @param {string[]} args @param {string} cwd */
async function npm(args, cwd, timeoutMs = 180_000) {
  return timed('npm', args, { cwd, env: process.env, timeoutMs });
}

export async function footprint() {
  log('footprint: npm pack, production install of the tarball, plain install of the design dependencies');
  const rows = [];

  // The tarball, of the copy the other sections measured. --ignore-scripts: `prepare` would rebuild dist/.
  const packDir = tempDir('pack');
  const pack = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], PKG, 60_000);
  if (pack.code !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0];
  const tarball = join(packDir, info.filename);
  rows.push([
    '5. footprint',
    'packed tarball (npm pack)',
    `${mb(info.size)} (${info.entryCount} files, ${mb(info.unpackedSize)} unpacked)`,
    '',
    '',
    'info',
  ]);

  // A production install of it, as npx does.
  const mine = emptyProject('install');
  const inst = await npm(['install', '--omit=dev', ...NPM_FLAGS, tarball], mine);
  if (inst.code !== 0) throw new Error(`npm install --omit=dev <tarball> failed: ${inst.stderr}`);
  const mineBytes = folderBytes(join(mine, 'node_modules'));
  const minePkgs = packages(join(mine, 'node_modules'));
  const manifest = JSON.parse(readFileSync(join(mine, 'node_modules', 'aoai-keyless', 'package.json'), 'utf8'));
  const declared = ['dependencies', 'optionalDependencies', 'peerDependencies'].flatMap((k) =>
    Object.keys(manifest[k] ?? {}),
  );
  const deps = minePkgs.filter((p) => !p.startsWith('aoai-keyless@'));

  // The seed's stack, installed plainly.
  const theirs = emptyProject('design');
  // Bounded: an unreachable registry makes npm retry for minutes by default.
  const plain = await npm(
    ['install', ...NPM_FLAGS, '--fetch-timeout=30000', '--fetch-retries=1', ...DESIGN_DEPS],
    theirs,
    150_000,
  );
  let baseline = 'n/a (registry unreachable)';
  let baseBytes;
  if (plain.code === 0) {
    baseBytes = folderBytes(join(theirs, 'node_modules'));
    baseline = `6 design deps, plain install: ${mb(baseBytes)}, ${packages(join(theirs, 'node_modules')).length} packages`;
  } else if (plain.signal === null && !UNREACHABLE.test(plain.stderr)) {
    baseline = `n/a (npm install failed: ${
      plain.stderr
        .trim()
        .split('\n')
        .find((l) => /ERR/.test(l)) ?? `exit ${plain.code}`
    })`;
  }

  rows.push([
    '5. footprint',
    'production install of the tarball (node_modules)',
    `${mb(mineBytes)}, ${minePkgs.length} package${minePkgs.length === 1 ? '' : 's'}`,
    baseline,
    `${baseBytes ? `${fmtNum((mineBytes / baseBytes) * 100)} % of it; ` : ''}target < ${TARGET_MB} MB`,
    mineBytes < TARGET_MB * 1e6 ? 'PASS' : 'FAIL',
  ]);
  rows.push([
    '5. footprint',
    'dependencies npx has to resolve',
    `${deps.length} installed${declared.length ? `; declared: ${declared.join(', ')}` : ', none declared'}`,
    '',
    'target 0',
    deps.length === 0 && declared.length === 0 ? 'PASS' : 'FAIL',
  ]);

  // And it runs from there (everything it needs is bundled).
  const run = await timed(join(mine, 'node_modules', '.bin', 'aoai-keyless'), ['--version'], { cwd: mine });
  rows.push([
    '5. footprint',
    'installed bin runs (`aoai-keyless --version` from the install)',
    run.code === 0 ? run.stdout.trim() : `exit ${run.code}: ${run.stderr.trim().split('\n')[0]}`,
    '',
    `package version ${manifest.version}`,
    run.code === 0 && run.stdout.trim() === manifest.version ? 'PASS' : 'FAIL',
  ]);
  return rows;
}
