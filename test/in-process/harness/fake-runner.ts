// A ProcessRunner that answers from a table instead of starting processes. Each row names a command by its
// program and leading words ('az role assignment create'; options follow and are the test's to check) and
// gives its answer. A call no row expects fails the test, as does a row no call used: the table is the
// complete list of processes a command line starts.
import assert from 'node:assert/strict';
import type { ProcessResult, ProcessRunner, RunOptions } from '../../../src/context.ts';

export interface Call {
  cmd: string;
  args: readonly string[];
  opts: RunOptions;
}

export interface Expectation {
  /** The program and its leading words, e.g. 'az account show': matched against the words before the first option. */
  command: string;
  /** A further condition on the whole argument list, for two rows of one command. */
  when?: (args: readonly string[]) => boolean;
  answer: ProcessResult | ((args: readonly string[]) => ProcessResult);
  /** Exactly this many calls (default: at least one). */
  times?: number;
  /** May run or not: one of the lookups started together, which a failure of another may cut short. */
  optional?: boolean;
}

export interface FakeRunner extends ProcessRunner {
  readonly calls: Call[];
  /** The calls of one command ('az role assignment create'), with their arguments. */
  callsOf(command: string): Call[];
  /** Fails unless every call was expected and every row got its calls. */
  assertDone(): void;
}

/** 'az role assignment create --scope x' -> 'az role assignment create'. */
export function commandWords(cmd: string, args: readonly string[]): string {
  const words = [cmd];
  for (const a of args) {
    if (a.startsWith('-')) break;
    words.push(a);
  }
  return words.join(' ');
}

export function fakeRunner(table: readonly Expectation[]): FakeRunner {
  const calls: Call[] = [];
  const unexpected: string[] = [];
  const used = new Map<Expectation, number>();
  return {
    calls,
    async run(cmd, args, opts = {}) {
      calls.push({ cmd, args: [...args], opts });
      const words = commandWords(cmd, args);
      const row = table.find((e) => e.command === words && (e.when?.(args) ?? true));
      if (!row) {
        unexpected.push(`${cmd} ${args.join(' ')}`);
        // Thrown for the stack; assertDone() fails the test even if the product catches it.
        throw new assert.AssertionError({ message: `unexpected process: ${cmd} ${args.join(' ')}` });
      }
      used.set(row, (used.get(row) ?? 0) + 1);
      return typeof row.answer === 'function' ? row.answer(args) : row.answer;
    },
    callsOf: (command) => calls.filter((c) => commandWords(c.cmd, c.args) === command),
    assertDone() {
      assert.deepEqual(unexpected, [], 'processes the table does not expect');
      for (const row of table) {
        const n = used.get(row) ?? 0;
        if (row.optional) continue;
        if (row.times === undefined) assert.ok(n > 0, `expected ${row.command}, never run`);
        else assert.equal(n, row.times, `${row.command}: ${n} calls, expected ${row.times}`);
      }
    },
  };
}
