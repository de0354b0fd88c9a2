// Reading a .env without writing it (verify, snippet, revoke): a read-only file or folder is fine,
// a missing file is no error (those commands also run on environment variables alone).
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { envValues, parseEnvFile } from './parse.ts';

export interface EnvFileForReading {
  path: string;
  realPath: string;
  text: string | undefined;
  /** The values as dotenv's parse() returns them; undefined when there is no file. */
  values: Record<string, string> | undefined;
}

export async function readEnvFileForReading(path: string, cwd: string): Promise<EnvFileForReading> {
  const abs = resolve(cwd, path);
  let text: string | undefined;
  let realPath = abs;
  try {
    realPath = await fs.realpath(abs);
    text = await fs.readFile(realPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new UsageError(
        `--env-file ${path} cannot be read: ${(e as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a directory' : (e as Error).message}.`,
        {
          code: 'env-file-unusable',
          hint: 'Pass --env-file with a readable file, or leave it out and use environment variables.',
        },
      );
    }
  }
  return { path: abs, realPath, text, values: text === undefined ? undefined : envValues(parseEnvFile(text)) };
}
