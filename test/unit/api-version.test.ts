// Which Azure OpenAI API a command uses: v1 (<endpoint>/openai/v1/, no api-version) by default, the classic
// route with an api-version when --api classic or an --api-version asks for it (learn.microsoft.com/azure/
// ai-foundry/openai/api-version-lifecycle: v1 GA since August 2025; 2025-04-01-preview the newest dated version).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_API, DEFAULT_API_VERSION, parseApi } from '../../src/azure/api-version.ts';
import { UsageError } from '../../src/errors.ts';

test('--api: v1 unless asked otherwise; an --api-version alone means the classic route', () => {
  const table: Array<[string | undefined, string | undefined, string]> = [
    [undefined, undefined, 'v1'],
    [undefined, '2024-10-21', 'classic'],
    [undefined, '', 'classic'],
    ['v1', undefined, 'v1'],
    [' V1 ', '2024-10-21', 'v1'],
    ['classic', undefined, 'classic'],
    ['Classic', undefined, 'classic'],
  ];
  for (const [api, apiVersion, want] of table) assert.equal(parseApi(api, apiVersion), want, `${api} ${apiVersion}`);
  assert.equal(DEFAULT_API, 'v1');
  assert.equal(DEFAULT_API_VERSION, '2025-04-01-preview', 'serves reasoning models (2024-10-21 does not)');
});

test('--api other than v1 or classic is a usage error that lists both', () => {
  for (const value of ['v2', 'preview', ''])
    assert.throws(
      () => parseApi(value),
      (e: unknown) =>
        e instanceof UsageError &&
        e.code === 'bad-api' &&
        e.message === `--api ${JSON.stringify(value)} is not one of v1, classic.` &&
        /--api v1 \(the default.*--api classic/.test(e.hint ?? ''),
      value,
    );
});
