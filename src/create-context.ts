// Builds the real context: the process runner, the prompter for this terminal, output on stderr.
import type { Context } from './context.ts';
import { createOutput } from './output/human.ts';
import { createProcessRunner } from './az/runner.ts';
import { createNonInteractivePrompter } from './prompts/prompter.ts';
import { isCI } from './env.ts';

export async function createContext(o: { yes: boolean; json: boolean; debug: boolean }): Promise<Context> {
  const env = process.env;
  const out = createOutput({ env, debug: o.debug });
  const interactive = !o.yes && !isCI(env) && process.stdin.isTTY === true && process.stderr.isTTY === true;
  const prompter = interactive
    ? (await import('./prompts/interactive.ts')).createInteractivePrompter()
    : createNonInteractivePrompter();
  const runner = createProcessRunner(env, {
    onFinish: (cmd, args, result, ms) =>
      out.debug(
        `${cmd} ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')} -> exit ${result.exitCode} in ${ms} ms`,
      ),
  });
  return { runner, prompter, out, env, cwd: process.cwd(), interactive, json: o.json, debug: o.debug };
}
