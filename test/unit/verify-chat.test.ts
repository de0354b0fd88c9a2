// The real openai client and the real @azure/identity chain against the local Azure OpenAI server on
// 127.0.0.1, with a stub credential that mints the pretend-Azure tokens (the fake az is the e2e tier's).
// Every request stays on loopback.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { verifyKeyless } from '../../src/verify/verify-keyless.ts';
import { DEFAULT_API_VERSION } from '../../src/azure/api-version.ts';
import { captureCredentialLog, credentialFromLogLine } from '../../src/verify/credential-log.ts';
import type { VerifyInput } from '../../src/verify/report.ts';
import type { Clock } from '../../src/verify/wait.ts';
import { startFakeAoai } from '../support/fake-aoai.ts';
import { IDS, ROLE_IDS, accountId, baseWorld, type World } from '../support/world.mjs';
import { mintToken } from '../support/tokens.mjs';
import type { TokenCredential } from '@azure/identity';

/** The latest GA dated version (azure-rest-api-specs inference/stable/2024-10-21): older than reasoning models. */
const LATEST_GA_API_VERSION = '2024-10-21';

const world: World = baseWorld();
const account = world.accounts[0]!;
account.deployments.push({ name: 'o4-mini', model: 'o4-mini', version: '2025-04-16', chat: true, reasoning: true });
world.accounts.push({ ...structuredClone(account), name: 'regional', customSubDomainName: null });
world.accounts.push({ ...structuredClone(account), name: 'private', publicNetworkAccess: 'Disabled' });
// An endpoint that takes Foundry's audience only; the Cognitive Services User role covers it (scope: the group).
world.accounts.push({ ...structuredClone(account), name: 'foundry-only', audiences: ['https://ai.azure.com'] });
world.roleAssignments.push({
  id: `${accountId(account)}/providers/Microsoft.Authorization/roleAssignments/1`,
  name: '1',
  scope: accountId(account),
  roleDefinitionId: `/subscriptions/${IDS.subscription}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS['Cognitive Services OpenAI User']}`,
  principalId: IDS.userObjectId,
  principalType: 'User',
  createdOn: new Date(0).toISOString(),
});
const aoai = await startFakeAoai({ world });
after(() => aoai.close());

function credential(p: { objectId?: string; tenantId?: string; audience?: string } = {}): TokenCredential {
  return {
    // Like Entra ID: the token is for the scope asked for, unless the test pins an audience.
    getToken: async (scopes) => {
      const asked = (Array.isArray(scopes) ? scopes[0] : scopes)?.replace(/\/\.default$/, '');
      const t = mintToken({
        audience: p.audience ?? asked ?? 'https://cognitiveservices.azure.com',
        tenantId: p.tenantId ?? IDS.tenant,
        objectId: p.objectId ?? IDS.userObjectId,
        type: 'user',
        name: 'alice@contoso.com',
      });
      return { token: t.token, expiresOnTimestamp: t.expiresOn * 1000 };
    },
  };
}

const noSleep: Clock = { now: () => performance.now(), sleep: async () => undefined };

async function verify(over: Partial<VerifyInput> = {}, cred: TokenCredential = credential()) {
  const { connect } = await import('../../src/verify/verify-chat.ts');
  return verifyKeyless(
    {
      endpoint: aoai.endpointFor('contoso-aoai'),
      deployment: 'gpt-4o-mini',
      apiVersion: '2024-10-21',
      api: 'classic',
      scope: 'https://cognitiveservices.azure.com/.default',
      waitMs: 0,
      ...over,
    },
    { connect: (o) => connect({ ...o, credential: cred, credentialName: 'StubCredential' }), clock: noSleep },
  );
}

test('classic: AzureOpenAI, Bearer token, api-version, the model Azure answers with', async () => {
  const before = aoai.requests.length;
  const r = await verify();
  assert.equal(r.ok, true, JSON.stringify(r.error));
  assert.equal(r.model, 'gpt-4o-mini-2024-07-18');
  assert.equal(r.credential, 'StubCredential');
  const req = aoai.requests[before]!;
  assert.equal(req.path, '/contoso-aoai/openai/deployments/gpt-4o-mini/chat/completions');
  assert.equal(req.query['api-version'], '2024-10-21');
  assert.equal(req.headers['authorization'], 'Bearer <redacted>');
  assert.equal(req.headers['api-key'], undefined);
  assert.equal(req.headers['x-stainless-retry-count'], '0');
  assert.deepEqual(Object.keys(req.body as object).sort(), ['max_tokens', 'messages', 'model']);
});

test('v1: OpenAI client on <endpoint>/openai/v1/, no api-version', async () => {
  const before = aoai.requests.length;
  const r = await verify({ api: 'v1' });
  assert.equal(r.ok, true, JSON.stringify(r.error));
  const req = aoai.requests[before]!;
  assert.equal(req.path, '/contoso-aoai/openai/v1/chat/completions');
  assert.equal(req.query['api-version'], undefined);
  assert.equal((req.body as { model: string }).model, 'gpt-4o-mini');
});

for (const api of ['v1', 'classic'] as const) {
  test(`a reasoning deployment verifies through max_completion_tokens (${api}${api === 'classic' ? ` ${DEFAULT_API_VERSION}` : ''})`, async () => {
    const before = aoai.requests.length;
    const r = await verify({ deployment: 'o4-mini', api, apiVersion: DEFAULT_API_VERSION });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.model, 'o4-mini-2025-04-16');
    assert.equal(r.attempts, 2);
    assert.equal(aoai.requests[before]!.status, 400);
    assert.ok('max_completion_tokens' in (aoai.requests[before + 1]!.body as object));
  });
}

test('classic with an api version older than the reasoning model: its own diagnosis, naming the version it needs, never the one that failed', async () => {
  const r = await verify({ deployment: 'o4-mini', apiVersion: LATEST_GA_API_VERSION });
  assert.equal(r.ok, false);
  assert.equal(r.error?.code, 'api-version-too-old', JSON.stringify(r.error));
  assert.equal(r.error?.status, 400);
  assert.match(
    r.error?.message ?? '',
    /Model \{modelName\} is enabled only for api versions 2024-12-01-preview and later/,
  );
  assert.match(r.error?.hint ?? '', /--api v1/);
  assert.match(r.error?.hint ?? '', /--api-version 2024-12-01-preview/);
  assert.doesNotMatch(r.error?.hint ?? '', new RegExp(LATEST_GA_API_VERSION));
});

test('AZURE_OPENAI_API_KEY and OPENAI_BASE_URL in the environment: still keyless', async () => {
  process.env['AZURE_OPENAI_API_KEY'] = 'stale-key-123';
  process.env['OPENAI_BASE_URL'] = 'https://api.example.invalid/v1';
  try {
    const before = aoai.requests.length;
    const r = await verify();
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(aoai.requests[before]!.headers['api-key'], undefined);
    assert.equal(aoai.requests[before]!.headers['authorization'], 'Bearer <redacted>');
  } finally {
    delete process.env['AZURE_OPENAI_API_KEY'];
    delete process.env['OPENAI_BASE_URL'];
  }
});

const cases: Array<{
  name: string;
  over?: Partial<VerifyInput>;
  cred?: TokenCredential;
  force?: Parameters<typeof aoai.setBehaviour>[0];
  code: string;
}> = [
  { name: 'no role', cred: credential({ objectId: '12121212-1212-1212-1212-121212121212' }), code: 'role-missing' },
  { name: 'wrong audience', cred: credential({ audience: 'https://management.azure.com' }), code: 'bad-token' },
  { name: 'forced bad token', force: { force: { kind: 'bad-token' } }, code: 'bad-token' },
  {
    name: 'token from another tenant',
    cred: credential({ tenantId: '99999999-0000-0000-0000-000000000000' }),
    code: 'wrong-tenant',
  },
  { name: 'regional endpoint', over: { endpoint: aoai.endpointFor('regional') }, code: 'regional-endpoint' },
  { name: 'unknown deployment', over: { deployment: 'gpt-nope' }, code: 'deployment-not-found' },
  { name: 'embedding deployment', over: { deployment: 'embed' }, code: 'not-a-chat-model' },
  { name: 'unknown account path', over: { endpoint: aoai.endpointFor('nobody') }, code: 'wrong-endpoint' },
  { name: 'forced 404', force: { force: { kind: 'resource-not-found' } }, code: 'wrong-endpoint' },
  { name: 'throttled twice', force: { force: { kind: 'throttle', retryAfterSeconds: 1 } }, code: 'throttled' },
  { name: 'public access disabled', over: { endpoint: aoai.endpointFor('private') }, code: 'network-blocked' },
  {
    name: 'private endpoint only',
    force: { force: { kind: 'network-blocked', variant: 'private-endpoint' } },
    code: 'network-blocked',
  },
  { name: 'connection refused', over: { endpoint: 'http://127.0.0.1:9/acct/' }, code: 'unreachable' },
];

for (const c of cases) {
  test(`through openai: ${c.name} -> ${c.code}`, async () => {
    aoai.setBehaviour(c.force ?? {});
    try {
      const r = await verify(c.over, c.cred);
      assert.equal(r.ok, false);
      assert.equal(r.error?.code, c.code, JSON.stringify(r.error));
      assert.ok(r.error?.hint);
    } finally {
      aoai.setBehaviour({});
    }
  });
}

test('throttled once, then the answer after retry-after', async () => {
  aoai.setBehaviour({ force: { kind: 'throttle', times: 1, retryAfterSeconds: 1 } });
  try {
    const r = await verify();
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.attempts, 2);
    assert.equal(r.timings.waitMs, 1000);
  } finally {
    aoai.setBehaviour({});
  }
});

test('the real DefaultAzureCredential in the environment it is given: no az on PATH -> no-credential; process.env is put back (nothing leaves loopback)', async () => {
  const before = { ...process.env };
  const verifyIn = (env: NodeJS.ProcessEnv) =>
    verifyKeyless(
      {
        endpoint: aoai.endpointFor('contoso-aoai'),
        deployment: 'gpt-4o-mini',
        apiVersion: '2024-10-21',
        api: 'classic',
        scope: 'https://cognitiveservices.azure.com/.default',
        waitMs: 0,
      },
      { clock: noSleep, env },
    );
  const r = await verifyIn({ ...process.env, PATH: '/nonexistent', AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential' });
  assert.equal(r.error?.code, 'no-credential');
  assert.match(r.error?.details?.join('\n') ?? '', /Azure CLI could not be found/);
  const bad = await verifyIn({ ...process.env, PATH: '/nonexistent', AZURE_TOKEN_CREDENTIALS: 'bogus' });
  assert.equal(bad.error?.code, 'no-credential');
  assert.match(bad.error?.hint ?? '', /AZURE_TOKEN_CREDENTIALS/);
  assert.deepEqual({ ...process.env }, before);
});

test('credential log: the name is read from the log, nothing is printed, the logger is restored', async () => {
  const logger = await import('@azure/logger');
  const originalLog = logger.AzureLogger.log;
  logger.setLogLevel('verbose');
  const writes: string[] = [];
  const origWrite = process.stderr.write.bind(process.stderr);
  (process.stderr as { write: unknown }).write = (chunk: unknown) => {
    writes.push(String(chunk));
    return true;
  };
  try {
    const capture = captureCredentialLog(logger as never);
    const identityLog = logger.createClientLogger('identity');
    identityLog.info(
      'AzureCliCredential => getToken() => SUCCESS. Scopes: https://cognitiveservices.azure.com/.default.',
    );
    identityLog.info(
      'ChainedTokenCredential => getToken() => Result for AzureCliCredential: SUCCESS. Scopes: https://cognitiveservices.azure.com/.default.',
    );
    identityLog.verbose('secret-ish verbose noise');
    assert.equal(capture.credential(), 'AzureCliCredential');
    capture.restore();
    assert.equal(logger.AzureLogger.log, originalLog);
    assert.equal(logger.getLogLevel(), 'verbose');
  } finally {
    (process.stderr as { write: unknown }).write = origWrite;
    logger.setLogLevel();
  }
  assert.deepEqual(writes, []);
});

test("credential log: a minified class name falls back to the credential's own SUCCESS line", () => {
  assert.deepEqual(
    credentialFromLogLine(
      'azure:identity:info ChainedTokenCredential => getToken() => Result for Xe: SUCCESS. Scopes: s.',
    ),
    undefined,
  );
  assert.deepEqual(
    credentialFromLogLine('azure:identity:info ManagedIdentityCredential => getToken() => SUCCESS. Scopes: s.'),
    { name: 'ManagedIdentityCredential', fromResult: false },
  );
  assert.deepEqual(
    credentialFromLogLine(
      'azure:identity:info ChainedTokenCredential => getToken() => Result for EnvironmentCredential: SUCCESS. Scopes: s.',
    ),
    { name: 'EnvironmentCredential', fromResult: true },
  );
  assert.equal(
    credentialFromLogLine('azure:identity:info AzureCliCredential => getToken() => ERROR. Scopes: s.'),
    undefined,
  );
});

test('a 401 that names another audience: one more try with it, reported, and the scope that worked', async () => {
  world.roleAssignments.push({
    ...world.roleAssignments[0]!,
    id: 'g',
    name: 'g',
    scope: `/subscriptions/${IDS.subscription}/resourceGroups/rg-aoai`,
  });
  const before = aoai.requests.length;
  const r = await verify({ endpoint: aoai.endpointFor('foundry-only'), api: 'v1' });
  assert.equal(r.ok, true, JSON.stringify(r.error));
  assert.equal(r.scope, 'https://ai.azure.com/.default');
  assert.deepEqual(r.audience, {
    refused: 'https://cognitiveservices.azure.com/.default',
    tried: 'https://ai.azure.com/.default',
    ok: true,
  });
  assert.equal(r.claims?.aud, 'https://ai.azure.com');
  assert.equal(r.attempts, 2);
  assert.deepEqual(
    aoai.requests.slice(before).map((q) => q.status),
    [401, 200],
  );
});

test('the other audience for a reasoning model: max_completion_tokens on the second connection too', async () => {
  const before = aoai.requests.length;
  const r = await verify({ endpoint: aoai.endpointFor('foundry-only'), api: 'v1', deployment: 'o4-mini' });
  assert.equal(r.ok, true, JSON.stringify(r.error));
  assert.equal(r.attempts, 3);
  assert.deepEqual(
    aoai.requests.slice(before).map((q) => q.status),
    [401, 400, 200],
  );
});

test('the other audience refused too: bad-token, saying so', async () => {
  const r = await verify(
    { endpoint: aoai.endpointFor('foundry-only'), api: 'v1' },
    credential({ audience: 'https://management.azure.com' }),
  );
  assert.equal(r.error?.code, 'bad-token');
  assert.equal(r.audience?.ok, false);
  assert.equal(r.scope, 'https://cognitiveservices.azure.com/.default');
  assert.match(r.error?.details?.join('\n') ?? '', /https:\/\/ai\.azure\.com\/\.default was refused too/);
});
