// The README's tables say what the code does: each command's flags table lists exactly the options commander
// defines for it (buildProgram in src/cli.ts), the exit-code table exactly the ExitCode constants, and the
// "Why verify fails" table exactly the diagnosis codes verify can answer with (src/contract/error-codes.ts,
// the type src/verify/diagnose.ts returns).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli.ts';
import { ExitCode } from '../../src/errors.ts';
import { DIAGNOSIS_CODES } from '../../src/contract/error-codes.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The rows of the first table under a heading whose header row starts with `| first |`. */
function tableAfter(heading: string, first: string): string[][] {
  const at = README.indexOf(`\n${heading}\n`);
  assert.notEqual(at, -1, `README has no heading ${heading}`);
  const lines = README.slice(at).split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  assert.notEqual(start, -1, `no "| ${first} |" table under ${heading}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    // Cells split on | not escaped as \|.
    rows.push(
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Every --flag a table's first column names. */
function documentedFlags(heading: string): string[] {
  return sorted(tableAfter(heading, 'flag').flatMap((row) => row[0]?.match(/--[a-z][a-z-]*/g) ?? []));
}

function commandNamed(path: string): Command {
  let cmd: Command | undefined = buildProgram();
  for (const name of path.split(' ')) cmd = cmd?.commands.find((c) => c.name() === name);
  assert.ok(cmd, `no command ${path}`);
  return cmd;
}

for (const [command, heading] of [
  ['setup', '### `setup` (the default)'],
  ['verify', '### `verify`'],
  ['snippet', '### `snippet`'],
  ['revoke', '### `revoke`'],
  ['ci github', '### `ci github`'],
] as const) {
  test(`README's flags table of ${command} lists exactly the flags it takes`, () => {
    const defined = sorted(commandNamed(command).options.map((o) => o.long ?? ''));
    assert.deepEqual(documentedFlags(heading), defined);
  });
}

test("README's exit-code table lists exactly the exit codes", () => {
  const rows = tableAfter('## Exit codes', 'code').map((row) => row[0] ?? '');
  assert.deepEqual(
    rows.map(Number).sort((a, b) => a - b),
    Object.values(ExitCode).sort((a, b) => a - b),
  );
});

test('README\'s "Why verify fails" table lists exactly the diagnosis codes', () => {
  const rows = tableAfter('### `verify`', 'code').map((row) => (row[0] ?? '').replace(/`/g, ''));
  assert.deepEqual(sorted(rows), sorted(DIAGNOSIS_CODES));
});
