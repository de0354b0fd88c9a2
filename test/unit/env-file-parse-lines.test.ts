// What the parse tells a merge about each assignment: the physical lines that hold it (so only those change),
// whether it had `export`, its quote, the comment after it (kept on update) and a quote it leaves open (another
// reader may read on past its line). Values are dotenv's (the property and differential tests compare them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dotenvValue, joinLines, parseEnvFile, splitLines } from '../../src/env-file/parse.ts';

type Row = [
  key: string,
  value: string,
  first: number,
  last: number,
  exported: boolean,
  quote: string,
  comment: string,
  opensSpan: string,
];
const ENTRIES: Array<[name: string, text: string, entries: Row[]]> = [
  [
    'one line each',
    'A=1\nB=2\n',
    [
      ['A', '1', 0, 0, false, '', '', ''],
      ['B', '2', 1, 1, false, '', '', ''],
    ],
  ],
  ['export, no final newline', 'export A=1', [['A', '1', 0, 0, true, '', '', '']]],
  [
    'indented export with spaces and a comment',
    '  export   A = x  # note\n',
    [['A', 'x', 0, 0, true, '', '  # note', '']],
  ],
  ['indentation alone is not export', '  A=1\n', [['A', '1', 0, 0, false, '', '', '']]],
  [
    'a quoted value over two lines',
    'A="x\ny"\nB=1\n',
    [
      ['A', 'x\ny', 0, 1, false, '"', '', ''],
      ['B', '1', 2, 2, false, '', '', ''],
    ],
  ],
  ['a comment after a single-quoted value', "A='x' # c\n", [['A', 'x', 0, 0, false, "'", ' # c', '']]],
  ['a comment right after a backtick value', 'A=`x`#c\n', [['A', 'x', 0, 0, false, '`', '#c', '']]],
  ['a comment right after a bare value', 'A=b#c\n', [['A', 'b', 0, 0, false, '', '#c', '']]],
  ['trailing white space is no comment', 'A=1  \n', [['A', '1', 0, 0, false, '', '', '']]],
  [
    'an unclosed quote: its line alone, the quote left open',
    'A="x\nB=1\n',
    [
      ['A', '"x', 0, 0, false, '"', '', '"'],
      ['B', '1', 1, 1, false, '', '', ''],
    ],
  ],
  ['an escaped closing single quote leaves it open', "A='x\\'\n", [['A', 'x\\', 0, 0, false, "'", '', "'"]]],
  [
    'an escaped closing double quote leaves it open',
    'A="x\\"\nB=2\n',
    [
      ['A', 'x\\', 0, 0, false, '"', '', '"'],
      ['B', '2', 1, 1, false, '', '', ''],
    ],
  ],
  ['an oddly closed quote is read unquoted', 'A="x" y\n', [['A', '"x" y', 0, 0, false, '"', '', '']]],
  ['KEY: takes the next line', 'A:\nB\n', [['A', 'B', 0, 1, false, '', '', '']]],
  [
    'a key whose = is on the next line holds both lines',
    'A\n=\nB=1\n',
    [
      ['A', '', 0, 1, false, '', '', ''],
      ['B', '1', 2, 2, false, '', '', ''],
    ],
  ],
  ['KEY= takes a quoted next line', "A=\n'x'\n", [['A', 'x', 0, 1, false, "'", '', '']]],
  [
    'comments, blank lines and a line without = hold no key',
    '# c\n\nWORD\nA=1\n',
    [['A', '1', 3, 3, false, '', '', '']],
  ],
  [
    'CRLF, CR and LF each end a line',
    '# c\n\nA=1\r\nB=2\rC=3',
    [
      ['A', '1', 2, 2, false, '', '', ''],
      ['B', '2', 3, 3, false, '', '', ''],
      ['C', '3', 4, 4, false, '', '', ''],
    ],
  ],
  [
    'a line far down is found by its offset',
    `${'# pad\n'.repeat(9)}A=1\n${'# pad\n'.repeat(6)}B="x\ny"\n`,
    [
      ['A', '1', 9, 9, false, '', '', ''],
      ['B', 'x\ny', 16, 17, false, '"', '', ''],
    ],
  ],
];
for (const [name, text, rows] of ENTRIES) {
  test(`parse: ${name}`, () => {
    const got = parseEnvFile(text).entries.map((e) => [
      e.key,
      e.value,
      e.first,
      e.last,
      e.exported,
      e.quote,
      e.comment,
      e.opensSpan,
    ]);
    assert.deepEqual(got, rows);
  });
}

// dotenv's value: trimmed, one pair of surrounding quotes off, \n and \r expanded only after a double quote.
const VALUES: Array<[raw: string, value: string]> = [
  ['  plain  ', 'plain'],
  ['"a\\nb\\rc"', 'a\nb\rc'],
  ["'a\\nb'", 'a\\nb'],
  ['`a\\nb`', 'a\\nb'],
  ['"x\'', '"x\''],
  ['""', ''],
  ['"a"b"', 'a"b'],
  ['a\\nb', 'a\\nb'],
];
for (const [raw, value] of VALUES) {
  test(`dotenv reads the value ${JSON.stringify(raw)} as ${JSON.stringify(value)}`, () => {
    assert.equal(dotenvValue(raw), value);
  });
}

// A file is kept as its physical lines, each with its own line ending, so joining them gives back every byte.
const SPLITS: Array<[text: string, lines: Array<[string, string]>, eol: string, finalNewline: boolean]> = [
  ['', [], '\n', true],
  ['A=1', [['A=1', '']], '\n', false],
  ['A=1\n', [['A=1', '\n']], '\n', true],
  [
    'A\r\nB\rC\n\nD',
    [
      ['A', '\r\n'],
      ['B', '\r'],
      ['C', '\n'],
      ['', '\n'],
      ['D', ''],
    ],
    '\n',
    false,
  ],
  [
    'A\r\nB\r\n',
    [
      ['A', '\r\n'],
      ['B', '\r\n'],
    ],
    '\r\n',
    true,
  ],
  [
    '\r\r\n',
    [
      ['', '\r'],
      ['', '\r\n'],
    ],
    '\r\n',
    true,
  ],
  [
    'A\rB\r\n',
    [
      ['A', '\r'],
      ['B', '\r\n'],
    ],
    '\r\n',
    true,
  ],
  [
    'A\rB\rC\n',
    [
      ['A', '\r'],
      ['B', '\r'],
      ['C', '\n'],
    ],
    '\r',
    true,
  ],
];
for (const [text, lines, eol, finalNewline] of SPLITS) {
  test(`lines of ${JSON.stringify(text)}: ${lines.length}, new lines end ${JSON.stringify(eol)}`, () => {
    const split = splitLines(text);
    assert.deepEqual(
      split.map((l) => [l.text, l.eol]),
      lines,
    );
    assert.equal(joinLines(split), text);
    const parsed = parseEnvFile(text);
    assert.deepEqual([parsed.eol, parsed.finalNewline], [eol, finalNewline]);
  });
}
