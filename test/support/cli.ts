// Runs the built CLI (bin/aoai-keyless.js -> dist/) as a child process, the way npx runs it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { collect } from './child.ts';

export const BIN = fileURLToPath(new URL('../../bin/aoai-keyless.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export async function runCli(
  args: readonly string[],
  opts: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs?: number },
): Promise<CliRun> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--', BIN, ...args], {
    env: opts.env,
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { ...(await collect(child, opts.timeoutMs)), ms: Date.now() - started };
}
