// The only code that touches the .env file on disk. Writes are atomic (a temp file in the same folder,
// then rename), so a crash or Ctrl-C leaves either the old file or the new one, never half of either.
import { constants, promises as fs } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.ts';

export interface EnvFileOnDisk {
  /** The path as the user named it, absolute. */
  path: string;
  /** Where bytes go: the symlink's target when .env is a link, so the link survives. */
  realPath: string;
  text: string | undefined;
  mode: number | undefined;
}

/** Reads the file and checks that it can be written, before anything else happens. */
export async function readEnvFile(path: string, cwd: string): Promise<EnvFileOnDisk> {
  const abs = resolve(cwd, path);
  let realPath = abs;
  try {
    realPath = await fs.realpath(abs);
  } catch {
    // Does not exist yet (or a dangling link): written where named.
  }
  let stat;
  try {
    stat = await fs.stat(realPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw unusable(path, (e as Error).message);
  }
  if (stat?.isDirectory()) throw unusable(path, 'it is a directory');
  const dir = dirname(realPath);
  try {
    const d = await fs.stat(dir);
    if (!d.isDirectory()) throw new Error('not a directory');
    await fs.access(dir, constants.W_OK);
  } catch {
    throw unusable(path, `its folder ${dir} does not exist or cannot be written`);
  }
  if (!stat) return { path: abs, realPath, text: undefined, mode: undefined };
  try {
    await fs.access(realPath, constants.R_OK | constants.W_OK);
    const text = await fs.readFile(realPath, 'utf8');
    return { path: abs, realPath, text, mode: stat.mode & 0o777 };
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

/** Writes `text` atomically, keeping the file's mode; a new file gets 0600 (it sits beside secrets). */
export async function writeEnvFileAtomic(file: EnvFileOnDisk, text: string): Promise<void> {
  const dir = dirname(file.realPath);
  const tmp = join(dir, `.${basename(file.realPath)}.aoai-keyless-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const mode = file.mode ?? 0o600;
  const handle = await fs.open(tmp, 'wx', mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // open() applies the umask; chmod makes the mode exact.
    await fs.chmod(tmp, mode);
    await fs.rename(tmp, file.realPath);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
