// The diagnosis table: each failure as the libraries really throw it (openai's APIError.generate with
// Azure's bodies, @azure/identity's errors, undici's connection errors) -> its code and next step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { APIError, APIConnectionError, APIConnectionTimeoutError, OpenAIError } from 'openai';
import { AggregateAuthenticationError, CredentialUnavailableError } from '@azure/identity';
import { toFailure, retryAfterMs, parseErrorBody, type Failure } from '../../src/verify/failure.ts';
import { codeOf, diagnose, wantsAzureFacts, type DiagnoseContext } from '../../src/verify/diagnose.ts';
import { decodeTokenClaims } from '../../src/entra/token-claims.ts';
import { mintToken } from '../support/tokens.mjs';

const fixtures = JSON.parse(
  readFileSync(new URL('../fixtures/azure-fixtures.json', import.meta.url), 'utf8'),
) as Record<string, { body: unknown; headers?: Record<string, string> }>;
const OID = '55555555-5555-5555-5555-555555555555';
const TID = '22222222-2222-2222-2222-222222222222';
const ACCOUNT_ID =
  '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-aoai/providers/Microsoft.CognitiveServices/accounts/contoso-aoai';

const claims = decodeTokenClaims(
  mintToken({
    audience: 'https://cognitiveservices.azure.com',
    tenantId: TID,
    objectId: OID,
    type: 'user',
    name: 'alice@contoso.com',
  }).token,
);

const ctx = (over: Partial<DiagnoseContext> = {}): DiagnoseContext => ({
  endpoint: 'https://contoso-aoai.openai.azure.com/',
  deployment: 'gpt-4o-mini',
  scope: 'https://cognitiveservices.azure.com/.default',
  api: 'classic',
  justAssigned: false,
  waitedMs: 0,
  claims,
  roleAssignmentCommand: undefined,
  ...over,
});

/** What openai throws for an HTTP answer: APIError.generate reads body.error (openai src/core/error.ts). */
function httpError(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): { error: unknown; raw: { status: number; body: string } } {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  let json: { error?: unknown } | undefined;
  try {
    json = JSON.parse(text) as { error?: unknown };
  } catch {
    json = undefined;
  }
  const error = APIError.generate(
    status,
    json?.error as object | undefined,
    json ? undefined : text,
    new Headers(headers),
  );
  return { error, raw: { status, body: text } };
}

function fromHttp(status: number, body: unknown, headers: Record<string, string> = {}): Failure {
  const { error, raw } = httpError(status, body, headers);
  const f = toFailure(error, { response: raw, nowMs: Date.now() });
  assert.ok(f, 'classified');
  return f;
}

function wrappedTokenError(cause: Error): Failure {
  // openai src/client.ts _callApiKey wraps a token provider's error.
  const e = new OpenAIError(`Failed to get token from 'apiKey' function: ${cause.message}`, { cause } as never);
  (e as { cause?: unknown }).cause = cause;
  const f = toFailure(e, { nowMs: Date.now() });
  assert.ok(f);
  return f;
}

function connectionError(code: string): Failure {
  const cause = Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error(`getaddrinfo ${code} x`), { code }),
  });
  const f = toFailure(new APIConnectionError({ cause }), { connection: 'error', nowMs: Date.now() });
  assert.ok(f);
  return f;
}

const rows: Array<{
  name: string;
  failure: () => Failure;
  ctx?: Partial<DiagnoseContext>;
  code: string;
  hint: RegExp;
  details?: RegExp;
}> = [
  {
    name: 'no credential: az not signed in (through openai)',
    failure: () =>
      wrappedTokenError(
        new AggregateAuthenticationError(
          [
            new CredentialUnavailableError(
              "Please run 'az login' from a command prompt to authenticate before using this credential.",
            ),
          ],
          'ChainedTokenCredential authentication failed.',
        ),
      ),
    code: 'no-credential',
    hint: /az login.*azure\/login.*AZURE_CLIENT_ID/,
    details: /Please run 'az login'/,
  },
  {
    name: 'no credential: expired refresh token -> az login --scope',
    failure: () =>
      wrappedTokenError(
        new AggregateAuthenticationError([
          new CredentialUnavailableError(
            'ERROR: AADSTS700082: The refresh token has expired.\nInteractive authentication is needed. Please run:\naz login --scope https://cognitiveservices.azure.com/.default\n',
          ),
        ]),
      ),
    code: 'no-credential',
    hint: /az login --scope https:\/\/cognitiveservices\.azure\.com\/\.default/,
  },
  {
    name: 'no credential: bad AZURE_TOKEN_CREDENTIALS',
    failure: () => ({ kind: 'credential-config', message: 'Invalid value for AZURE_TOKEN_CREDENTIALS = bogus.' }),
    code: 'no-credential',
    hint: /AZURE_TOKEN_CREDENTIALS/,
  },
  {
    name: 'role missing: 401 PermissionDenied (data action)',
    failure: () => fromHttp(401, fixtures['aoai_401_permission_denied_missing_role']!.body),
    code: 'role-missing',
    // The sentence first, then the command it introduces; the hint is the step after it.
    hint: /^Once the role is assigned, run `aoai-keyless verify --wait 5m`/,
    details: new RegExp(
      `^Give it the "Cognitive Services OpenAI User" role .*:\naz role assignment create --assignee-object-id ${OID} --assignee-principal-type User --role 5e0bd9bd-7b93-4f28-af87-19fc36ad61bd --scope "<resource-id>"`,
    ),
  },
  {
    name: 'role missing: generic "Principal does not have access", account found through az',
    failure: () =>
      fromHttp(401, {
        error: { code: 'PermissionDenied', message: 'Principal does not have access to API/Operation.' },
      }),
    ctx: {
      account: {
        id: ACCOUNT_ID,
        name: 'contoso-aoai',
        resourceGroup: 'rg-aoai',
        subscriptionId: '11111111-1111-1111-1111-111111111111',
        endpoint: 'https://contoso-aoai.openai.azure.com/',
      },
    },
    code: 'role-missing',
    hint: /role/,
    details: new RegExp(`--scope "${ACCOUNT_ID}"`),
  },
  {
    name: 'role propagating: setup just created it',
    failure: () => fromHttp(401, fixtures['aoai_401_permission_denied_missing_role']!.body),
    ctx: { justAssigned: true, roleAssignmentCommand: 'az role assignment create --assignee-object-id X' },
    code: 'role-propagating',
    hint: /verify --wait 10m/,
    details: /az role assignment create --assignee-object-id X/,
  },
  {
    name: 'bad token: 401 without an error wrapper ("401 status code (no body)")',
    failure: () => fromHttp(401, fixtures['aoai_401_audience_or_expired_token']!.body),
    code: 'bad-token',
    hint: /scope.*az login/,
  },
  {
    name: 'wrong tenant (400 "Token tenant ... does not match resource tenant")',
    failure: () =>
      fromHttp(400, {
        error: {
          code: 'Tenant provided in token does not match resource token',
          message: `Token tenant ${TID} does not match resource tenant.`,
        },
      }),
    code: 'wrong-tenant',
    hint: /az login --tenant.*AZURE_TENANT_ID/,
  },
  {
    name: 'regional endpoint (400 custom subdomain)',
    failure: () => fromHttp(400, fixtures['aoai_400_regional_endpoint_token_auth']!.body),
    ctx: {
      account: {
        id: ACCOUNT_ID,
        name: 'contoso-aoai',
        resourceGroup: 'rg-aoai',
        subscriptionId: '11111111-1111-1111-1111-111111111111',
        endpoint: undefined,
      },
    },
    code: 'regional-endpoint',
    hint: /new endpoint/,
    details:
      /^Give the account a custom subdomain \(it cannot be undone.*:\naz cognitiveservices account update --name contoso-aoai --resource-group rg-aoai .*--custom-domain contoso-aoai/,
  },
  {
    name: 'deployment not found, with the deployments az lists',
    failure: () => fromHttp(404, fixtures['aoai_404_deployment_not_found']!.body),
    ctx: {
      deployments: [
        { name: 'embed', model: 'text-embedding-3-small', chat: false },
        { name: 'gpt-4o', model: 'gpt-4o', chat: true },
      ],
    },
    code: 'deployment-not-found',
    hint: /gpt-4o \(gpt-4o\), embed \(text-embedding-3-small, not chat\)/,
  },
  {
    name: 'wrong endpoint: 404 Resource not found, az knows the right one',
    failure: () => fromHttp(404, fixtures['aoai_404_resource_not_found_generic']!.body),
    ctx: {
      endpoint: 'https://contoso-aoai.openai.azure.com/api/',
      account: {
        id: ACCOUNT_ID,
        name: 'contoso-aoai',
        resourceGroup: 'rg-aoai',
        subscriptionId: 's',
        endpoint: 'https://contoso-aoai.openai.azure.com/',
      },
    },
    code: 'wrong-endpoint',
    hint: /az reports the endpoint https:\/\/contoso-aoai\.openai\.azure\.com\/ for account contoso-aoai/,
  },
  {
    name: 'not a chat model (400 OperationNotSupported)',
    failure: () =>
      fromHttp(400, {
        error: {
          code: 'OperationNotSupported',
          message:
            'The chatCompletion operation does not work with the specified model, text-embedding-3-small. Please choose different model and try again.',
        },
      }),
    ctx: {
      deployment: 'embed',
      deployments: [
        { name: 'embed', model: 'text-embedding-3-small', chat: false },
        { name: 'gpt-4o-mini', model: 'gpt-4o-mini', chat: true },
      ],
    },
    code: 'not-a-chat-model',
    hint: /chat deployment.*gpt-4o-mini/,
  },
  {
    // Azure's body, placeholder unfilled (Azure/azure-sdk-for-java#43923, Azure/azure-sdk-for-python#40759).
    name: 'api version too old for a reasoning model (400): the version it needs or v1, never the one that failed',
    failure: () =>
      fromHttp(400, {
        error: {
          code: 'BadRequest',
          message: 'Model {modelName} is enabled only for api versions 2024-12-01-preview and later',
        },
      }),
    ctx: { deployment: 'o4-mini' },
    code: 'api-version-too-old',
    hint: /^Use the v1 API, which takes no api version: --api v1 \(the default\)\. Or keep the classic route with 2024-12-01-preview or later: --api-version 2024-12-01-preview/,
  },
  {
    name: 'throttled (429 with retry-after)',
    failure: () => fromHttp(429, fixtures['aoai_429_rate_limited']!.body, { 'retry-after': '45' }),
    code: 'throttled',
    hint: /quota/,
  },
  {
    name: 'network blocked: public access disabled (403)',
    failure: () =>
      fromHttp(403, {
        error: { code: '403', message: 'Public access is disabled. Please configure private endpoint.' },
      }),
    code: 'network-blocked',
    hint: /network/,
    details: /network-rule add/,
  },
  {
    name: 'network blocked: private endpoint, unwrapped body',
    failure: () => fromHttp(403, { code: '403', message: 'Traffic is not from an approved private endpoint.' }),
    code: 'network-blocked',
    hint: /private endpoint/,
  },
  {
    name: 'unreachable: DNS',
    failure: () => connectionError('ENOTFOUND'),
    code: 'unreachable',
    hint: /endpoint.*network/,
  },
  {
    name: 'unreachable: refused',
    failure: () => connectionError('ECONNREFUSED'),
    code: 'unreachable',
    hint: /endpoint/,
  },
  {
    name: 'unreachable: timeout',
    failure: () => toFailure(new APIConnectionTimeoutError(), { connection: 'timeout', nowMs: Date.now() })!,
    code: 'unreachable',
    hint: /network/,
  },
  {
    name: 'unexpected: 500',
    failure: () => fromHttp(500, { error: { code: 'InternalServerError', message: 'The server had an error.' } }),
    code: 'unexpected-response',
    hint: /--debug/,
  },
];

for (const row of rows) {
  test(`diagnose: ${row.name} -> ${row.code}`, () => {
    const f = row.failure();
    const d = diagnose(f, ctx(row.ctx));
    assert.equal(d.code, row.code);
    assert.match(d.hint, row.hint);
    assert.ok(d.message.length > 10);
    if (row.details) assert.match((d.details ?? []).join('\n'), row.details);
  });
}

test('the 401 without a wrapper is classified by status, not openai\'s "(no body)" text', () => {
  const { error } = httpError(401, fixtures['aoai_401_audience_or_expired_token']!.body);
  assert.equal((error as Error).message, '401 status code (no body)');
  const f = toFailure(error, {
    response: { status: 401, body: fixtures['aoai_401_audience_or_expired_token']!.body as string },
    nowMs: 0,
  });
  assert.equal(f?.kind, 'http');
  assert.match((f as { message: string }).message, /audience is incorrect/);
  assert.equal(codeOf(f!, false), 'bad-token');
});

test('bad-token names a wrong audience and an expiry from the claims', () => {
  const gov = decodeTokenClaims(
    mintToken({
      audience: 'https://cognitiveservices.azure.us',
      tenantId: TID,
      objectId: OID,
      type: 'user',
      name: 'a',
      lifetimeSeconds: -60,
    }).token,
  );
  const d = diagnose(fromHttp(401, fixtures['aoai_401_audience_or_expired_token']!.body), ctx({ claims: gov }));
  assert.match(
    d.message,
    /the token is for https:\/\/cognitiveservices\.azure\.us, not https:\/\/cognitiveservices\.azure\.com/,
  );
  assert.match(d.message, /expired at/);
});

test('a service principal gets --assignee-principal-type ServicePrincipal', () => {
  const sp = decodeTokenClaims(
    mintToken({
      audience: 'https://cognitiveservices.azure.com',
      tenantId: TID,
      objectId: '66666666-6666-6666-6666-666666666666',
      type: 'servicePrincipal',
      appId: '44444444-4444-4444-4444-444444444444',
    }).token,
  );
  const d = diagnose(fromHttp(401, fixtures['aoai_401_permission_denied_missing_role']!.body), ctx({ claims: sp }));
  assert.match(
    d.details?.[1] ?? '',
    /--assignee-object-id 66666666-6666-6666-6666-666666666666 --assignee-principal-type ServicePrincipal/,
  );
});

test('role-missing after --wait says how long it waited', () => {
  const d = diagnose(
    fromHttp(401, fixtures['aoai_401_permission_denied_missing_role']!.body),
    ctx({ waitedMs: 125_000 }),
  );
  assert.match(d.message, /Still denied after waiting 2m5s/);
});

test('retry-after: -ms first, then seconds, then an HTTP date', () => {
  assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), 0), 1500);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': '45' }), 0), 45_000);
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(retryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:10 GMT' }), now), 10_000);
  assert.equal(retryAfterMs(new Headers({}), 0), undefined);
});

test('parseErrorBody reads wrapped, unwrapped and non-JSON bodies', () => {
  assert.deepEqual(parseErrorBody('{"error":{"code":"X","message":"m","param":"p"}}'), {
    code: 'X',
    message: 'm',
    param: 'p',
  });
  assert.equal(parseErrorBody('{ "statusCode": 401, "message": "Unauthorized." }').message, 'Unauthorized.');
  assert.equal(parseErrorBody('<html>gateway</html>').message, '<html>gateway</html>');
  assert.equal(parseErrorBody(undefined).message, undefined);
});

test('az is asked only where it makes the hint better', () => {
  assert.equal(wantsAzureFacts('role-missing', false), true);
  assert.equal(wantsAzureFacts('role-missing', true), false);
  assert.equal(wantsAzureFacts('deployment-not-found', false), true);
  assert.equal(wantsAzureFacts('bad-token', false), false);
  assert.equal(wantsAzureFacts('no-credential', false), false);
});

test('an unknown thrown value is not a Failure (a bug, rethrown)', () => {
  assert.equal(toFailure(new RangeError('boom'), { nowMs: 0 }), undefined);
});

test('bad-token on a public-cloud endpoint with a Government token names both audiences', () => {
  const gov = decodeTokenClaims(
    mintToken({ audience: 'https://cognitiveservices.azure.us', tenantId: TID, objectId: OID, type: 'user', name: 'a' })
      .token,
  );
  const d = diagnose(
    fromHttp(401, fixtures['aoai_401_audience_or_expired_token']!.body),
    ctx({ claims: gov, scope: 'https://cognitiveservices.azure.us/.default' }),
  );
  assert.match(
    d.message,
    /the token is for https:\/\/cognitiveservices\.azure\.us, not https:\/\/cognitiveservices\.azure\.com/,
  );
});

test('a token echoed back in an error body never reaches the message', () => {
  const token = mintToken({
    audience: 'https://cognitiveservices.azure.com',
    tenantId: TID,
    objectId: OID,
    type: 'user',
    name: 'a',
  }).token;
  const f = fromHttp(400, { error: { code: 'BadRequest', message: `Bad header: Authorization: Bearer ${token}` } });
  const d = diagnose(f, ctx());
  assert.ok(!JSON.stringify(d).includes(token.split('.')[1]!));
  assert.match(d.message, /<redacted token>/);
});

test('the cheap rule tests throw what the openai client throws for each recorded answer', async () => {
  // test/support/thrown.ts rebuilds openai's src/client.ts error path without loading the client; this keeps
  // it honest against the real one (openai is loaded here anyway).
  const { default: OpenAI } = await import('openai');
  const { thrownForAnswer, bodyText } = await import('../support/thrown.ts');
  const client = new OpenAI({ apiKey: 'unused', baseURL: 'http://127.0.0.1:9/' }) as unknown as {
    makeStatusError(status: number, json: unknown, message: string | undefined, headers: Headers): Error;
  };
  const ids = Object.keys(fixtures).filter((id) => /^aoai_[45]\d\d_/.test(id));
  assert.ok(ids.length >= 10);
  for (const id of [...ids, 'html']) {
    const fx = id === 'html' ? { status: 502, body: '<html>Bad Gateway</html>' } : fixtures[id]!;
    const status = (fx as { status: number }).status;
    const text = bodyText(fx.body);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const real = client.makeStatusError(status, json, json === undefined ? text : undefined, new Headers());
    const ours = thrownForAnswer(status, fx.body).error;
    assert.equal(ours.constructor, real.constructor, id);
    assert.deepEqual(
      [ours.message, ours.code, ours.status, ours.error],
      [real.message, (real as typeof ours).code, (real as typeof ours).status, (real as typeof ours).error],
      id,
    );
  }
});
