// The differential test: files written by hand for every construct of issue 11, merged by aoai-keyless,
// then read by the real readers (npm dotenv, Node's parseEnv on 20/22/24, python-dotenv). Every reader
// must read every other key as before and every owned key as meant; our own parse must equal dotenv's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mergeEnvFile } from '../../src/env-file/merge.ts';
import { envValues, parseEnvFile } from '../../src/env-file/parse.ts';
import { OWNED, judgeMerges, readers, type MergeCase } from '../support/env-readers.ts';

const dotenv = createRequire(import.meta.url)('dotenv') as { parse(text: string): Record<string, string> };

const CORPUS: Record<string, string> = {
  'no file yet': '',
  'unclosed double quote on an owned key': 'AZURE_OPENAI_DEPLOYMENT="gpt-4o\nOTHER_SETTING="keep me"\n',
  'unclosed quote on an API key before DATABASE_URL': 'AZURE_OPENAI_API_KEY="abc\nDATABASE_URL=postgres://u@db/app\n',
  'backslash before a closing quote, then an API key': 'A="x\\"\nAZURE_OPENAI_API_KEY=abc\nB=1\n',
  'oddly closed quotes': "A='x' y\nB=\"q\" r # c\nAZURE_OPENAI_ENDPOINT='old' junk\n",
  'colon form and backticks':
    'AZURE_OPENAI_ENDPOINT: https://old.openai.azure.com/\nAZURE_OPENAI_DEPLOYMENT=`old`\nPORT: 3000\n',
  'export, comments, indentation':
    '# app\nexport PORT=3000 # the port\n  INDENTED=yes\nexport AZURE_OPENAI_ENDPOINT=old #mine\n',
  'multi-line values': 'CERT="-----BEGIN-----\nabc\n-----END-----"\nAZURE_OPENAI_DEPLOYMENT=\'a\nb\'\nNEXT=1\n',
  'escapes in double quotes': 'A="line1\\nline2"\nB=\'raw\\n\'\nC="tab\\there"\n',
  CRLF: '# w\r\nPORT=3000\r\nAZURE_OPENAI_ENDPOINT=old\r\n',
  'CR only': 'PORT=3000\rAZURE_OPENAI_ENDPOINT=old\rNAME=x\r',
  'mixed endings': 'A=1\r\nB=2\nC=3\rAZURE_OPENAI_DEPLOYMENT=x\r\n',
  'a last line without =': 'PORT=3000\nJUST_A_WORD',
  'a line without = before an owned key': 'FOO\n# note\nAZURE_OPENAI_DEPLOYMENT=old\nBAR=2\n',
  'no final newline': 'PORT=3000',
  BOM: '\ufeffPORT=3000\nAZURE_OPENAI_VERSION=2024-02-01\n',
  duplicates: 'AZURE_OPENAI_DEPLOYMENT=a\nX=1\nAZURE_OPENAI_DEPLOYMENT=b\n',
  'hash in values': 'A=abc#def\nB=\'a # b\'\nC="x#y"\nD=a #b\n',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dotenv's interpolation syntax, literal on purpose.
  'interpolation-looking values': "HOME_DIR=${HOME}/x\nLIT='${HOME}'\nREF=${PORT}\nPORT=1\n",
  'empty values': 'A=\nB=""\nC=\'\'\nAZURE_OPENAI_ENDPOINT=\n',
  'spaces around =': 'A = 1\nB =2\nAZURE_OPENAI_DEPLOYMENT = old\n',
  'aoai-keyless header already there':
    '# Azure OpenAI, keyless (Microsoft Entra ID): written by aoai-keyless\nAZURE_OPENAI_ENDPOINT=https://contoso-aoai.openai.azure.com/\n',
};

const READERS = readers();

function cases(): MergeCase[] {
  return Object.entries(CORPUS).flatMap(([name, before]) =>
    [false, true].map((remove) => {
      const apiKeys = remove ? ['AZURE_OPENAI_API_KEY'] : [];
      const r = mergeEnvFile({
        existing: name === 'no file yet' ? undefined : before,
        set: OWNED,
        commentOut: apiKeys,
      });
      return {
        name: `${name}${remove ? ', --remove-api-key' : ''}`,
        before,
        after: r.text,
        set: OWNED,
        commentedOut: r.commentedOut,
      };
    }),
  );
}

test("our parse is dotenv's on every file of the corpus, before and after the merge", () => {
  for (const c of cases()) {
    for (const text of [c.before, c.after])
      assert.deepEqual(envValues(parseEnvFile(text)), { ...dotenv.parse(text) }, `${c.name}: ${JSON.stringify(text)}`);
  }
});

for (const reader of READERS) {
  test(`${reader.name} reads every merged file of the corpus as meant`, {
    skip: reader.missing ? `skipped: ${reader.missing}` : false,
  }, () => {
    assert.deepEqual(judgeMerges(reader, cases()), []);
  });
}
