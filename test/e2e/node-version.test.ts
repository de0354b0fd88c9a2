// The bin on a Node.js older than engines.node: exit 3 and one line (the Node running, the Node needed,
// where to get it), never a stack trace, whatever the command. Run for real with every old node this
// machine has: the `node` binaries on PATH and in /usr/bin, /usr/local/bin (the machine's Node 20), and
// AOAI_KEYLESS_OLD_NODES (.ci/run adds Node 8, which cannot even parse `import()`). On the Node running
// the tests (22 or 24), --help and --version still work and --help names the requirement.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN } from '../support/cli.ts';
import { collect } from '../support/child.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  engines: { node: string };
};
const support = createRequire(import.meta.url)('../../bin/supported-node.js') as {
  satisfies(version: string, range: string): boolean;
  describeRange(range: string): string;
};
const NEEDED = support.describeRange(PKG.engines.node);

interface OldNode {
  path: string;
  version: string;
}

/** Every distinct `node` binary found whose version engines.node does not allow. */
function oldNodes(): OldNode[] {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/bin', '/usr/local/bin'];
  const candidates = [
    ...(process.env['AOAI_KEYLESS_OLD_NODES'] ?? '').split(delimiter),
    ...dirs.map((d) => join(d, 'node')),
  ];
  const found = new Map<string, OldNode>();
  for (const candidate of candidates) {
    if (!candidate || !existsSync(candidate)) continue;
    const real = realpathSync(candidate);
    if (found.has(real) || real === realpathSync(process.execPath)) continue;
    const version = execFileSync(real, ['-e', 'process.stdout.write(process.versions.node)'], { encoding: 'utf8' });
    if (!support.satisfies(version, PKG.engines.node)) found.set(real, { path: real, version });
  }
  return [...found.values()];
}

function run(cmd: string, args: readonly string[], path = process.env['PATH'] ?? '') {
  const child = spawn(cmd, args, {
    env: { PATH: path, HOME: ROOT, CI: 'true' },
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child, 30_000);
}

function assertOneLine(r: { code: number | null; stdout: string; stderr: string }, node: OldNode): void {
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.split('\n');
  assert.deepEqual(lines.slice(1), [''], `one line on stderr, got:\n${r.stderr}`);
  const line = lines[0] ?? '';
  assert.ok(line.includes(`this is Node.js ${node.version} (`), line);
  assert.ok(line.includes(`needs Node.js ${NEEDED};`), line);
  assert.match(line, /Install a current LTS release from https:\/\/nodejs\.org\/en\/download/);
  assert.doesNotMatch(line, /Error|\bat .+:\d+/);
}

describe('on a Node.js older than engines.node', () => {
  const nodes = oldNodes();
  it('finds an old node to run', (t) => {
    if (nodes.length === 0)
      t.skip(`no node older than ${PKG.engines.node} on PATH, in /usr/bin, /usr/local/bin or AOAI_KEYLESS_OLD_NODES`);
    else t.diagnostic(nodes.map((n) => `${n.path} ${n.version}`).join(', '));
  });
  for (const node of nodes) {
    for (const args of [
      ['--help'],
      ['--version'],
      ['setup', '--yes', '--json'],
      ['verify'],
      ['snippet', '--lang', 'ts'],
      ['revoke', '--yes'],
    ]) {
      it(`Node ${node.version}: aoai-keyless ${args.join(' ')} exits 3 with one line`, async () => {
        assertOneLine(await run(node.path, ['--', BIN, ...args]), node);
      });
    }
    it(`Node ${node.version} first on PATH: the bin run through its #! line exits 3 with one line`, async () => {
      assertOneLine(await run(BIN, ['setup'], `${dirname(node.path)}${delimiter}${process.env['PATH'] ?? ''}`), node);
    });
  }
});

describe(`on this Node.js (${process.versions.node})`, () => {
  it('is one engines.node allows', () => assert.ok(support.satisfies(process.versions.node, PKG.engines.node)));
  it('--version prints the version', async () => {
    const r = await run(process.execPath, ['--', BIN, '--version']);
    assert.deepEqual(r, { code: 0, stdout: `${PKG.version}\n`, stderr: '' });
  });
  it('--help prints the help, with the Node.js it needs', async () => {
    const r = await run(process.execPath, ['--', BIN, '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Usage: aoai-keyless/);
    assert.ok(
      r.stdout.replace(/\s+/g, ' ').includes(`Requires Node.js ${NEEDED}, and the Azure CLI signed in (az login).`),
      r.stdout,
    );
  });
  it('setup --help prints the help of setup', async () => {
    const r = await run(process.execPath, ['--', BIN, 'setup', '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Usage: aoai-keyless setup/);
  });
});
