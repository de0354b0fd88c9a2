import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat, writeFile, symlink, readdir, mkdir, link, chown, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnvFile, envValues } from '../../src/env-file/parse.ts';
import { mergeEnvFile, findApiKeys, OWNED_HEADER, NODE20_GUARD, quoteValue } from '../../src/env-file/merge.ts';
import { EnvFileChanged, readEnvFile, writeEnvFileAtomic } from '../../src/env-file/write.ts';
import { applyEnvFile, planEnvFile } from '../../src/steps/env-file.ts';
import { createNonInteractivePrompter } from '../../src/prompts/prompter.ts';
import { UsageError } from '../../src/errors.ts';
import { setupEnvValues, type SetupEnvInput } from '../../src/steps/env-file.ts';

const SET = [
  ['AZURE_OPENAI_ENDPOINT', 'https://contoso-aoai.openai.azure.com/'],
  ['AZURE_OPENAI_DEPLOYMENT', 'gpt-4o-mini'],
] as const;

test('parse reads values the way dotenv does', () => {
  const text = [
    '# comment',
    'PLAIN=value',
    'SPACED = spaced value  ',
    'export EXPORTED=yes',
    'INLINE=abc # a comment',
    "SINGLE='a # not a comment'",
    'DOUBLE="line1\\nline2"',
    'MULTI="first',
    'second"',
    'EMPTY=',
    'COLON: value',
  ].join('\n');
  assert.deepEqual(envValues(parseEnvFile(text)), {
    PLAIN: 'value',
    SPACED: 'spaced value',
    EXPORTED: 'yes',
    INLINE: 'abc',
    SINGLE: 'a # not a comment',
    DOUBLE: 'line1\nline2',
    MULTI: 'first\nsecond',
    EMPTY: '',
    COLON: 'value',
  });
});

test('merge into no file writes the header and the keys', () => {
  const r = mergeEnvFile({ existing: undefined, set: SET });
  assert.equal(
    r.text,
    `${OWNED_HEADER}\nAZURE_OPENAI_ENDPOINT=https://contoso-aoai.openai.azure.com/\nAZURE_OPENAI_DEPLOYMENT=gpt-4o-mini\n`,
  );
  assert.equal(r.changed, true);
});

test('merge keeps every other line, comment and order, and updates owned keys in place', () => {
  const existing = '# my app\nFOO=1\nAZURE_OPENAI_DEPLOYMENT=old # keep me\n\nexport BAR="two words"\n';
  const r = mergeEnvFile({ existing, set: SET });
  assert.equal(
    r.text,
    `# my app\nFOO=1\nAZURE_OPENAI_DEPLOYMENT=gpt-4o-mini # keep me\n\nexport BAR="two words"\n\n${OWNED_HEADER}\nAZURE_OPENAI_ENDPOINT=https://contoso-aoai.openai.azure.com/\n`,
  );
});

test('merge keeps CRLF line endings and the BOM; an owned key is rewritten bare', () => {
  const existing = '\ufeffFOO=1\r\nAZURE_OPENAI_ENDPOINT="https://old.openai.azure.com/"\r\n';
  const r = mergeEnvFile({ existing, set: SET });
  assert.ok(r.text.startsWith('\ufeffFOO=1\r\n'));
  assert.ok(!/[^\r]\n/.test(r.text), 'every line ends in CRLF');
  assert.match(r.text, /^\ufeffFOO=1\r\nAZURE_OPENAI_ENDPOINT=https:\/\/contoso-aoai\.openai\.azure\.com\/\r\n/);
});

test('merge of the same values is a no-op', () => {
  const first = mergeEnvFile({ existing: 'A=1\n', set: SET }).text;
  const again = mergeEnvFile({ existing: first, set: SET });
  assert.equal(again.changed, false);
  assert.equal(again.text, first);
  assert.deepEqual(again.updated, []);
});

test('a file without a final newline keeps its last line intact', () => {
  const r = mergeEnvFile({ existing: 'A=1', set: SET });
  assert.match(r.text, /^A=1\n\n# Azure/);
});

test('API keys are found and commented out on request', () => {
  const existing = 'AZURE_OPENAI_API_KEY=abc123\nOTHER=1\n';
  assert.deepEqual(findApiKeys(existing), ['AZURE_OPENAI_API_KEY']);
  const kept = mergeEnvFile({ existing, set: SET });
  assert.deepEqual(kept.apiKeysLeft, ['AZURE_OPENAI_API_KEY']);
  const removed = mergeEnvFile({ existing, set: SET, commentOut: ['AZURE_OPENAI_API_KEY'] });
  assert.match(removed.text, /^# AZURE_OPENAI_API_KEY=abc123 {2}# commented out by aoai-keyless/);
  assert.deepEqual(removed.apiKeysLeft, []);
  assert.deepEqual(envValues(parseEnvFile(removed.text)).AZURE_OPENAI_API_KEY, undefined);
});

test('values dotenv would misread are quoted so they read back the same', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dotenv's interpolation syntax, literal on purpose.
  for (const v of ['plain', 'has space', 'has#hash', "it's", 'a"b', '${HOME}']) {
    const text = `K=${quoteValue(v)}\n`;
    assert.equal(envValues(parseEnvFile(text)).K, v, text);
  }
});

test('atomic write: new file is 0600, an existing file keeps its mode, no temp files remain', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'envfile-'));
  const f = await readEnvFile('.env', dir);
  await writeEnvFileAtomic(f, 'A=1\n');
  assert.equal((await stat(join(dir, '.env'))).mode & 0o777, 0o600);
  await writeFile(join(dir, 'other.env'), 'B=1\n', { mode: 0o640 });
  const g = await readEnvFile('other.env', dir);
  await writeEnvFileAtomic(g, 'B=2\n');
  assert.equal((await stat(join(dir, 'other.env'))).mode & 0o777, 0o640);
  assert.equal(await readFile(join(dir, 'other.env'), 'utf8'), 'B=2\n');
  assert.deepEqual((await readdir(dir)).sort(), ['.env', 'other.env']);
});

test('a symlinked .env is written through the link', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'envfile-'));
  await writeFile(join(dir, 'real.env'), 'A=1\n');
  await symlink(join(dir, 'real.env'), join(dir, '.env'));
  const f = await readEnvFile('.env', dir);
  await writeEnvFileAtomic(f, 'A=2\n');
  assert.equal(await readFile(join(dir, 'real.env'), 'utf8'), 'A=2\n');
  assert.ok((await import('node:fs')).lstatSync(join(dir, '.env')).isSymbolicLink());
});

test('a directory or a missing folder is a usage error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'envfile-'));
  await mkdir(join(dir, 'adir'));
  await assert.rejects(readEnvFile('adir', dir), UsageError);
  await assert.rejects(readEnvFile('no/such/dir/.env', dir), UsageError);
});

const ENDPOINT = 'https://contoso-aoai.openai.azure.com/';
const APPENDED = `\n${OWNED_HEADER}\nAZURE_OPENAI_ENDPOINT=${ENDPOINT}\nAZURE_OPENAI_DEPLOYMENT=gpt-4o-mini\n`;

// Each row: a file, and the file after merging SET (every line but the owned ones byte for byte).
const MERGES: Array<{ name: string; existing: string; text: string }> = [
  {
    name: 'an unclosed quote swallows nothing: the next line stays (issue 11)',
    existing: 'AZURE_OPENAI_DEPLOYMENT="gpt-4o\nOTHER_SETTING=keep me\n',
    text: `AZURE_OPENAI_DEPLOYMENT=gpt-4o-mini\nOTHER_SETTING=keep me\n\n${OWNED_HEADER}\nAZURE_OPENAI_ENDPOINT=${ENDPOINT}\n`,
  },
  {
    // Node reads that quote up to the one in OTHER_SETTING's line: rewriting the owned line would change
    // what Node reads there, so it stays and the key is written again at the end (the last one wins).
    name: 'an owned line whose quote Node reads on past it stays; the key is appended',
    existing: 'AZURE_OPENAI_DEPLOYMENT="gpt-4o\nOTHER_SETTING="keep me"\n',
    text: `AZURE_OPENAI_DEPLOYMENT="gpt-4o\nOTHER_SETTING="keep me"\n\n${OWNED_HEADER}\nAZURE_OPENAI_ENDPOINT=${ENDPOINT}\nAZURE_OPENAI_DEPLOYMENT=gpt-4o-mini\n`,
  },
  {
    name: 'an oddly closed quote is read unquoted, its neighbours kept',
    existing: "A=\"x\" y\nAZURE_OPENAI_DEPLOYMENT='old' z\nB='q\n",
    text: `A="x" y\nAZURE_OPENAI_DEPLOYMENT=gpt-4o-mini\nB='q\n\n${OWNED_HEADER}\nAZURE_OPENAI_ENDPOINT=${ENDPOINT}\n`,
  },
  {
    name: 'KEY: value and backticks are rewritten as KEY=value',
    existing: 'AZURE_OPENAI_ENDPOINT: https://old.openai.azure.com/\nAZURE_OPENAI_DEPLOYMENT=`gpt-4o-mini`\n',
    text: `AZURE_OPENAI_ENDPOINT=${ENDPOINT}\nAZURE_OPENAI_DEPLOYMENT=gpt-4o-mini\n`,
  },
  {
    name: 'export and a trailing comment are kept on an owned line; a multi-line value becomes one line',
    existing: 'export AZURE_OPENAI_ENDPOINT=old #mine\nAZURE_OPENAI_DEPLOYMENT="a\nb"\nZ=1\n',
    text: `export AZURE_OPENAI_ENDPOINT=${ENDPOINT} #mine\nAZURE_OPENAI_DEPLOYMENT=gpt-4o-mini\nZ=1\n`,
  },
  {
    name: 'mixed line endings stay as they were, line by line',
    existing: 'A=1\r\nB=2\nAZURE_OPENAI_DEPLOYMENT=x\rC=3\r\n',
    text: `A=1\r\nB=2\nAZURE_OPENAI_DEPLOYMENT=gpt-4o-mini\rC=3\r\n\r\n${OWNED_HEADER}\r\nAZURE_OPENAI_ENDPOINT=${ENDPOINT}\r\n`,
  },
  {
    name: 'a CR-only file is parsed and stays CR-only',
    existing: 'A=1\rAZURE_OPENAI_DEPLOYMENT=x\r',
    text: `A=1\rAZURE_OPENAI_DEPLOYMENT=gpt-4o-mini\r\r${OWNED_HEADER}\rAZURE_OPENAI_ENDPOINT=${ENDPOINT}\r`,
  },
  {
    name: 'a last line without = gets the Node 20 guard before the appended block',
    existing: 'A=1\nDANGLING',
    text: `A=1\nDANGLING\n${NODE20_GUARD}\n${APPENDED}`,
  },
  {
    name: 'an owned line after a line without = gets the guard too',
    existing: 'FOO\n# note\nAZURE_OPENAI_ENDPOINT=old\nAZURE_OPENAI_DEPLOYMENT=gpt-4o-mini\n',
    text: `FOO\n# note\n${NODE20_GUARD}\nAZURE_OPENAI_ENDPOINT=${ENDPOINT}\nAZURE_OPENAI_DEPLOYMENT=gpt-4o-mini\n`,
  },
  {
    name: 'a line KEY: (no value) takes the next line for dotenv: that line is not ours, so the key is appended',
    existing: 'NOTE:\nAZURE_OPENAI_ENDPOINT=old\n',
    text: `NOTE:\nAZURE_OPENAI_ENDPOINT=old\n${APPENDED}`,
  },
];

for (const row of MERGES) {
  test(`merge: ${row.name}`, () => {
    const r = mergeEnvFile({ existing: row.existing, set: SET });
    assert.equal(r.text, row.text);
    const values = envValues(parseEnvFile(r.text));
    assert.equal(values.AZURE_OPENAI_ENDPOINT, ENDPOINT);
    assert.equal(values.AZURE_OPENAI_DEPLOYMENT, 'gpt-4o-mini');
    assert.equal(mergeEnvFile({ existing: r.text, set: SET }).changed, false, 'a second merge changes nothing');
  });
}

test('an API key after `\\` before a closing quote is seen, as every reader sees it', () => {
  // dotenv and Node end A's value at the second quote: the key on the next line is a key.
  const existing = 'A="x\\"\nAZURE_OPENAI_API_KEY=abc\nB=1\n';
  assert.deepEqual(findApiKeys(existing), ['AZURE_OPENAI_API_KEY']);
  const r = mergeEnvFile({ existing, set: SET, commentOut: ['AZURE_OPENAI_API_KEY'] });
  assert.ok(r.text.startsWith('A="x\\"\n# AZURE_OPENAI_API_KEY=abc  # commented out by aoai-keyless'), r.text);
  assert.ok(r.text.includes('\nB=1\n'));
});

test('an unclosed quote on an API key line comments out that line only', () => {
  const existing = 'AZURE_OPENAI_API_KEY="abc\nDATABASE_URL=postgres://db\n';
  const r = mergeEnvFile({ existing, set: SET, commentOut: ['AZURE_OPENAI_API_KEY'] });
  assert.equal(envValues(parseEnvFile(r.text)).DATABASE_URL, 'postgres://db');
  assert.match(r.text, /^# AZURE_OPENAI_API_KEY="abc {2}# commented out[^\n]*\nDATABASE_URL=postgres:\/\/db\n/);
});

test('a value no reader-neutral quoting can hold is refused', () => {
  assert.throws(() => quoteValue(`it's $x`), UsageError);
  assert.throws(() => quoteValue('back\\slash'), UsageError);
});

const ctx = {
  prompter: createNonInteractivePrompter(),
  out: { warn: () => {}, detail: () => {} },
  runner: { run: () => Promise.reject(new Error('no git')) },
} as unknown as Parameters<typeof planEnvFile>[0];

test('without a prompt (CI, --yes) an API key is left in place; --remove-api-key comments it out', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'envfile-'));
  await writeFile(join(dir, '.env'), 'AZURE_OPENAI_API_KEY=abc\n');
  const kept = await planEnvFile(ctx, await readEnvFile('.env', dir), SET, { removeApiKey: false });
  assert.deepEqual(kept.merge.commentedOut, []);
  assert.deepEqual(kept.merge.apiKeysLeft, ['AZURE_OPENAI_API_KEY']);
  const removed = await planEnvFile(ctx, await readEnvFile('.env', dir), SET, { removeApiKey: true });
  assert.deepEqual(removed.merge.commentedOut, ['AZURE_OPENAI_API_KEY']);
});

test('an edit made between reading and writing survives: the keys are merged into the new text', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'envfile-'));
  await writeFile(join(dir, '.env'), 'A=1\n');
  const plan = await planEnvFile(ctx, await readEnvFile('.env', dir), SET, { removeApiKey: false });
  await writeFile(join(dir, '.env'), 'A=1\nEDITED=yes\n');
  await assert.rejects(writeEnvFileAtomic(plan.file, plan.merge.text), EnvFileChanged);
  assert.equal(await readFile(join(dir, '.env'), 'utf8'), 'A=1\nEDITED=yes\n', 'nothing written over the edit');
  const out = await applyEnvFile(plan);
  assert.equal(out.status, 'written');
  assert.equal(await readFile(join(dir, '.env'), 'utf8'), `A=1\nEDITED=yes\n${APPENDED}`);
});

test("owner, group and mode are kept (as root, the file stays its user's)", {
  skip: process.getuid?.() !== 0 ? 'needs root to chown' : false,
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'envfile-'));
  await writeFile(join(dir, '.env'), 'A=1\n', { mode: 0o640 });
  await chown(join(dir, '.env'), 1234, 2345);
  await writeEnvFileAtomic(await readEnvFile('.env', dir), 'A=2\n');
  const st = await stat(join(dir, '.env'));
  assert.deepEqual([st.uid, st.gid, st.mode & 0o777], [1234, 2345, 0o640]);
  // A new file in a user's folder is the folder owner's, not root's.
  await chown(dir, 1234, 2345);
  await writeEnvFileAtomic(await readEnvFile('new.env', dir), 'A=1\n');
  const n = await stat(join(dir, 'new.env'));
  assert.deepEqual([n.uid, n.gid, n.mode & 0o777], [1234, 2345, 0o600]);
});

test('a dangling symlink is written through: the link stays, its target is created', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'envfile-'));
  await mkdir(join(dir, 'secrets'));
  await symlink('secrets/app.env', join(dir, '.env'));
  const f = await readEnvFile('.env', dir);
  assert.equal(f.realPath, join(dir, 'secrets', 'app.env'));
  await writeEnvFileAtomic(f, 'A=1\n');
  assert.ok((await lstat(join(dir, '.env'))).isSymbolicLink());
  assert.equal(await readFile(join(dir, 'secrets', 'app.env'), 'utf8'), 'A=1\n');
});

test('a hard-linked .env is written in place: every name sees the new text', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'envfile-'));
  await writeFile(join(dir, 'shared.env'), 'A=1\n');
  await link(join(dir, 'shared.env'), join(dir, '.env'));
  const f = await readEnvFile('.env', dir);
  assert.equal(f.hardLinked, true);
  await writeEnvFileAtomic(f, 'A=2\n');
  assert.equal(await readFile(join(dir, 'shared.env'), 'utf8'), 'A=2\n');
  assert.equal((await stat(join(dir, '.env'))).ino, (await stat(join(dir, 'shared.env'))).ino);
});

test('an API key inside a quote Node and python-dotenv read across lines is commented out nowhere, and reported', () => {
  // dotenv reads A's line alone (no closing quote on it); Node reads A up to the quote in B's line, so
  // commenting the key out would change A's value for Node: every occurrence of the key stays.
  const existing = 'A="x\nAZURE_OPENAI_API_KEY=abc\nB="y"\nAZURE_OPENAI_API_KEY=abc\n';
  const r = mergeEnvFile({ existing, set: SET, commentOut: ['AZURE_OPENAI_API_KEY'] });
  assert.deepEqual(r.commentedOut, []);
  assert.deepEqual(r.apiKeysLeft, ['AZURE_OPENAI_API_KEY']);
  assert.ok(r.text.startsWith(existing), r.text);
});

test("removeOwned deletes our own keys from our block only; a user's own line with the same key stays", () => {
  const existing = [
    'OPENAI_API_VERSION=2024-06-01',
    'PORT=3000',
    '',
    OWNED_HEADER,
    'AZURE_OPENAI_ENDPOINT=https://contoso-aoai.openai.azure.com/',
    'AZURE_OPENAI_VERSION=2024-10-21',
    'AZURE_OPENAI_DEPLOYMENT=gpt-4o-mini',
    'OPENAI_API_VERSION=2024-10-21',
    '',
  ].join('\n');
  const r = mergeEnvFile({ existing, set: SET, removeOwned: ['AZURE_OPENAI_VERSION', 'OPENAI_API_VERSION'] });
  assert.deepEqual(r.removed, ['AZURE_OPENAI_VERSION', 'OPENAI_API_VERSION']);
  assert.equal(
    r.text,
    [
      'OPENAI_API_VERSION=2024-06-01',
      'PORT=3000',
      '',
      OWNED_HEADER,
      'AZURE_OPENAI_ENDPOINT=https://contoso-aoai.openai.azure.com/',
      'AZURE_OPENAI_DEPLOYMENT=gpt-4o-mini',
      '',
    ].join('\n'),
  );
  // Without our header nothing is ours: nothing is removed.
  const theirs = mergeEnvFile({
    existing: 'OPENAI_API_VERSION=2024-06-01\n',
    set: SET,
    removeOwned: ['OPENAI_API_VERSION'],
  });
  assert.deepEqual(theirs.removed, []);
  assert.match(theirs.text, /^OPENAI_API_VERSION=2024-06-01$/m);
});

const ENV_BASE = {
  endpoint: 'https://e/',
  deployment: 'd',
  apiVersion: '2025-04-01-preview',
  scope: 'https://cognitiveservices.azure.com/.default',
  defaultScope: 'https://cognitiveservices.azure.com/.default',
};
const envCases: Array<{ name: string; over: Partial<SetupEnvInput>; set: string[]; removeOwned: string[] }> = [
  {
    name: 'v1, a developer',
    over: { api: 'v1', developer: true },
    set: ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_DEPLOYMENT', 'AZURE_TOKEN_CREDENTIALS'],
    removeOwned: ['AZURE_OPENAI_VERSION', 'OPENAI_API_VERSION'],
  },
  {
    name: 'v1, CI or a service principal',
    over: { api: 'v1', developer: false },
    set: ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_DEPLOYMENT'],
    removeOwned: ['AZURE_OPENAI_VERSION', 'OPENAI_API_VERSION', 'AZURE_TOKEN_CREDENTIALS'],
  },
  {
    name: 'classic',
    over: { api: 'classic', developer: true },
    set: [
      'AZURE_OPENAI_ENDPOINT',
      'AZURE_OPENAI_DEPLOYMENT',
      'AZURE_OPENAI_VERSION',
      'OPENAI_API_VERSION',
      'AZURE_TOKEN_CREDENTIALS',
    ],
    removeOwned: [],
  },
  {
    name: 'a managed identity in Government',
    over: { api: 'v1', developer: false, clientId: 'c', scope: 'https://cognitiveservices.azure.us/.default' },
    set: ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_DEPLOYMENT', 'AZURE_CLIENT_ID', 'AZURE_OPENAI_SCOPE'],
    removeOwned: ['AZURE_OPENAI_VERSION', 'OPENAI_API_VERSION', 'AZURE_TOKEN_CREDENTIALS'],
  },
];
for (const c of envCases) {
  test(`setup's .env keys: ${c.name}`, () => {
    const r = setupEnvValues({ ...ENV_BASE, api: 'v1', developer: false, ...c.over });
    assert.deepEqual(
      r.set.map(([k]) => k),
      c.set,
    );
    assert.deepEqual(r.removeOwned, c.removeOwned);
    if (c.set.includes('AZURE_TOKEN_CREDENTIALS'))
      assert.deepEqual(
        r.set.find(([k]) => k === 'AZURE_TOKEN_CREDENTIALS'),
        ['AZURE_TOKEN_CREDENTIALS', 'dev'],
      );
  });
}
