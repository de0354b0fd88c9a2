// The only importer of @inquirer/prompts, loaded on first use so --help never pays for it.
// Ctrl-C and Esc both cancel (exit 130); nothing has been changed yet when a question is asked.
import { emitKeypressEvents } from 'node:readline';
import { CancelledError } from '../errors.ts';
import type { Prompter } from './prompter.ts';

type Inquirer = typeof import('@inquirer/prompts');
let inquirer: Promise<Inquirer> | undefined;
const load = (): Promise<Inquirer> => (inquirer ??= import('@inquirer/prompts'));

/** The terminal the prompts use: the process's stdin and stderr, or a test's scripted streams. */
export interface PromptStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

async function ask<T>(
  io: PromptStreams,
  run: (
    lib: Inquirer,
    ctx: { signal: AbortSignal; input: NodeJS.ReadableStream; output: NodeJS.WritableStream },
  ) => Promise<T>,
): Promise<T> {
  const lib = await load();
  const controller = new AbortController();
  const { input } = io;
  emitKeypressEvents(input);
  const onKey = (_: unknown, key: { name?: string } | undefined): void => {
    if (key?.name === 'escape') controller.abort();
  };
  input.on('keypress', onKey);
  try {
    // Prompts draw on stderr: stdout belongs to --json.
    return await run(lib, { signal: controller.signal, input, output: io.output });
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError')
      throw new CancelledError();
    throw e;
  } finally {
    input.off('keypress', onKey);
  }
}

export function createInteractivePrompter(
  io: PromptStreams = { input: process.stdin, output: process.stderr },
): Prompter {
  return {
    interactive: true,
    select(q) {
      return ask(io, (lib, ctx) =>
        lib.select(
          {
            message: q.message,
            choices: q.choices.map((c) => ({
              name: c.name,
              value: c.value,
              ...(c.description ? { description: c.description } : {}),
              ...(c.disabled ? { disabled: c.disabled } : {}),
            })),
            ...(q.default === undefined ? {} : { default: q.default }),
            pageSize: 12,
          },
          ctx,
        ),
      );
    },
    confirm(q) {
      return ask(io, (lib, ctx) => lib.confirm({ message: q.message, default: q.default }, ctx));
    },
    input(q) {
      return ask(io, (lib, ctx) =>
        lib.input(
          {
            message: q.message,
            ...(q.validate ? { validate: q.validate } : {}),
          },
          ctx,
        ),
      );
    },
  };
}
