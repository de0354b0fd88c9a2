// A Prompter that answers from a script, question by question, and fails the test on a question the script
// does not expect: for steps whose questions matter, not how they are drawn (scripted-terminal.ts does that).
import assert from 'node:assert/strict';
import type { Choice, Prompter } from '../../../src/prompts/prompter.ts';

export interface ScriptedAnswer {
  /** The question, matched against its message. */
  ask: RegExp;
  /** select: the value, or the choice whose name matches; confirm: a boolean; input: the text. */
  answer: unknown;
}

export interface ScriptedPrompter extends Prompter {
  /** The messages asked so far, in order. */
  readonly asked: string[];
  assertDone(): void;
}

export function scriptedPrompter(script: readonly ScriptedAnswer[]): ScriptedPrompter {
  const left = [...script];
  const asked: string[] = [];
  const next = (message: string): unknown => {
    asked.push(message);
    const step = left.shift();
    assert.ok(step, `unexpected question: ${message}`);
    assert.match(message, step.ask, `the question asked`);
    return step.answer;
  };
  return {
    interactive: true,
    asked,
    async select<T>(q: { message: string; choices: readonly Choice<T>[] }): Promise<T> {
      const a = next(q.message);
      const byName = a instanceof RegExp ? q.choices.find((c) => a.test(c.name)) : undefined;
      const choice = byName ?? q.choices.find((c) => c.value === a);
      assert.ok(choice, `no choice ${String(a)} in ${q.choices.map((c) => c.name).join(', ')}`);
      assert.equal(choice.disabled, undefined, `${choice.name} is disabled: ${choice.disabled}`);
      return choice.value;
    },
    async confirm(q) {
      const a = next(q.message);
      assert.equal(typeof a, 'boolean');
      return a as boolean;
    },
    async input(q) {
      const a = next(q.message);
      assert.equal(typeof a, 'string');
      const valid = q.validate?.(a as string) ?? true;
      assert.equal(valid, true, `the answer to ${q.message} fails its own check`);
      return a as string;
    },
    assertDone: () => assert.deepEqual(left, [], 'questions the script expected and that were never asked'),
  };
}
