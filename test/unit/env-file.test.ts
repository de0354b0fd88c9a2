import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat, writeFile, symlink, readdir, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnvFile, envValues } from '../../src/env-file/parse.ts';
import { mergeEnvFile, findApiKeys, OWNED_HEADER, quoteValue } from '../../src/env-file/merge.ts';
import { readEnvFile, writeEnvFileAtomic } from '../../src/env-file/write.ts';
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
  assert.equal(r.text, `${OWNED_HEADER}\nAZURE_OPENAI_ENDPOINT=https://contoso-aoai.openai.azure.com/\nAZURE_OPENAI_DEPLOYMENT=gpt-4o-mini\n`);
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

test('merge keeps CRLF line endings and drops a BOM', () => {
  const existing = '\ufeffFOO=1\r\nAZURE_OPENAI_ENDPOINT="https://old.openai.azure.com/"\r\n';
  const r = mergeEnvFile({ existing, set: SET });
  assert.ok(!r.text.startsWith('\ufeff'));
  assert.ok(!/[^\r]\n/.test(r.text), 'every line ends in CRLF');
  assert.match(r.text, /^FOO=1\r\nAZURE_OPENAI_ENDPOINT="https:\/\/contoso-aoai\.openai\.azure\.com\/"\r\n/);
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
  for (const v of ['plain', 'has space', 'has#hash', "it's", 'a"b']) {
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

test('removeOwned deletes our own keys from our block only; a user\'s own line with the same key stays', () => {
  const existing = ['OPENAI_API_VERSION=2024-06-01', 'PORT=3000', '', OWNED_HEADER, 'AZURE_OPENAI_ENDPOINT=https://contoso-aoai.openai.azure.com/', 'AZURE_OPENAI_VERSION=2024-10-21', 'AZURE_OPENAI_DEPLOYMENT=gpt-4o-mini', 'OPENAI_API_VERSION=2024-10-21', ''].join('\n');
  const r = mergeEnvFile({ existing, set: SET, removeOwned: ['AZURE_OPENAI_VERSION', 'OPENAI_API_VERSION'] });
  assert.deepEqual(r.removed, ['AZURE_OPENAI_VERSION', 'OPENAI_API_VERSION']);
  assert.equal(r.text, ['OPENAI_API_VERSION=2024-06-01', 'PORT=3000', '', OWNED_HEADER, 'AZURE_OPENAI_ENDPOINT=https://contoso-aoai.openai.azure.com/', 'AZURE_OPENAI_DEPLOYMENT=gpt-4o-mini', ''].join('\n'));
  // Without our header nothing is ours: nothing is removed.
  const theirs = mergeEnvFile({ existing: 'OPENAI_API_VERSION=2024-06-01\n', set: SET, removeOwned: ['OPENAI_API_VERSION'] });
  assert.deepEqual(theirs.removed, []);
  assert.match(theirs.text, /^OPENAI_API_VERSION=2024-06-01$/m);
});

const ENV_BASE = { endpoint: 'https://e/', deployment: 'd', apiVersion: '2025-04-01-preview', scope: 'https://cognitiveservices.azure.com/.default', defaultScope: 'https://cognitiveservices.azure.com/.default' };
const envCases: Array<{ name: string; over: Partial<SetupEnvInput>; set: string[]; removeOwned: string[] }> = [
  { name: 'v1, a developer', over: { api: 'v1', developer: true }, set: ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_DEPLOYMENT', 'AZURE_TOKEN_CREDENTIALS'], removeOwned: ['AZURE_OPENAI_VERSION', 'OPENAI_API_VERSION'] },
  { name: 'v1, CI or a service principal', over: { api: 'v1', developer: false }, set: ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_DEPLOYMENT'], removeOwned: ['AZURE_OPENAI_VERSION', 'OPENAI_API_VERSION', 'AZURE_TOKEN_CREDENTIALS'] },
  { name: 'classic', over: { api: 'classic', developer: true }, set: ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_DEPLOYMENT', 'AZURE_OPENAI_VERSION', 'OPENAI_API_VERSION', 'AZURE_TOKEN_CREDENTIALS'], removeOwned: [] },
  { name: 'a managed identity in Government', over: { api: 'v1', developer: false, clientId: 'c', scope: 'https://cognitiveservices.azure.us/.default' }, set: ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_DEPLOYMENT', 'AZURE_CLIENT_ID', 'AZURE_OPENAI_SCOPE'], removeOwned: ['AZURE_OPENAI_VERSION', 'OPENAI_API_VERSION', 'AZURE_TOKEN_CREDENTIALS'] },
];
for (const c of envCases) {
  test(`setup's .env keys: ${c.name}`, () => {
    const r = setupEnvValues({ ...ENV_BASE, api: 'v1', developer: false, ...c.over });
    assert.deepEqual(r.set.map(([k]) => k), c.set);
    assert.deepEqual(r.removeOwned, c.removeOwned);
    if (c.set.includes('AZURE_TOKEN_CREDENTIALS')) assert.deepEqual(r.set.find(([k]) => k === 'AZURE_TOKEN_CREDENTIALS'), ['AZURE_TOKEN_CREDENTIALS', 'dev']);
  });
}
