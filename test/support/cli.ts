// Runs the built CLI (bin/aoai-keyless.js -> dist/) as a child process, the way npx runs it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { collect } from './child.ts';
import { assertConforms } from './json-schema.ts';

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
  const run = { ...(await collect(child, opts.timeoutMs)), ms: Date.now() - started };
  if (args.includes('--json')) checkJsonDocument(args, run.stdout);
  return run;
}

/** Every --json document an e2e test sees is checked against its command's committed JSON Schema. */
export function checkJsonDocument(args: readonly string[], stdout: string): void {
  // --help and --version print text even with --json; so does the bin's old-Node check (nothing on stdout).
  if (stdout.trim() === '' || args.some((a) => ['--help', '-h', '--version', '-v'].includes(a))) return;
  assertConforms(JSON.parse(stdout) as unknown, `aoai-keyless ${args.join(' ')}`);
}
