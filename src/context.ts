// What every command receives. Commands and steps take the parts they use, so tests can hand in fakes.
import type { Prompter } from './prompts/prompter.ts';
import type { Output } from './output/human.ts';

export interface ProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  timeoutMs?: number;
  /** 'inherit' hands the terminal to the child (az login in interactive mode). */
  stdio?: 'pipe' | 'inherit';
}

export interface ProcessRunner {
  run(cmd: string, args: readonly string[], opts?: RunOptions): Promise<ProcessResult>;
}

/** Where text goes: process.stdout and process.stderr, or a test's collecting stream. */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * What a run takes from the process it runs in: cli.ts's main() reads these and nothing else, so an
 * in-process test hands in its own environment, directory, streams and az (test/in-process).
 */
export interface Host {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** The --json document and printed snippets. */
  stdout: TextSink;
  /** Human output and the prompts. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Default: real processes (az/runner.ts). */
  runner?: ProcessRunner;
  /** Default: the keyboard prompts (prompts/interactive.ts) on stdin and stderr. Asked only when interactive. */
  prompter?: Prompter;
  now?(): number;
}

export interface Context {
  runner: ProcessRunner;
  prompter: Prompter;
  out: Output;
  /** The --json document and a snippet printed to stdout; everything else goes through out (stderr). */
  stdout: TextSink;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The clock steps are timed by (--json's steps[].ms); a test hands in its own through the host. */
  now(): number;
  /** True when prompts may be shown: a TTY on stdin and stderr, no --yes, no truthy CI. */
  interactive: boolean;
  json: boolean;
  debug: boolean;
}
