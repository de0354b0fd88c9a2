// A .env inside a git work tree must be ignored, or the next `git add .` publishes it: the rules that decide
// whether setup offers a .gitignore line, and the line it writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessRunner, RunOptions } from '../../src/context.ts';
import { createProcessRunner } from '../../src/az/runner.ts';
import { addToGitIgnore, gitIgnoreStatus } from '../../src/env-file/gitignore.ts';

const git = createProcessRunner(process.env);
/** A machine without git: the runner cannot start it. */
const noGit: ProcessRunner = {
  run: () => Promise.reject(Object.assign(new Error('spawn git ENOENT'), { code: 'ENOENT' })),
};

async function repo(gitignore?: string, { init = true } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gitignore-'));
  // Where git is not asked, a .git folder is all that makes a work tree.
  if (init) await git.run('git', ['init', '-q', dir]);
  else await mkdir(join(dir, '.git'));
  if (gitignore !== undefined) await writeFile(join(dir, '.gitignore'), gitignore);
  return dir;
}

test('outside a git work tree there is nothing to ignore and no line to add', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gitignore-'));
  let ran = false;
  const runner: ProcessRunner = {
    run: () => {
      ran = true;
      return Promise.reject(new Error('git must not run outside a work tree'));
    },
  };
  assert.deepEqual(await gitIgnoreStatus(runner, join(dir, '.env')), {
    repoRoot: undefined,
    ignored: true,
    pattern: undefined,
  });
  assert.equal(ran, false);
});

test('git decides: an ignored .env needs no line; one git would add gets `/<path from the root>`', async () => {
  const root = await repo('.env\n');
  assert.deepEqual(await gitIgnoreStatus(git, join(root, '.env')), {
    repoRoot: root,
    ignored: true,
    pattern: undefined,
  });
  await mkdir(join(root, 'app', 'config'), { recursive: true });
  const nested = await gitIgnoreStatus(git, join(root, 'app', 'config', 'local.env'));
  assert.deepEqual(nested, { repoRoot: root, ignored: false, pattern: '/app/config/local.env' });
});

test('the work tree is the closest folder with .git, a .git file (worktree, submodule) included', async () => {
  const outer = await repo();
  const inner = join(outer, 'sub');
  await mkdir(join(inner, 'deep'), { recursive: true });
  await writeFile(join(inner, '.git'), 'gitdir: ../.git/worktrees/sub\n');
  const calls: Array<{ args: readonly string[]; opts: RunOptions | undefined }> = [];
  const runner: ProcessRunner = {
    run: (_cmd, args, opts) => {
      calls.push({ args, opts });
      return Promise.resolve({ exitCode: 1, stdout: '', stderr: '' });
    },
  };
  const s = await gitIgnoreStatus(runner, join(inner, 'deep', '.env'));
  assert.deepEqual(s, { repoRoot: inner, ignored: false, pattern: '/deep/.env' });
  // git is asked about the path from that root, by its rules alone (--no-index: tracked or not), and not
  // waited on forever.
  assert.deepEqual(calls, [
    {
      args: ['-C', inner, 'check-ignore', '-q', '--no-index', '--', 'deep/.env'],
      opts: { timeoutMs: 10_000 },
    },
  ]);
});

// git check-ignore -q: 0 when the path is ignored, 1 when it is not, 128 on a fatal error.
for (const [exitCode, ignored] of [
  [0, true],
  [1, false],
  [128, false],
] as const) {
  test(`git check-ignore exiting ${exitCode} means ${ignored ? 'ignored' : 'not ignored: setup offers the line'}`, async () => {
    const root = await repo(undefined, { init: false });
    const runner: ProcessRunner = { run: () => Promise.resolve({ exitCode, stdout: '', stderr: '' }) };
    const s = await gitIgnoreStatus(runner, join(root, '.env'));
    assert.equal(s.ignored, ignored);
    assert.equal(s.pattern, ignored ? undefined : '/.env');
  });
}

// Without git the root .gitignore is read for the exact name only: a pattern it cannot be sure of is not ignored.
const WITHOUT_GIT: Array<[gitignore: string | undefined, envPath: string, ignored: boolean]> = [
  [undefined, '.env', false],
  ['', '.env', false],
  ['.env\n', '.env', true],
  ['/.env\n', '.env', true],
  ['**/.env\n', '.env', true],
  ['  .env  \n', '.env', true],
  ['node_modules\r\n.env\r\n', '.env', true],
  ['node_modules\n.env\n', '.env', true],
  ['app/.env\n', 'app/.env', true],
  ['/app/.env\n', 'app/.env', true],
  ['.env\n', 'app/.env', true],
  ['**/.env\n', 'app/.env', true],
  ['.env.local\n', '.env', false],
  ['# .env\n', '.env', false],
  ['*.env\n', '.env', false],
  ['other/.env\n', 'app/.env', false],
];
for (const [gitignore, envPath, ignored] of WITHOUT_GIT) {
  test(`without git, ${JSON.stringify(gitignore)} ${ignored ? 'ignores' : 'does not ignore'} ${envPath}`, async () => {
    const root = await repo(gitignore, { init: false });
    await mkdir(join(root, 'app'), { recursive: true });
    const s = await gitIgnoreStatus(noGit, join(root, envPath));
    assert.deepEqual(s, { repoRoot: root, ignored, pattern: ignored ? undefined : `/${envPath}` });
  });
}

const LINE = '# local settings for Azure OpenAI (aoai-keyless)';
// The lines are appended after whatever the file holds, on a line of their own, in the file's own line ending.
const ADDS: Array<[name: string, before: string | undefined, after: string]> = [
  ['no .gitignore yet', undefined, `${LINE}\n/.env\n`],
  ['an empty .gitignore', '', `${LINE}\n/.env\n`],
  ['a last line with its newline', 'node_modules\n', `node_modules\n${LINE}\n/.env\n`],
  ['a last line without a newline', 'node_modules', `node_modules\n${LINE}\n/.env\n`],
  ['CRLF lines', 'node_modules\r\n', `node_modules\r\n${LINE}\r\n/.env\r\n`],
  ['CRLF lines, the last one without', 'dist\r\nnode_modules', `dist\r\nnode_modules\r\n${LINE}\r\n/.env\r\n`],
];
for (const [name, before, after] of ADDS) {
  test(`adding to .gitignore: ${name}`, async () => {
    const root = await mkdtemp(join(tmpdir(), 'gitignore-'));
    if (before !== undefined) await writeFile(join(root, '.gitignore'), before);
    assert.equal(await addToGitIgnore(root, '/.env'), join(root, '.gitignore'));
    assert.equal(await readFile(join(root, '.gitignore'), 'utf8'), after);
  });
}

test('the line added makes git ignore the .env', async () => {
  const root = await repo('node_modules');
  const before = await gitIgnoreStatus(git, join(root, '.env'));
  assert.equal(before.ignored, false);
  await addToGitIgnore(root, before.pattern ?? '');
  assert.equal((await gitIgnoreStatus(git, join(root, '.env'))).ignored, true);
});
