// The rules of a .env merge, one table each: which keys hold an API key, how a value is written so that
// dotenv, Node and python-dotenv read it back the same, and what an owned line becomes when it is updated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envValues, parseEnvFile } from '../../src/env-file/parse.ts';
import { findApiKeys, mergeEnvFile, NODE20_GUARD, OWNED_HEADER, quoteValue } from '../../src/env-file/merge.ts';
import { UsageError } from '../../src/errors.ts';

// Keys the Azure OpenAI and Azure AI SDKs, samples and templates use for an API key (any case, numbered ones too).
const API_KEYS = [
  'AZURE_OPENAI_API_KEY',
  'AZURE_OPENAI_KEY',
  'AZURE_OPENAI_KEY_2',
  'AZURE_OPENAI_API_KEY_12',
  'azure_openai_api_key',
  'AZURE_AI_KEY',
  'AZURE_AI_API_KEY',
  'AZURE_AI_SERVICES_KEY',
  'AZURE_AI_SERVICES_API_KEY',
  'AZURE_COGNITIVE_SERVICES_KEY',
  'AZURE_COGNITIVE_SERVICES_API_KEY',
  'AZURE_API_KEY',
  'AOAI_KEY',
  'AOAI_API_KEY',
];
// Not an Azure OpenAI key: another service's key, a setting whose name merely contains one.
const NOT_API_KEYS = [
  'OPENAI_API_KEY',
  'AZURE_OPENAI_ENDPOINT',
  'AZURE_OPENAI_KEYVAULT',
  'AZURE_OPENAI_KEY_X',
  'MY_AZURE_OPENAI_KEY',
  'AZURE_OPENAI_API_KEY_NAME',
  'AZURE_CLIENT_SECRET',
  'AZURE_SEARCH_KEY',
  'AOAI_KEYS',
];
for (const key of API_KEYS) {
  test(`${key} holds an API key: found, and commented out on request`, () => {
    const existing = `${key}=abc123\n`;
    assert.deepEqual(findApiKeys(existing), [key]);
    const r = mergeEnvFile({ existing, set: [], commentOut: [key] });
    assert.deepEqual(r.commentedOut, [key]);
    assert.deepEqual(r.apiKeysLeft, []);
  });
}
for (const key of NOT_API_KEYS) {
  test(`${key} is not an API key for Azure OpenAI`, () => {
    assert.deepEqual(findApiKeys(`${key}=abc123\n`), []);
  });
}

test('an API key is reported once, only with a value, never from a comment; no file has none', () => {
  assert.deepEqual(findApiKeys('AZURE_OPENAI_API_KEY=a\nAZURE_OPENAI_API_KEY=b\nAOAI_KEY=c\n'), [
    'AZURE_OPENAI_API_KEY',
    'AOAI_KEY',
  ]);
  assert.deepEqual(findApiKeys('AZURE_OPENAI_API_KEY=\nAOAI_KEY=""\n# AZURE_API_KEY=x\n'), []);
  assert.deepEqual(findApiKeys(undefined), []);
  assert.deepEqual(findApiKeys(''), []);
});

// How a value is written: bare when no reader treats any of its characters specially, else single quotes,
// else double quotes; a value no quoting reads the same in all three readers is refused.
const QUOTING: Array<[value: string, written: string]> = [
  ['', ''],
  ['https://contoso.openai.azure.com/', 'https://contoso.openai.azure.com/'],
  ['gpt-4o-mini_2024.07', 'gpt-4o-mini_2024.07'],
  ['user@contoso.com', 'user@contoso.com'],
  ['a+b,c=d', 'a+b,c=d'],
  ['two words', "'two words'"],
  ['a#b', "'a#b'"],
  ['$HOME', "'$HOME'"],
  ['say "hi"', `'say "hi"'`],
  ['back`tick', "'back`tick'"],
  ['tab\there', "'tab\there'"],
  ["it's", `"it's"`],
  ["it's mine", `"it's mine"`],
];
for (const [value, written] of QUOTING) {
  test(`the value ${JSON.stringify(value)} is written ${written}`, () => {
    assert.equal(quoteValue(value), written);
    assert.equal(envValues(parseEnvFile(`K=${written}\n`)).K, value);
  });
}
for (const value of ["it's $HOME", "it's \\", 'back\\slash', 'line\nbreak', 'cr\rhere', 'it\'s "quoted"', "it's `x`"]) {
  test(`the value ${JSON.stringify(value)} cannot be written the same for every reader: refused`, () => {
    assert.throws(
      () => quoteValue(value),
      (e: unknown) =>
        e instanceof UsageError &&
        e.code === 'bad-value' &&
        e.message ===
          `The value ${JSON.stringify(value)} cannot be written to a .env so that dotenv, Node and python-dotenv read it the same.`,
    );
  });
}

const K = 'AZURE_OPENAI_DEPLOYMENT';
// One owned key set to `new value` (or `new`): what its line becomes.
const UPDATES: Array<[name: string, existing: string, value: string, text: string]> = [
  ['a value that needs quoting is quoted', `${K}=old\n`, 'my deployment', `${K}='my deployment'\n`],
  ['a bare value stays bare', `${K}="old"\n`, 'new', `${K}=new\n`],
  ['export is kept', `export ${K}=old\n`, 'new', `export ${K}=new\n`],
  ['export with a value that needs quoting', `export ${K}=old\n`, 'a b', `export ${K}='a b'\n`],
  ['indentation is not export', `  ${K}=old\n`, 'new', `${K}=new\n`],
  ['indented export is export', `  export ${K}=old\n`, 'new', `export ${K}=new\n`],
  ['a comment after white space is kept as it is', `${K}=old   # mine\n`, 'new', `${K}=new   # mine\n`],
  [
    'a comment right after the value gets a space (python-dotenv needs one)',
    `${K}=old#mine\n`,
    'new',
    `${K}=new #mine\n`,
  ],
  ['a comment after a quoted value is kept', `${K}='old' # mine\n`, 'a b', `${K}='a b' # mine\n`],
  ['KEY: value becomes KEY=value', `${K}: old\n`, 'new', `${K}=new\n`],
  ['spaces around = go', `${K} = old\n`, 'new', `${K}=new\n`],
  ['the line ending of the line is kept', `A=1\n${K}=old\r\nB=2\n`, 'new', `A=1\n${K}=new\r\nB=2\n`],
  ['a last line without a line break stays without one', `A=1\n${K}=old`, 'new', `A=1\n${K}=new`],
  ['every line of the key is updated, the last one wins', `${K}=a\nB=1\n${K}=b\n`, 'new', `${K}=new\nB=1\n${K}=new\n`],
];
for (const [name, existing, value, text] of UPDATES) {
  test(`update: ${name}`, () => {
    const r = mergeEnvFile({ existing, set: [[K, value]] });
    assert.equal(r.text, text);
    assert.deepEqual(r.updated, [K]);
    assert.equal(r.changed, true);
    assert.equal(envValues(parseEnvFile(r.text))[K], value);
  });
}

test('a line that already reads as meant, in the form we write, is left as it is and not reported', () => {
  for (const existing of [`${K}=new\n`, `export ${K}=new # mine\n`, `${K}='a b'\n`]) {
    const value = existing.includes("'a b'") ? 'a b' : 'new';
    const r = mergeEnvFile({ existing, set: [[K, value]] });
    assert.deepEqual([r.text, r.changed, r.updated], [existing, false, []], existing);
  }
});

test('a line that reads as meant but in another form is rewritten in ours', () => {
  const r = mergeEnvFile({ existing: `${K}="new"\n`, set: [[K, 'new']] });
  assert.deepEqual([r.text, r.changed, r.updated], [`${K}=new\n`, true, [K]]);
});

const E = 'AZURE_OPENAI_ENDPOINT';
// Keys that are not in the file yet: appended at the end, under one header.
const APPENDS: Array<[name: string, existing: string | undefined, text: string]> = [
  ['no file', undefined, `${OWNED_HEADER}\n${E}=e\n${K}=d\n`],
  ['an empty file', '', `${OWNED_HEADER}\n${E}=e\n${K}=d\n`],
  ['after a blank last line, no second blank line', 'A=1\n\n', `A=1\n\n${OWNED_HEADER}\n${E}=e\n${K}=d\n`],
  [
    'after a last line of spaces, no blank line (but the guard: Node 20 may read it as a name)',
    'A=1\n  \n',
    `A=1\n  \n${NODE20_GUARD}\n${OWNED_HEADER}\n${E}=e\n${K}=d\n`,
  ],
  ['after a line, one blank line', '# mine\nA=1\n', `# mine\nA=1\n\n${OWNED_HEADER}\n${E}=e\n${K}=d\n`],
  ['the header once: a key missing from our block', `${OWNED_HEADER}\n${E}=e\n`, `${OWNED_HEADER}\n${E}=e\n${K}=d\n`],
  [
    'the header once, even with user lines after our block',
    `${OWNED_HEADER}\n${E}=e\n\nPORT=1\n`,
    `${OWNED_HEADER}\n${E}=e\n\nPORT=1\n${K}=d\n`,
  ],
  ['a CRLF file gets CRLF lines', 'A=1\r\n', `A=1\r\n\r\n${OWNED_HEADER}\r\n${E}=e\r\n${K}=d\r\n`],
  [
    'a file with more CRLF than LF lines gets CRLF',
    'A=1\r\nB=2\r\nC=3\n',
    `A=1\r\nB=2\r\nC=3\n\r\n${OWNED_HEADER}\r\n${E}=e\r\n${K}=d\r\n`,
  ],
  [
    'a file with more LF than CRLF lines gets LF',
    'A=1\r\nB=2\nC=3\n',
    `A=1\r\nB=2\nC=3\n\n${OWNED_HEADER}\n${E}=e\n${K}=d\n`,
  ],
  ['as many CRLF as LF lines: CRLF', 'A=1\r\nB=2\n', `A=1\r\nB=2\n\r\n${OWNED_HEADER}\r\n${E}=e\r\n${K}=d\r\n`],
  ['a CR file gets CR lines', 'A=1\rB=2\r', `A=1\rB=2\r\r${OWNED_HEADER}\r${E}=e\r${K}=d\r`],
  ['as many CR as LF lines: LF', 'A=1\rB=2\n', `A=1\rB=2\n\n${OWNED_HEADER}\n${E}=e\n${K}=d\n`],
  [
    'a last line without = gets the Node 20 guard',
    'WORD',
    `WORD\n${NODE20_GUARD}\n\n${OWNED_HEADER}\n${E}=e\n${K}=d\n`,
  ],
  ['a comment with = after it needs no guard', 'WORD\n# a=b\n', `WORD\n# a=b\n\n${OWNED_HEADER}\n${E}=e\n${K}=d\n`],
  [
    'comments without = and blank lines do not end it',
    'WORD\n# note\n\n',
    `WORD\n# note\n\n${NODE20_GUARD}\n${OWNED_HEADER}\n${E}=e\n${K}=d\n`,
  ],
];
for (const [name, existing, text] of APPENDS) {
  test(`append: ${name}`, () => {
    const r = mergeEnvFile({
      existing,
      set: [
        [E, 'e'],
        [K, 'd'],
      ],
    });
    assert.equal(r.text, text);
    assert.deepEqual(r.updated.sort(), [E, K].filter((k) => !(existing ?? '').includes(`${k}=`)).sort());
  });
}

test('commenting out a multi-line API key marks its first line and comments every line', () => {
  const existing = 'A=1\nAZURE_OPENAI_API_KEY="abc\ndef"\nB=2\n';
  const r = mergeEnvFile({ existing, set: [], commentOut: ['AZURE_OPENAI_API_KEY'] });
  assert.equal(
    r.text,
    'A=1\n# AZURE_OPENAI_API_KEY="abc  # commented out by aoai-keyless: use Entra ID instead\n# def"\nB=2\n',
  );
  assert.deepEqual(envValues(parseEnvFile(r.text)), { A: '1', B: '2' });
  assert.deepEqual([r.commentedOut, r.apiKeysLeft, r.changed], [['AZURE_OPENAI_API_KEY'], [], true]);
});

test('nothing to set, nothing to comment out: the file is unchanged, no header is added', () => {
  const r = mergeEnvFile({ existing: 'A=1\n', set: [] });
  assert.deepEqual([r.text, r.changed, r.updated, r.commentedOut, r.removed], ['A=1\n', false, [], [], []]);
  const none = mergeEnvFile({ existing: undefined, set: [] });
  assert.deepEqual([none.text, none.changed], ['', true]);
});

test('a merge that would change how another key reads is refused, naming the keys and the way out', () => {
  // A last `B:` takes the next line as its value for dotenv: with the quote above it, no line can be added
  // after it without changing what B reads (found by a search over small files).
  assert.throws(
    () => mergeEnvFile({ existing: 'B:\n"\nB:', set: [[E, 'https://e/']] }),
    (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.code, 'env-file-unmergeable');
      assert.match(
        e.message,
        /^The \.env cannot be updated without changing how it reads B: a quote or line break around the lines of AZURE_OPENAI_ENDPOINT joins them to other lines\.$/,
      );
      assert.equal(
        e.hint,
        'Fix the quoting in the .env (or remove the aoai-keyless lines), then run setup again; or set by hand: AZURE_OPENAI_ENDPOINT=https://e/',
      );
      return true;
    },
  );
});

// removeOwned deletes a key only from our block: the assignments right under the header, up to the first line
// that is not one of them. A key anywhere else is the user's.
const REMOVALS: Array<[name: string, existing: string, text: string, removed: string[]]> = [
  ['from our block', `${OWNED_HEADER}\nX=1\nV=2\nY=3\n`, `${OWNED_HEADER}\nX=1\nY=3\n`, ['V']],
  [
    'a multi-line value in our block does not end it',
    `${OWNED_HEADER}\nX="a\nb"\nV=2\n`,
    `${OWNED_HEADER}\nX="a\nb"\n`,
    ['V'],
  ],
  ['a blank line ends our block', `${OWNED_HEADER}\nX=1\n\nV=2\n`, `${OWNED_HEADER}\nX=1\n\nV=2\n`, []],
  ['a comment ends our block', `${OWNED_HEADER}\nX=1\n# mine\nV=2\n`, `${OWNED_HEADER}\nX=1\n# mine\nV=2\n`, []],
  ["a line before the header is the user's", `V=0\n${OWNED_HEADER}\nV=2\n`, `V=0\n${OWNED_HEADER}\n`, ['V']],
  ['every occurrence in our block, reported once', `${OWNED_HEADER}\nV=1\nV=2\n`, `${OWNED_HEADER}\n`, ['V']],
  ['without the header nothing is ours', 'V=2\n', 'V=2\n', []],
];
for (const [name, existing, text, removed] of REMOVALS) {
  test(`removeOwned: ${name}`, () => {
    const r = mergeEnvFile({ existing, set: [], removeOwned: ['V'] });
    assert.equal(r.text, text);
    assert.deepEqual(r.removed, removed);
    assert.equal(r.changed, removed.length > 0);
  });
}
