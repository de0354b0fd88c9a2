// The .env on disk: which files verify/snippet/revoke read and which setup may write, what each refusal says,
// and what a write leaves behind (real temp files: these rules are about the file system).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../src/errors.ts';
import { readEnvFileForReading } from '../../src/env-file/read.ts';
import { EnvFileChanged, readEnvFile, writeEnvFileAtomic } from '../../src/env-file/write.ts';

const folder = () => mkdtemp(join(tmpdir(), 'envdisk-'));

/** The refusal: a UsageError with the code, naming the path as given and why. */
function refused(code: string, message: RegExp, hint: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof UsageError, String(e));
    assert.equal(e.code, code);
    assert.match(e.message, message);
    assert.match(e.hint ?? '', hint);
    return true;
  };
}

test('reading: a missing .env is no error (the commands also run on environment variables)', async () => {
  const dir = await folder();
  assert.deepEqual(await readEnvFileForReading('.env', dir), {
    path: join(dir, '.env'),
    realPath: join(dir, '.env'),
    text: undefined,
    values: undefined,
  });
});

test("reading: the values are dotenv's, from the file a symlink points to, read-only or not", async () => {
  const dir = await folder();
  await mkdir(join(dir, 'conf'));
  await writeFile(join(dir, 'conf', 'app.env'), 'export A=1\nB="two words" # c\nA=3\n', { mode: 0o400 });
  await symlink('conf/app.env', join(dir, '.env'));
  const r = await readEnvFileForReading('./.env', dir);
  assert.equal(r.path, join(dir, '.env'));
  assert.equal(r.realPath, join(dir, 'conf', 'app.env'));
  assert.equal(r.text, 'export A=1\nB="two words" # c\nA=3\n');
  assert.deepEqual(r.values, { A: '3', B: 'two words' });
});

test('reading: an empty file has no values, and is not a missing one', async () => {
  const dir = await folder();
  await writeFile(join(dir, '.env'), '');
  const r = await readEnvFileForReading('.env', dir);
  assert.equal(r.text, '');
  assert.deepEqual(r.values, {});
});

test('reading: a directory, or a path through a file, is refused with why', async () => {
  const dir = await folder();
  await mkdir(join(dir, 'adir'));
  await writeFile(join(dir, 'afile'), 'x');
  const hint = /Pass --env-file with a readable file, or leave it out and use environment variables/;
  await assert.rejects(
    readEnvFileForReading('adir', dir),
    refused('env-file-unusable', /^--env-file adir cannot be read: it is a directory\.$/, hint),
  );
  await assert.rejects(
    readEnvFileForReading('afile/.env', dir),
    refused('env-file-unusable', /^--env-file afile\/\.env cannot be read: ENOTDIR: not a directory.*\.$/, hint),
  );
});

const writeHint = /Pass --env-file with a writable file path, for example --env-file \.\/\.env/;

test('for writing: a new file is described by its folder (owner, group), with no text and no mode', async () => {
  const dir = await folder();
  const d = await stat(dir);
  assert.deepEqual(await readEnvFile('.env', dir), {
    path: join(dir, '.env'),
    realPath: join(dir, '.env'),
    text: undefined,
    mode: undefined,
    uid: d.uid,
    gid: d.gid,
    hardLinked: false,
  });
});

test('for writing: an existing file brings its text, its permission bits, owner and group', async () => {
  const dir = await folder();
  await writeFile(join(dir, '.env'), 'A=1\n');
  await chmod(join(dir, '.env'), 0o640);
  const st = await stat(join(dir, '.env'));
  assert.deepEqual(await readEnvFile('.env', dir), {
    path: join(dir, '.env'),
    realPath: join(dir, '.env'),
    text: 'A=1\n',
    mode: 0o640,
    uid: st.uid,
    gid: st.gid,
    hardLinked: false,
  });
});

test('for writing: a path through a file, a symlink loop, a folder that is a file are refused with why', async () => {
  const dir = await folder();
  await writeFile(join(dir, 'afile'), 'x');
  await symlink('loop-b', join(dir, 'loop-a'));
  await symlink('loop-a', join(dir, 'loop-b'));
  await symlink('afile', join(dir, 'to-file'));
  await assert.rejects(
    readEnvFile('afile/.env', dir),
    refused('env-file-unusable', /^--env-file afile\/\.env cannot be used: ENOTDIR: not a directory.*\.$/, writeHint),
  );
  await assert.rejects(
    readEnvFile('loop-a', dir),
    refused('env-file-unusable', /^--env-file loop-a cannot be used: too many levels of symbolic links\.$/, writeHint),
  );
  await assert.rejects(
    readEnvFile('missing/.env', dir),
    refused(
      'env-file-unusable',
      new RegExp(
        `^--env-file missing/\\.env cannot be used: its folder ${join(dir, 'missing')} does not exist or cannot be written\\.$`,
      ),
      writeHint,
    ),
  );
  await mkdir(join(dir, 'adir'));
  await assert.rejects(
    readEnvFile('adir', dir),
    refused('env-file-unusable', /^--env-file adir cannot be used: it is a directory\.$/, writeHint),
  );
});

test('for writing: a symlink chain is followed link by link to the file it ends at', async () => {
  const dir = await folder();
  await mkdir(join(dir, 'a'));
  await mkdir(join(dir, 'b'));
  await writeFile(join(dir, 'b', 'real.env'), 'A=1\n');
  await symlink('../b/real.env', join(dir, 'a', 'link.env'));
  await symlink('a/link.env', join(dir, '.env'));
  const f = await readEnvFile('.env', dir);
  assert.equal(f.realPath, join(dir, 'b', 'real.env'));
  assert.equal(f.text, 'A=1\n');
  await writeEnvFileAtomic(f, 'A=2\n');
  assert.equal(await readFile(join(dir, 'b', 'real.env'), 'utf8'), 'A=2\n');
  assert.deepEqual((await readdir(join(dir, 'b'))).sort(), ['real.env']);
});

test('a write refused because the file changed leaves the file as it is and no temp file', async () => {
  const dir = await folder();
  await writeFile(join(dir, '.env'), 'A=1\n');
  const f = await readEnvFile('.env', dir);
  await writeFile(join(dir, '.env'), 'A=1\nMINE=1\n');
  const changed = await writeEnvFileAtomic(f, 'A=2\n').then(
    () => assert.fail('written over an edit'),
    (e: unknown) => e,
  );
  assert.ok(changed instanceof EnvFileChanged);
  assert.equal(changed.current, 'A=1\nMINE=1\n', 'the caller gets the new text to merge into');
  assert.equal(changed.message, 'the .env changed since it was read');
  assert.equal(await readFile(join(dir, '.env'), 'utf8'), 'A=1\nMINE=1\n');
  assert.deepEqual(await readdir(dir), ['.env']);
});

test('a file created, or deleted, since it was read is a change too', async () => {
  const dir = await folder();
  const created = await readEnvFile('.env', dir);
  await writeFile(join(dir, '.env'), 'THEIRS=1\n');
  await assert.rejects(
    writeEnvFileAtomic(created, 'A=1\n'),
    (e) => e instanceof EnvFileChanged && e.current === 'THEIRS=1\n',
  );
  const deleted = await readEnvFile('.env', dir);
  await rm(join(dir, '.env'));
  await assert.rejects(
    writeEnvFileAtomic(deleted, 'A=1\n'),
    (e) => e instanceof EnvFileChanged && e.current === undefined,
  );
  assert.deepEqual(await readdir(dir), []);
});

test('a new file gets mode 0600 whatever the umask; an existing one keeps its exact mode', async () => {
  const dir = await folder();
  // A umask that would leave the file world-readable: the new file is 0600 all the same.
  const old = process.umask(0o002);
  try {
    await writeEnvFileAtomic(await readEnvFile('.env', dir), 'A=1\n');
    assert.equal((await stat(join(dir, '.env'))).mode & 0o777, 0o600);
    await writeFile(join(dir, 'shared.env'), 'A=1\n');
    await chmod(join(dir, 'shared.env'), 0o664);
    // A umask stricter than the file's mode does not narrow it.
    process.umask(0o077);
    await writeEnvFileAtomic(await readEnvFile('shared.env', dir), 'A=2\n');
    assert.equal((await stat(join(dir, 'shared.env'))).mode & 0o777, 0o664);
  } finally {
    process.umask(old);
  }
});

test('a write that fails after its temp file was written removes the temp file and reports the failure', async () => {
  const dir = await folder();
  const f = await readEnvFile('.env', dir);
  // The path became a folder since it was read: re-reading it fails (EISDIR), nothing is renamed over it.
  await mkdir(join(dir, '.env'));
  await assert.rejects(writeEnvFileAtomic(f, 'A=1\n'), (e: NodeJS.ErrnoException) => e.code === 'EISDIR');
  assert.deepEqual(await readdir(dir), ['.env']);
  assert.ok((await stat(join(dir, '.env'))).isDirectory());
});

const NOBODY = 65534;
/**
 * Runs `fn` as an ordinary user (nobody) runs setup: the file system checks the effective user and group, and
 * the process reports that user as its own (the real user stays root so the test can switch back).
 */
async function asNobody<T>(fn: () => Promise<T>): Promise<T> {
  const { getuid } = process;
  if (!getuid) throw new Error('needs POSIX user ids');
  process.setegid?.(NOBODY);
  process.seteuid?.(NOBODY);
  process.getuid = () => NOBODY;
  try {
    return await fn();
  } finally {
    process.getuid = getuid;
    process.seteuid?.(0);
    process.setegid?.(0);
  }
}
const asRoot = { skip: process.getuid?.() !== 0 ? 'needs root to act as another user' : false };

test('a group-writable .env of another user is written in place: it stays theirs, with its mode', asRoot, async () => {
  const dir = await folder();
  await chmod(dir, 0o777);
  await writeFile(join(dir, '.env'), 'A=1\n');
  await chown(join(dir, '.env'), 0, NOBODY);
  await chmod(join(dir, '.env'), 0o660);
  const before = (await stat(join(dir, '.env'))).ino;
  await asNobody(async () => writeEnvFileAtomic(await readEnvFile('.env', dir), 'A=2\n'));
  const st = await stat(join(dir, '.env'));
  assert.deepEqual([st.uid, st.gid, st.mode & 0o777, st.ino], [0, NOBODY, 0o660, before]);
  assert.equal(await readFile(join(dir, '.env'), 'utf8'), 'A=2\n');
  assert.deepEqual(await readdir(dir), ['.env']);
});

test("a user's new .env is theirs and 0600, even in a folder of another user", asRoot, async () => {
  const dir = await folder();
  await chmod(dir, 0o777);
  await asNobody(async () => writeEnvFileAtomic(await readEnvFile('.env', dir), 'A=1\n'));
  const st = await stat(join(dir, '.env'));
  assert.deepEqual([st.uid, st.mode & 0o777], [NOBODY, 0o600]);
  assert.deepEqual(await readdir(dir), ['.env']);
});

test('an existing .env the user cannot read is refused with why', asRoot, async () => {
  const dir = await folder();
  await chmod(dir, 0o777);
  await writeFile(join(dir, '.env'), 'A=1\n', { mode: 0o600 });
  await assert.rejects(
    asNobody(() => readEnvFile('.env', dir)),
    refused('env-file-unusable', /^--env-file \.env cannot be used: EACCES: permission denied, open .*\.$/, writeHint),
  );
});

test('a file described without an owner or a group (none to keep) is still replaced atomically', async () => {
  const dir = await folder();
  await writeFile(join(dir, '.env'), 'A=1\n');
  const before = (await stat(join(dir, '.env'))).ino;
  for (const unknown of [{ uid: undefined, gid: undefined }, { uid: undefined }, { gid: undefined }]) {
    const now = (await stat(join(dir, '.env'))).ino;
    await writeEnvFileAtomic({ ...(await readEnvFile('.env', dir)), ...unknown }, 'A=2\n');
    assert.notEqual(
      (await stat(join(dir, '.env'))).ino,
      now,
      `renamed into place, not rewritten: ${Object.keys(unknown)}`,
    );
  }
  assert.notEqual((await stat(join(dir, '.env'))).ino, before);
  assert.equal(await readFile(join(dir, '.env'), 'utf8'), 'A=2\n');
});
