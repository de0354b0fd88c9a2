// npm 11 runs no dependency install script that package.json's `allowScripts` does not approve, and
// ends `npm install` with a warning for each one not reviewed yet (`npm help install-scripts`). The
// decision for each is recorded there, so a fresh install is quiet; this test fails when the lockfile
// brings a package with an install script nobody has decided on, or keeps a decision for one it dropped.
// esbuild: denied. Its postinstall only links the platform binary (@esbuild/<platform>, an optional
// dependency) over bin/esbuild and checks its version, or downloads it when optional dependencies were
// skipped; scripts/build.mjs and tsx use esbuild's JS API, which finds that package by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (name: string): unknown => JSON.parse(readFileSync(join(ROOT, name), 'utf8'));
const pkg = read('package.json') as { allowScripts?: Record<string, boolean> };
const lock = read('package-lock.json') as {
  packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
};

/** name@version of every locked package (the root excluded). */
const locked = Object.entries(lock.packages)
  .filter(([path]) => path !== '')
  .map(([path, p]) => ({
    name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
    version: p.version ?? '',
    script: p.hasInstallScript === true,
  }));

/** `esbuild` or `esbuild@0.28.2` (the pinned form `npm install-scripts approve` writes). */
function covers(key: string, p: { name: string; version: string }): boolean {
  const at = key.lastIndexOf('@');
  return at > 0 ? key.slice(0, at) === p.name && key.slice(at + 1) === p.version : key === p.name;
}

test('every locked package with an install script has a decision in allowScripts', () => {
  const keys = Object.keys(pkg.allowScripts ?? {});
  const undecided = locked
    .filter((p) => p.script && !keys.some((k) => covers(k, p)))
    .map((p) => `${p.name}@${p.version}`);
  assert.deepEqual(
    undecided,
    [],
    'review them, then `npm install-scripts approve <pkg>` or `npm install-scripts deny <pkg>`',
  );
});

test('allowScripts names no package the lockfile no longer has with an install script', () => {
  const stale = Object.keys(pkg.allowScripts ?? {}).filter((k) => !locked.some((p) => p.script && covers(k, p)));
  assert.deepEqual(stale, [], 'remove them: `npm install-scripts prune`');
});

test('esbuild runs no install script: the build uses its JS API and the platform package', () => {
  assert.equal(pkg.allowScripts?.['esbuild'], false);
});
