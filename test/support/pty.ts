// Drives the CLI through a real pseudo-terminal (see pty-driver.py): the interactive wizard as a user sees it.
import { spawn } from 'node:child_process';
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

/** Async, so servers in the test's own process (the local Azure OpenAI) keep answering meanwhile. */
export function runInPty(argv: string[], opts: { env: NodeJS.ProcessEnv; cwd: string; steps: PtyStep[]; exitTimeoutMs?: number }): Promise<PtyResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [DRIVER], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`pty driver failed (${code}): ${stderr}`));
      else resolve(JSON.parse(stdout) as PtyResult);
    });
    child.stdin.end(JSON.stringify({ argv, env: opts.env, cwd: opts.cwd, steps: opts.steps, exitTimeoutMs: opts.exitTimeoutMs ?? 30_000 }));
  });
}
