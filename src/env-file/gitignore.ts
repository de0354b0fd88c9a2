// A .env inside a git work tree must be ignored, or the next `git add .` publishes it.
import { promises as fs } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { ProcessRunner } from '../context.ts';

export interface GitIgnoreStatus {
  /** The work tree's root, or undefined outside git. */
  repoRoot: string | undefined;
  ignored: boolean;
  /** The line to add to <repoRoot>/.gitignore when it is not ignored. */
  pattern: string | undefined;
}

async function findRepoRoot(start: string): Promise<string | undefined> {
  let dir = start;
  for (;;) {
    try {
      await fs.stat(join(dir, '.git'));
      return dir;
    } catch {
      const up = dirname(dir);
      if (up === dir) return undefined;
      dir = up;
    }
  }
}

export async function gitIgnoreStatus(runner: ProcessRunner, envPath: string): Promise<GitIgnoreStatus> {
  const repoRoot = await findRepoRoot(dirname(envPath));
  if (!repoRoot) return { repoRoot: undefined, ignored: true, pattern: undefined };
  const rel = relative(repoRoot, envPath).split(sep).join('/');
  let ignored: boolean;
  try {
    // git itself knows every rule (nested .gitignore, info/exclude, core.excludesFile).
    const r = await runner.run('git', ['-C', repoRoot, 'check-ignore', '-q', '--no-index', '--', rel], {
      timeoutMs: 10_000,
    });
    ignored = r.exitCode === 0;
  } catch {
    // No git binary: read the root .gitignore for the exact name.
    const text = await fs.readFile(join(repoRoot, '.gitignore'), 'utf8').catch(() => '');
    const name = rel.split('/').pop() ?? rel;
    ignored = text.split(/\r?\n/).some((l) => [rel, `/${rel}`, name, `**/${name}`].includes(l.trim()));
  }
  return { repoRoot, ignored, pattern: ignored ? undefined : `/${rel}` };
}

export async function addToGitIgnore(repoRoot: string, pattern: string): Promise<string> {
  const path = join(repoRoot, '.gitignore');
  const existing = await fs.readFile(path, 'utf8').catch(() => undefined);
  const eol = existing?.includes('\r\n') ? '\r\n' : '\n';
  const prefix = existing === undefined || existing === '' ? '' : existing.endsWith('\n') ? '' : eol;
  await fs.writeFile(
    path,
    `${existing ?? ''}${prefix}# local settings for Azure OpenAI (aoai-keyless)${eol}${pattern}${eol}`,
    'utf8',
  );
  return path;
}
