// Drives the CLI through a real pseudo-terminal (see pty-driver.py): the interactive wizard as a user sees it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { collect } from './child.ts';

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

/** Async, so servers in the test's own process (the local Azure OpenAI) keep answering meanwhile. */
export async function runInPty(
  argv: string[],
  opts: { env: NodeJS.ProcessEnv; cwd: string; steps: PtyStep[]; exitTimeoutMs?: number },
): Promise<PtyResult> {
  const child = spawn('python3', [DRIVER], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(
    JSON.stringify({
      argv,
      env: opts.env,
      cwd: opts.cwd,
      steps: opts.steps,
      exitTimeoutMs: opts.exitTimeoutMs ?? 30_000,
    }),
  );
  const r = await collect(child, 10 * 60_000);
  if (r.code !== 0) throw new Error(`pty driver failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as PtyResult;
}
