// One command line run in this process: argv through cli.ts's main() with the test's host (environment,
// directory, az, prompter, terminal), out come the exit code and everything written to stdout and stderr.
import { PassThrough, Writable } from 'node:stream';
import { main } from '../../../src/cli.ts';
import type { Host } from '../../../src/context.ts';
import { checkJsonDocument } from '../../support/cli.ts';
import type { FakeRunner } from './fake-runner.ts';
import type { ScriptedTerminal } from './scripted-terminal.ts';

export interface InProcessRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The processes the command line may start; checked complete after the run. */
  runner: FakeRunner;
  prompter?: Host['prompter'];
  /** A keyboard and screen (interactive runs); without one, stdin and stderr are not terminals. */
  terminal?: ScriptedTerminal;
}

/** A stream that keeps what is written, like a pipe that a test reads afterwards. */
export class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += String(chunk);
    done();
  }
}

export async function runInProcess(args: readonly string[], o: RunOptions): Promise<InProcessRun> {
  const stdout = new Capture();
  const stderr = o.terminal?.screen ?? new Capture();
  const stdin = o.terminal?.keyboard ?? Object.assign(new PassThrough(), { isTTY: false });
  const exitCode = await main(['node', 'aoai-keyless', ...args], {
    env: o.env,
    cwd: o.cwd,
    stdin,
    stdout,
    stderr,
    runner: o.runner,
    ...(o.prompter ? { prompter: o.prompter } : {}),
  });
  o.runner.assertDone();
  o.terminal?.assertDone();
  // Every --json document an in-process run prints must conform to its command's JSON Schema, as in e2e.
  if (args.includes('--json')) checkJsonDocument(args, stdout.text);
  return { exitCode, stdout: stdout.text, stderr: stderr.text };
}
