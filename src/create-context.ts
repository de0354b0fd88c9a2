// Builds the context of a run from its host: the process runner, the prompter for this terminal, output on
// stderr. The host is the process itself (processHost) or a test's (test/in-process).
import type { Context, Host } from './context.ts';
import { createOutput } from './output/human.ts';
import { createProcessRunner } from './az/runner.ts';
import { createNonInteractivePrompter } from './prompts/prompter.ts';
import { isCI } from './env.ts';

export function processHost(): Host {
  return { env: process.env, cwd: process.cwd(), stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}

export async function createContext(
  o: { yes: boolean; json: boolean; debug: boolean },
  host: Host = processHost(),
): Promise<Context> {
  const { env } = host;
  const now = host.now ?? Date.now;
  const out = createOutput({ stream: host.stderr, env, debug: o.debug, now });
  const interactive = !o.yes && !isCI(env) && host.stdin.isTTY === true && host.stderr.isTTY === true;
  const prompter = interactive
    ? (host.prompter ??
      (await import('./prompts/interactive.ts')).createInteractivePrompter({ input: host.stdin, output: host.stderr }))
    : createNonInteractivePrompter();
  const runner =
    host.runner ??
    createProcessRunner(env, {
      onFinish: (cmd, args, result, ms) =>
        out.debug(
          `${cmd} ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')} -> exit ${result.exitCode} in ${ms} ms`,
        ),
    });
  return {
    runner,
    prompter,
    out,
    stdout: host.stdout,
    env,
    cwd: host.cwd,
    now,
    interactive,
    json: o.json,
    debug: o.debug,
  };
}
