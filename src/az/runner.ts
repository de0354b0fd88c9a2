// The only importer of execa: every az process starts here, with an argument array and never a shell,
// so no value a user typed can be interpreted as shell syntax.
import { notInstalledCode } from '../contract/error-codes.ts';
import { execa } from 'execa';
import type { ProcessResult, ProcessRunner, RunOptions } from '../context.ts';
import { PrerequisiteError } from '../errors.ts';
import { azInstallHint } from './install-hint.ts';

export interface RunnerHooks {
  /** Called after each process with its command line and duration, for --debug. Never gets stdout: it may hold a token. */
  onFinish?(cmd: string, args: readonly string[], result: ProcessResult, ms: number): void;
}

/** Each program by its own name: a missing gh is not a missing Azure CLI. */
function notInstalled(cmd: string): PrerequisiteError {
  if (cmd === 'az')
    return new PrerequisiteError(`The Azure CLI ('${cmd}') is not installed or not on PATH.`, {
      code: 'az-not-installed',
      hint: azInstallHint(),
    });
  const name = cmd === 'gh' ? "GitHub's CLI ('gh')" : `'${cmd}'`;
  return new PrerequisiteError(`${name} is not installed or not on PATH.`, {
    code: notInstalledCode(cmd),
    hint:
      cmd === 'gh'
        ? 'Install it from https://cli.github.com and run `gh auth login`.'
        : `Install ${cmd} and run it again.`,
  });
}

export function createProcessRunner(env: NodeJS.ProcessEnv, hooks: RunnerHooks = {}): ProcessRunner {
  return {
    async run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<ProcessResult> {
      const started = Date.now();
      const inherit = opts.stdio === 'inherit';
      const child = await execa(cmd, args, {
        reject: false,
        env,
        extendEnv: false,
        stdin: inherit ? 'inherit' : 'ignore',
        stdout: inherit ? 'inherit' : 'pipe',
        stderr: inherit ? 'inherit' : 'pipe',
        stripFinalNewline: false,
        // On Windows az is az.cmd; execa resolves it through PATHEXT without a shell.
        windowsHide: true,
        ...(opts.timeoutMs === undefined ? {} : { timeout: opts.timeoutMs }),
      });
      const code = (child as { code?: string }).code;
      if (code === 'ENOENT' || (child.failed && child.exitCode === undefined && /ENOENT/.test(String(child.message)))) {
        throw notInstalled(cmd);
      }
      if (child.timedOut) {
        throw new PrerequisiteError(
          `'${cmd} ${args.slice(0, 3).join(' ')}' did not finish within ${Math.round((opts.timeoutMs ?? 0) / 1000)} s.`,
          {
            code: 'az-timeout',
            hint:
              cmd === 'az'
                ? 'Check your network connection and run it again; `az account show` should answer within seconds.'
                : 'Check your network connection and run it again.',
          },
        );
      }
      const result: ProcessResult = {
        exitCode: child.exitCode ?? 1,
        stdout: typeof child.stdout === 'string' ? child.stdout : '',
        stderr: typeof child.stderr === 'string' ? child.stderr : '',
      };
      hooks.onFinish?.(cmd, args, result, Date.now() - started);
      return result;
    },
  };
}
