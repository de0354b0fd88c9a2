// fast-check generators of .env files with every construct the readers' own test suites exercise
// (dotenv's parse tests, Node's test/fixtures/dotenv cases, python-dotenv's test_parser.py), written here
// from scratch: plain, quoted (', ", `), unclosed and oddly closed quotes, `\` before a quote, escapes,
// multi-line values, `export`, `KEY: value`, comments (own line, after a value, `#` inside a value), empty
// values, white space around `=`, lines without `=`, duplicates, `${VAR}`, a BOM, and CRLF / LF / CR
// endings mixed line by line.
import fc from 'fast-check';
import { OWNED } from './env-readers.ts';

const userKey = fc.constantFrom('PORT', 'DATABASE_URL', 'OTHER_SETTING', 'db.host', 'my-key', 'K1', '_X');
const ownedKey = fc.constantFrom(...OWNED.map(([k]) => k));
const apiKey = fc.constantFrom('AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_KEY');
const key = fc.oneof(
  { weight: 4, arbitrary: userKey },
  { weight: 2, arbitrary: ownedKey },
  { weight: 1, arbitrary: apiKey },
);
const word = fc.constantFrom(
  'abc',
  'https://old.openai.azure.com/',
  'gpt-4o',
  '3000',
  'a b',
  'x=y',
  'ünï',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dotenv's interpolation syntax, literal on purpose.
  '${PORT}',
  '$HOME',
  'a\\nb',
  'c\\\\',
  '',
);
const eol = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r');
const quote = fc.constantFrom('"', "'", '`');

/** One value as written after the separator. */
const rawValue = fc.oneof(
  word,
  fc.tuple(quote, word).map(([q, w]) => `${q}${w}${q}`),
  fc.tuple(quote, word).map(([q, w]) => `${q}${w}`), // unclosed
  fc.tuple(quote, word, word).map(([q, w, rest]) => `${q}${w}${q} ${rest}`), // oddly closed
  fc.tuple(quote, word).map(([q, w]) => `${q}${w}\\${q}`), // `\` before the closing quote
  fc.tuple(quote, word, word).map(([q, a, b]) => `${q}${a}\\${q}${b}${q}`), // an escaped quote inside
  fc.tuple(quote, word, eol, word).map(([q, a, e, b]) => `${q}${a}${e}${b}${q}`), // multi-line
  fc.tuple(word, word).map(([a, b]) => `${a}#${b}`),
);

const assignment = fc
  .record({
    indent: fc.constantFrom('', '', '  ', '\t'),
    exported: fc.constantFrom('', '', 'export '),
    key,
    sep: fc.constantFrom('=', '=', '=', ' = ', '= ', ': ', ':'),
    value: rawValue,
    comment: fc.constantFrom('', '', ' # note', '#tight', ' #'),
  })
  .map((a) => `${a.indent}${a.exported}${a.key}${a.sep}${a.value}${a.comment}`);

const line = fc.oneof(
  { weight: 8, arbitrary: assignment },
  { weight: 1, arbitrary: fc.constantFrom('', '   ') },
  { weight: 2, arbitrary: fc.constantFrom('# comment', '#', '  # indented', '# a=b', '# say "hi"') },
  { weight: 1, arbitrary: fc.constantFrom('JUST_A_WORD', 'export', 'not a line', '=nokey', "'quoted'") },
);

export const envFileArb = fc
  .record({
    bom: fc.constantFrom('', '', '', '\ufeff'),
    lines: fc.array(fc.tuple(line, eol), { maxLength: 10 }),
    finalEol: fc.boolean(),
  })
  .map(
    ({ bom, lines, finalEol }) =>
      bom + lines.map(([l, e], i) => l + (i < lines.length - 1 || finalEol ? e : '')).join(''),
  );
