// Drives the CLI through a real pseudo-terminal (see pty-driver.py): the interactive wizard as a user sees it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface PtyStep {
  /** A regular expression awaited in the screen text (ANSI codes removed), after the previous match. */
  expect?: string;
  send?: string;
  timeoutMs?: number;
  delayMs?: number;
}

export interface PtyResult {
  transcript: string;
  exitCode: number | null;
  failedStep: { index: number; expect: string } | null;
}

export const KEY = { enter: '\r', down: '\x1b[B', up: '\x1b[A', ctrlC: '\x03', esc: '\x1b' } as const;

const DRIVER = fileURLToPath(new URL('./pty-driver.py', import.meta.url));

export function runInPty(argv: string[], opts: { env: NodeJS.ProcessEnv; cwd: string; steps: PtyStep[]; exitTimeoutMs?: number }): PtyResult {
  const r = spawnSync('python3', [DRIVER], {
    input: JSON.stringify({ argv, env: opts.env, cwd: opts.cwd, steps: opts.steps, exitTimeoutMs: opts.exitTimeoutMs ?? 30_000 }),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`pty driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as PtyResult;
}
