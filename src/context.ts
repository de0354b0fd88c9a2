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

export interface Context {
  runner: ProcessRunner;
  prompter: Prompter;
  out: Output;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when prompts may be shown: a TTY on stdin and stderr, no --yes, no truthy CI. */
  interactive: boolean;
  json: boolean;
  debug: boolean;
}
