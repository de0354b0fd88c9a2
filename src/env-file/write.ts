// The only code that touches the .env file on disk. A write goes to a temp file in the same folder, then
// rename, so a crash or Ctrl-C leaves either the old file or the new one, never half of either; just
// before the rename the file is read again and, when it changed since it was read (an edit made while
// setup waited on Azure), nothing is written (EnvFileChanged) so the caller merges into the new text.
// The file keeps its owner, group and mode; a symlink (dangling too) is written through, and a file with
// several hard links is written in place, because a rename would split it from its other names.
import { constants, promises as fs, type Stats } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.ts';

export interface EnvFileOnDisk {
  /** The path as the user named it, absolute. */
  path: string;
  /** Where bytes go: the symlink's target (dangling or not) when .env is a link, so the link survives. */
  realPath: string;
  text: string | undefined;
  mode: number | undefined;
  /** Owner and group of the existing file, or of a new file's folder. */
  uid: number | undefined;
  gid: number | undefined;
  /** More than one hard link: written in place. */
  hardLinked: boolean;
}

/** Thrown when the file changed between reading and writing: `current` is what it holds now. */
export class EnvFileChanged extends Error {
  constructor(readonly current: string | undefined) {
    super('the .env changed since it was read');
  }
}

/** Follows symlinks one at a time, so a dangling link yields the path it points to. */
async function followLinks(abs: string): Promise<string> {
  let p = abs;
  for (let hops = 0; hops < 40; hops++) {
    const st = await fs.lstat(p).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
      throw e;
    });
    if (!st?.isSymbolicLink()) return p;
    p = resolve(dirname(p), await fs.readlink(p));
  }
  throw new Error('too many levels of symbolic links');
}

/** Reads the file and checks that it can be written, before anything else happens. */
export async function readEnvFile(path: string, cwd: string): Promise<EnvFileOnDisk> {
  const abs = resolve(cwd, path);
  let realPath: string;
  let stat: Stats | undefined;
  try {
    realPath = await followLinks(abs);
    stat = await fs.stat(realPath).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
  } catch (e) {
    throw unusable(path, (e as Error).message);
  }
  if (stat?.isDirectory()) throw unusable(path, 'it is a directory');
  const dir = dirname(realPath);
  let dirStat: Stats;
  try {
    // A folder that is a file cannot get here: stat(realPath) above fails with ENOTDIR first.
    dirStat = await fs.stat(dir);
    await fs.access(dir, constants.W_OK);
  } catch {
    throw unusable(path, `its folder ${dir} does not exist or cannot be written`);
  }
  if (!stat)
    return {
      path: abs,
      realPath,
      text: undefined,
      mode: undefined,
      uid: dirStat.uid,
      gid: dirStat.gid,
      hardLinked: false,
    };
  try {
    await fs.access(realPath, constants.R_OK | constants.W_OK);
    const text = await fs.readFile(realPath, 'utf8');
    return {
      path: abs,
      realPath,
      text,
      mode: stat.mode & 0o777,
      uid: stat.uid,
      gid: stat.gid,
      hardLinked: stat.nlink > 1,
    };
  } catch (e) {
    throw unusable(path, (e as Error).message);
  }
}

function unusable(path: string, why: string): UsageError {
  return new UsageError(`--env-file ${path} cannot be used: ${why}.`, {
    code: 'env-file-unusable',
    hint: 'Pass --env-file with a writable file path, for example --env-file ./.env',
  });
}

async function currentText(realPath: string): Promise<string | undefined> {
  return fs.readFile(realPath, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
}

/** Throws EnvFileChanged when the file no longer holds what was read. */
async function checkUnchanged(file: EnvFileOnDisk): Promise<void> {
  const now = await currentText(file.realPath);
  if (now !== file.text) throw new EnvFileChanged(now);
}

/**
 * Writes `text` where `file` was read, keeping its mode (a new file gets 0600: it sits beside secrets),
 * owner and group; atomically unless the file has other hard links.
 */
export async function writeEnvFileAtomic(file: EnvFileOnDisk, text: string): Promise<void> {
  if (file.hardLinked) return writeInPlace(file, text);
  const dir = dirname(file.realPath);
  const tmp = join(
    dir,
    `.${basename(file.realPath)}.aoai-keyless-${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  const mode = file.mode ?? 0o600;
  const handle = await fs.open(tmp, 'wx', mode);
  try {
    // Stryker disable next-line StringLiteral: an empty encoding is utf8 to Node, so no test can tell them apart.
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // open() applies the umask; chmod makes the mode exact.
    await fs.chmod(tmp, mode);
    if (!(await keepOwner(tmp, file))) {
      // Not allowed to give the new inode the file's owner (a group-writable file of another user):
      // writing in place keeps it.
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: the temp file exists here, so force changes nothing.
      await fs.rm(tmp, { force: true });
      return writeInPlace(file, text);
    }
    await checkUnchanged(file);
    await fs.rename(tmp, file.realPath);
  } catch (e) {
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: every step that can throw here runs while the temp file exists.
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/** Gives `tmp` the owner and group the file has (a new file: its folder's, when we are root, as under sudo). */
async function keepOwner(tmp: string, file: EnvFileOnDisk): Promise<boolean> {
  if (file.uid === undefined || file.gid === undefined) return true;
  const st = await fs.stat(tmp);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: only skips a chown to the owner the file already has, which succeeds.
  if (st.uid === file.uid && st.gid === file.gid) return true;
  if (file.text === undefined && process.getuid?.() !== 0) return true;
  try {
    await fs.chown(tmp, file.uid, file.gid);
    return true;
  } catch {
    return file.text === undefined;
  }
}

async function writeInPlace(file: EnvFileOnDisk, text: string): Promise<void> {
  await checkUnchanged(file);
  // O_TRUNC on the same inode: every hard link sees the new text; owner and mode stay.
  // Stryker disable next-line StringLiteral: an empty encoding is utf8 to Node, so no test can tell them apart.
  await fs.writeFile(file.realPath, text, 'utf8');
}
