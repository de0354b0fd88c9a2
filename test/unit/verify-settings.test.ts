// Where each value of a verification comes from: flag -> environment -> .env -> default, and the checks
// that run before any network call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.ts';
import { resolveVerifySettings, validateEndpoint } from '../../src/verify/settings.ts';
import { DEFAULT_API_VERSION, parseApi } from '../../src/azure/api-version.ts';

const E = 'https://contoso-aoai.openai.azure.com/';
const resolve = (
  flags: Record<string, string | undefined>,
  env: Record<string, string | undefined> = {},
  file?: Record<string, string>,
) => resolveVerifySettings({ flags, env, envFile: file, envFileName: '.env' });

test('flag beats environment beats .env', () => {
  const file = {
    AZURE_OPENAI_ENDPOINT: 'https://file.openai.azure.com/',
    AZURE_OPENAI_DEPLOYMENT: 'from-file',
    OPENAI_API_VERSION: '2024-06-01',
  };
  const s = resolve({ deployment: 'from-flag' }, { AZURE_OPENAI_ENDPOINT: 'https://env.openai.azure.com' }, file);
  assert.deepEqual(
    [s.endpoint.value, s.endpoint.source, s.endpoint.key],
    ['https://env.openai.azure.com/', 'environment', 'AZURE_OPENAI_ENDPOINT'],
  );
  assert.deepEqual([s.deployment.value, s.deployment.source], ['from-flag', 'flag']);
  assert.deepEqual(
    [s.apiVersion.value, s.apiVersion.source, s.apiVersion.key],
    ['2024-06-01', 'env-file', 'OPENAI_API_VERSION'],
  );
});

test('api version: OPENAI_API_VERSION, then AZURE_OPENAI_VERSION, then AZURE_OPENAI_API_VERSION, else the default that serves every chat model', () => {
  const base = { AZURE_OPENAI_ENDPOINT: E, AZURE_OPENAI_DEPLOYMENT: 'd' };
  assert.equal(
    resolve({}, {}, { ...base, AZURE_OPENAI_API_VERSION: '2024-02-01', AZURE_OPENAI_VERSION: '2024-06-01' }).apiVersion
      .value,
    '2024-06-01',
  );
  assert.equal(
    resolve({}, {}, { ...base, AZURE_OPENAI_API_VERSION: '2024-02-01' }).apiVersion.key,
    'AZURE_OPENAI_API_VERSION',
  );
  // Any key in the environment beats every key in the .env.
  assert.equal(
    resolve({}, { AZURE_OPENAI_API_VERSION: '2025-01-01-preview' }, { ...base, OPENAI_API_VERSION: '2024-06-01' })
      .apiVersion.value,
    '2025-01-01-preview',
  );
  const d = resolve({}, {}, base).apiVersion;
  assert.deepEqual([d.value, d.source], [DEFAULT_API_VERSION, 'default']);
  // Reasoning models need 2024-12-01-preview or later on the classic route (Azure/azure-sdk-for-java#43923).
  assert.ok(DEFAULT_API_VERSION >= '2024-12-01-preview', DEFAULT_API_VERSION);
});

test("scope: AZURE_OPENAI_SCOPE, else the endpoint's cloud", () => {
  assert.equal(
    resolve({ endpoint: 'https://gov.openai.azure.us/', deployment: 'd' }).scope.value,
    'https://cognitiveservices.azure.us/.default',
  );
  const s = resolve(
    { endpoint: E, deployment: 'd' },
    {},
    { AZURE_OPENAI_SCOPE: 'https://cognitiveservices.azure.cn/.default' },
  );
  assert.deepEqual([s.scope.value, s.scope.source], ['https://cognitiveservices.azure.cn/.default', 'env-file']);
  const local = resolve({ endpoint: 'http://127.0.0.1:9/acct/', deployment: 'd' });
  assert.equal(local.scope.value, 'https://cognitiveservices.azure.com/.default');
  assert.match(local.warnings.join('\n'), /not an Azure OpenAI host of a known cloud/);
});

test('missing endpoint or deployment: a usage error naming the flag and the .env key', () => {
  assert.throws(
    () => resolve({ deployment: 'd' }),
    (e: unknown) =>
      e instanceof UsageError &&
      e.exitCode === 2 &&
      /--endpoint/.test(e.hint ?? '') &&
      /AZURE_OPENAI_ENDPOINT/.test(e.hint ?? ''),
  );
  assert.throws(
    () => resolve({ endpoint: E }),
    (e: unknown) =>
      e instanceof UsageError && /--deployment/.test(e.hint ?? '') && /AZURE_OPENAI_DEPLOYMENT/.test(e.hint ?? ''),
  );
});

test('endpoint checks happen before any network call', () => {
  const bad = (v: string, re: RegExp) =>
    assert.throws(
      () => validateEndpoint(v, 'x'),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
    );
  bad('contoso-aoai.openai.azure.com', /not a URL/);
  bad('http://contoso-aoai.openai.azure.com/', /http:\/\//);
  bad('ftp://x/', /not https/);
  bad('https://u:p@x.openai.azure.com/', /user name/);
  bad('https://x.openai.azure.com/?api-version=1', /query/);
  bad('https://x.openai.azure.com/openai/deployments/gpt/chat/completions', /\/openai path/);
  assert.equal(validateEndpoint('https://x.openai.azure.com', 'x'), 'https://x.openai.azure.com/');
  assert.equal(validateEndpoint('http://127.0.0.1:8080/acct', 'x'), 'http://127.0.0.1:8080/acct/');
  assert.equal(validateEndpoint('http://localhost:1/', 'x'), 'http://localhost:1/');
  assert.equal(validateEndpoint('http://[::1]:1/', 'x'), 'http://[::1]:1/');
});

test('bad --api, --api-version and --wait are usage errors', () => {
  assert.throws(() => resolve({ endpoint: E, deployment: 'd', api: 'v2' }), UsageError);
  assert.throws(() => resolve({ endpoint: E, deployment: 'd', apiVersion: 'latest' }), UsageError);
  assert.equal(resolve({ endpoint: E, deployment: 'd', apiVersion: 'latest', api: 'v1' }).api, 'v1');
  assert.throws(() => resolve({ endpoint: E, deployment: 'd', wait: 'soon' }), UsageError);
  assert.equal(resolve({ endpoint: E, deployment: 'd', wait: '2m' }).waitMs, 120_000);
});

test('a stale AZURE_OPENAI_API_KEY or OPENAI_BASE_URL is a warning, not an error', () => {
  const s = resolve(
    { endpoint: E, deployment: 'd' },
    { OPENAI_BASE_URL: 'https://x' },
    { AZURE_OPENAI_API_KEY: 'abc' },
  );
  assert.equal(s.warnings.length, 2);
  assert.match(s.warnings[0]!, /AZURE_OPENAI_API_KEY is set in \.env.*mutually exclusive/);
  assert.match(
    s.warnings[1]!,
    /OPENAI_BASE_URL is set in the environment.*baseURL and endpoint are mutually exclusive/,
  );
  assert.ok(!s.warnings.join('').includes('abc'), 'the key itself is never shown');
});

test('identity variables of the .env reach the credential as dotenv would put them: never over a set one', () => {
  const s = resolve(
    { endpoint: E, deployment: 'd' },
    { AZURE_TENANT_ID: 'env-tenant' },
    {
      AZURE_CLIENT_ID: 'mi-client',
      AZURE_TENANT_ID: 'file-tenant',
      AZURE_TOKEN_CREDENTIALS: 'ManagedIdentityCredential',
      AZURE_OPENAI_API_KEY: 'k',
      AZURE_OPENAI_ENDPOINT: E,
    },
  );
  assert.deepEqual(s.credentialEnv, {
    AZURE_CLIENT_ID: 'mi-client',
    AZURE_TOKEN_CREDENTIALS: 'ManagedIdentityCredential',
  });
});

test('--api: v1 by default; classic when --api-version asks for one; --api wins', () => {
  const table: Array<[string | undefined, string | undefined, 'v1' | 'classic']> = [
    [undefined, undefined, 'v1'],
    [undefined, '2025-04-01-preview', 'classic'],
    ['v1', '2025-04-01-preview', 'v1'],
    ['classic', undefined, 'classic'],
    [' V1 ', undefined, 'v1'],
  ];
  for (const [api, version, want] of table) assert.equal(parseApi(api, version), want, `${api} ${version}`);
  assert.equal(resolve({ endpoint: E, deployment: 'd' }).api, 'v1');
});

test('an api version in the .env with the v1 API: a warning that it is not used, and how to use it', () => {
  const s = resolve({ endpoint: E, deployment: 'd' }, {}, { OPENAI_API_VERSION: '2024-10-21' });
  assert.equal(s.api, 'v1');
  assert.match(
    s.warnings.join('\n'),
    /OPENAI_API_VERSION in \.env is for the classic route.*not used\. To use it: --api classic\./,
  );
  assert.deepEqual(
    resolve({ endpoint: E, deployment: 'd', api: 'classic' }, {}, { OPENAI_API_VERSION: '2024-10-21' }).warnings,
    [],
  );
});
