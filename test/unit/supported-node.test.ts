// The Node.js floor: package.json `engines.node` is what the bundled dependencies declare (their
// intersection, checked with npm's own semver), and bin/supported-node.js, the check the bin runs before
// anything else, reads that range exactly as npm does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

interface SupportedNode {
  NODE_RANGE: string;
  parseRange(range: string): { op: string; v: number[] }[] | null;
  satisfies(version: string, range: string): boolean;
  describeRange(range: string): string;
  unsupportedNode(version: string, execPath: string, range: string): string | null;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const support = createRequire(import.meta.url)('../../bin/supported-node.js') as SupportedNode;
const ENGINES = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines
  .node;
// What the bundle carries: the six runtime packages and @azure/logger (src/verify/verify-chat.ts).
const RUNTIME = ['@azure/identity', 'openai', '@inquirer/prompts', 'commander', 'execa', 'chalk', '@azure/logger'];

interface Manifest {
  name: string;
  version: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** The folder node would load `name` from when required inside `from` (node_modules up to the root). */
function resolvePackage(name: string, from: string): string | undefined {
  for (let dir = from; dir.startsWith(ROOT); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === ROOT) break;
  }
  return undefined;
}

/** Every installed package the runtime packages depend on, themselves included, with its engines. */
function runtimeClosure(): Manifest[] {
  const seen = new Map<string, Manifest>();
  const visit = (name: string, from: string): void => {
    const dir = resolvePackage(name, from);
    if (!dir || seen.has(dir)) return; // an optional dependency for another platform is not installed
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    seen.set(dir, manifest);
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dep, dir);
  };
  for (const name of RUNTIME) visit(name, ROOT);
  return [...seen.values()];
}

test('engines.node allows no Node a bundled dependency rejects', () => {
  const closure = runtimeClosure();
  assert.ok(closure.length > RUNTIME.length, 'the runtime packages and their dependencies are installed');
  for (const m of closure) {
    const theirs = m.engines?.node;
    if (theirs)
      assert.ok(semver.subset(ENGINES, theirs), `${m.name}@${m.version} declares node ${theirs}; ours is ${ENGINES}`);
  }
});

test('engines.node is no stricter than the dependencies: just below each floor, one of them says no', () => {
  const closure = runtimeClosure();
  for (const below of ['22.22.1', '23.11.1', '24.14.1', '25.9.0']) {
    const rejecting = closure
      .filter((m) => m.engines?.node && !semver.satisfies(below, m.engines.node))
      .map((m) => m.name);
    assert.ok(rejecting.length > 0, `no bundled dependency rejects Node ${below}: engines.node could allow it`);
  }
});

test('the bin checks engines.node (its copy is the same) and reads all of it (no part it cannot parse)', () => {
  assert.equal(support.NODE_RANGE, ENGINES);
  assert.ok(support.parseRange(ENGINES), ENGINES);
});

const VERSIONS = [
  '8.17.0',
  '18.20.8',
  '20.19.0',
  '20.20.2',
  '22.0.0',
  '22.12.0',
  '22.22.1',
  '22.22.2',
  '22.23.5',
  '23.11.1',
  '24.0.0',
  '24.14.1',
  '24.15.0',
  '24.22.3',
  '25.9.0',
  '26.0.0',
  '26.12.1',
  '27.0.0',
];
for (const version of VERSIONS) {
  const expected = semver.satisfies(version, ENGINES);
  test(`Node ${version}: ${expected ? 'supported' : 'stops with exit 3'} (as npm reads ${ENGINES})`, () => {
    assert.equal(support.satisfies(version, ENGINES), expected);
    assert.equal(support.unsupportedNode(version, '/usr/bin/node', ENGINES) === null, expected);
  });
}

test('a range the bin cannot read never locks anyone out', () => {
  for (const range of ['22.x', '>=22 <27', '~22.12.0', '']) {
    assert.equal(support.parseRange(range), null, range);
    assert.equal(support.satisfies('20.0.0', range), true, range);
  }
});

const DESCRIBED: [string, string][] = [
  ['^22.22.2 || ^24.15.0 || >=26', '22.22.2 or a later 22.x, 24.15.0 or a later 24.x, or 26 and later'],
  ['>=22.12.0', '22.12.0 and later'],
  ['>=22', '22 and later'],
  ['^22.12.0 || >= 24', '22.12.0 or a later 22.x, or 24 and later'],
];
for (const [range, words] of DESCRIBED) {
  test(`describeRange(${JSON.stringify(range)})`, () => assert.equal(support.describeRange(range), words));
}

test('the message: one line with the running Node, the one needed and where to get it', () => {
  const line = support.unsupportedNode('20.20.2', '/usr/bin/node', ENGINES);
  assert.ok(line);
  assert.doesNotMatch(line, /\n/);
  assert.match(line, /this is Node\.js 20\.20\.2 \(\/usr\/bin\/node\)/);
  assert.ok(line.includes(`needs Node.js ${support.describeRange(ENGINES)};`));
  assert.match(line, /https:\/\/nodejs\.org\/en\/download/);
});
