// A keyboard and a screen for the real prompts (@inquirer/prompts, src/prompts/interactive.ts): each step
// waits until the screen shows its text, then types its keys. The screen is what the prompts and the
// human output drew on stderr, escape sequences included.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { Capture } from './run.ts';

export const KEY = { enter: '\r', down: '\x1b[B', up: '\x1b[A', escape: '\x1b' } as const;

export interface TerminalStep {
  /** Text the screen shows once the question is up. */
  see: RegExp;
  keys: string;
}

export interface ScriptedTerminal {
  keyboard: PassThrough & { isTTY: true };
  screen: Capture;
  assertDone(): void;
}

class Screen extends Capture {
  constructor(private readonly onDraw: () => void) {
    super();
    this.isTTY = true;
  }
  columns = 100;
  rows = 40;
  override _write(chunk: Buffer | string, enc: BufferEncoding, done: () => void): void {
    super._write(chunk, enc, done);
    this.onDraw();
  }
  // A terminal outlives each prompt: @inquirer pipes into it and ends the pipe when a prompt closes, which
  // process.stderr ignores (stdio streams are never closed).
  override end(...args: unknown[]): this {
    const done = args.find((a) => typeof a === 'function') as (() => void) | undefined;
    done?.();
    return this;
  }
}

export function scriptedTerminal(steps: readonly TerminalStep[]): ScriptedTerminal {
  const left = [...steps];
  const keyboard = Object.assign(new PassThrough(), { isTTY: true as const });
  let seenUpTo = 0;
  const screen: Capture = new Screen(() => {
    const step = left[0];
    if (!step?.see.test(screen.text.slice(seenUpTo))) return;
    left.shift();
    seenUpTo = screen.text.length;
    // After the prompt has finished drawing, as a person would.
    setImmediate(() => keyboard.write(step.keys));
  });
  return {
    keyboard,
    screen,
    assertDone: () =>
      assert.deepEqual(
        left.map((s) => String(s.see)),
        [],
        `the screen never showed these; it showed:\n${screen.text}`,
      ),
  };
}
