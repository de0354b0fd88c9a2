// verifyKeyless with a scripted connection and a fake clock: the report, the reasoning-model switch,
// retry-after once, --wait backoff for a role that is still propagating, and the .env identity variables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyKeyless, type VerifyDeps } from '../../src/verify/verify-keyless.ts';
import type { AttemptResult, Connection, MaxTokensParam } from '../../src/verify/verify-chat.ts';
import type { Failure } from '../../src/verify/failure.ts';
import type { VerifyInput, VerifyProgress } from '../../src/verify/report.ts';
import { decodeTokenClaims } from '../../src/entra/token-claims.ts';
import { mintToken } from '../support/tokens.mjs';
import type { Clock } from '../../src/verify/wait.ts';

function fakeClock(): Clock {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  };
}

const OID = '55555555-5555-5555-5555-555555555555';
const claims = decodeTokenClaims(
  mintToken({
    audience: 'https://cognitiveservices.azure.com',
    tenantId: '22222222-2222-2222-2222-222222222222',
    objectId: OID,
    type: 'user',
    name: 'alice@contoso.com',
  }).token,
);

const denied: Failure = {
  kind: 'http',
  status: 401,
  code: 'PermissionDenied',
  param: undefined,
  message: `The principal \`${OID}\` lacks the required data action`,
  retryAfterMs: undefined,
};
const ok = (model = 'gpt-4o-mini-2024-07-18'): AttemptResult => ({ ok: true, model, requestMs: 40, status: 200 });
const fail = (failure: Failure): AttemptResult => ({ ok: false, failure, requestMs: 30 });

function scripted(answers: Array<AttemptResult | ((p: MaxTokensParam) => AttemptResult)>): {
  deps: VerifyDeps;
  params: MaxTokensParam[];
  closed: () => boolean;
} {
  const params: MaxTokensParam[] = [];
  let closed = false;
  const conn: Connection = {
    async send(p) {
      params.push(p);
      const a = answers.shift();
      if (!a) throw new Error('no more scripted answers');
      return typeof a === 'function' ? a(p) : a;
    },
    claims: () => claims,
    credential: () => 'AzureCliCredential',
    tokenMs: () => 12,
    close: () => {
      closed = true;
    },
  };
  return {
    deps: { connect: async () => conn, clock: fakeClock(), backoffMs: [1000, 2000] },
    params,
    closed: () => closed,
  };
}

const input = (over: Partial<VerifyInput> = {}): VerifyInput => ({
  endpoint: 'https://contoso-aoai.openai.azure.com',
  deployment: 'gpt-4o-mini',
  apiVersion: '2024-10-21',
  api: 'classic',
  scope: 'https://cognitiveservices.azure.com/.default',
  waitMs: 0,
  ...over,
});

test('success: the report has everything the JSON promises, and no token', async () => {
  const s = scripted([ok()]);
  const r = await verifyKeyless(
    input({ sources: { endpoint: 'env-file', deployment: 'flag', apiVersion: 'default', scope: 'default' } }),
    s.deps,
  );
  assert.equal(r.ok, true);
  assert.equal(r.command, 'verify');
  assert.equal(r.endpoint, 'https://contoso-aoai.openai.azure.com/');
  assert.equal(r.model, 'gpt-4o-mini-2024-07-18');
  assert.equal(r.credential, 'AzureCliCredential');
  assert.deepEqual(r.principal, {
    objectId: OID,
    tenantId: '22222222-2222-2222-2222-222222222222',
    name: 'alice@contoso.com',
    type: 'User',
  });
  assert.equal(r.claims?.aud, 'https://cognitiveservices.azure.com');
  assert.match(r.claims?.exp ?? '', /^\d{4}-\d\d-\d\dT/);
  assert.equal(r.attempts, 1);
  assert.equal(r.latencyMs, 40);
  assert.deepEqual(r.sources, { endpoint: 'env-file', deployment: 'flag', apiVersion: 'default', scope: 'default' });
  assert.equal(r.error, undefined);
  assert.equal(r.timings.tokenMs, 12);
  assert.ok(!JSON.stringify(r).includes('eyJ'), 'no JWT in the report');
  assert.ok(s.closed());
});

test('a reasoning model: max_tokens is refused once, then max_completion_tokens', async () => {
  const unsupported: Failure = {
    kind: 'http',
    status: 400,
    code: 'unsupported_parameter',
    param: 'max_tokens',
    message:
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
    retryAfterMs: undefined,
  };
  const s = scripted([fail(unsupported), ok('o4-mini-2025-04-16')]);
  const r = await verifyKeyless(input(), s.deps);
  assert.equal(r.ok, true);
  assert.deepEqual(s.params, ['max_tokens', 'max_completion_tokens']);
  assert.equal(r.attempts, 2);
});

test('429: retry-after is honoured once, then throttled', async () => {
  const throttled: Failure = {
    kind: 'http',
    status: 429,
    code: '429',
    param: undefined,
    message: 'Rate limit',
    retryAfterMs: 1500,
  };
  const s = scripted([fail(throttled), fail(throttled)]);
  const events: VerifyProgress[] = [];
  const r = await verifyKeyless(input({ onProgress: (e) => events.push(e) }), s.deps);
  assert.equal(r.ok, false);
  assert.equal(r.error?.code, 'throttled');
  assert.equal(r.attempts, 2);
  assert.equal(r.timings.waitMs, 1500);
  assert.ok(events.some((e) => e.type === 'retry-after' && e.delayMs === 1500));
});

test('429 with a retry-after beyond the cap is reported at once (openai >= 6.26 would sleep for it)', async () => {
  const s = scripted([
    fail({ kind: 'http', status: 429, code: '429', param: undefined, message: 'Rate limit', retryAfterMs: 86_400_000 }),
  ]);
  const r = await verifyKeyless(input(), s.deps);
  assert.equal(r.error?.code, 'throttled');
  assert.equal(r.attempts, 1);
  assert.match(r.error?.message ?? '', /retry after 24h/);
});

test('429 then success after retry-after', async () => {
  const s = scripted([
    fail({ kind: 'http', status: 429, code: '429', param: undefined, message: 'Rate limit', retryAfterMs: 1000 }),
    ok(),
  ]);
  const r = await verifyKeyless(input(), s.deps);
  assert.equal(r.ok, true);
  assert.equal(r.attempts, 2);
});

test('--wait retries role-missing with backoff until the role applies', async () => {
  const s = scripted([fail(denied), fail(denied), fail(denied), ok()]);
  const events: VerifyProgress[] = [];
  const r = await verifyKeyless(
    input({ waitMs: 60_000, justAssigned: true, onProgress: (e) => events.push(e) }),
    s.deps,
  );
  assert.equal(r.ok, true);
  assert.equal(r.attempts, 4);
  assert.equal(r.timings.waitMs, 1000 + 2000 + 2000);
  const retries = events.filter((e) => e.type === 'retrying');
  assert.equal(retries.length, 3);
  assert.equal(retries[0]?.type === 'retrying' && retries[0].code, 'role-propagating');
});

test('--wait gives up at the deadline with role-missing and says how long it waited', async () => {
  const s = scripted(Array.from({ length: 10 }, () => fail(denied)));
  const r = await verifyKeyless(input({ waitMs: 5000 }), s.deps);
  assert.equal(r.error?.code, 'role-missing');
  assert.match(r.error?.message ?? '', /Still denied after waiting 5s/);
  assert.ok(r.attempts >= 3);
});

test('--wait does not retry anything but the role', async () => {
  const s = scripted([
    fail({
      kind: 'http',
      status: 404,
      code: 'DeploymentNotFound',
      param: undefined,
      message: 'The API deployment for this resource does not exist.',
      retryAfterMs: undefined,
    }),
  ]);
  const r = await verifyKeyless(input({ waitMs: 600_000 }), s.deps);
  assert.equal(r.error?.code, 'deployment-not-found');
  assert.equal(r.attempts, 1);
});

test('az is asked for the account on role-missing, and its id lands in the command', async () => {
  const s = scripted([fail(denied)]);
  const asked: string[] = [];
  const r = await verifyKeyless(input(), {
    ...s.deps,
    azure: {
      accountForEndpoint: async (e) => {
        asked.push(e);
        return {
          id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/contoso-aoai',
          name: 'contoso-aoai',
          resourceGroup: 'rg',
          subscriptionId: 's',
          endpoint: e,
        };
      },
      deployments: async () => [],
    },
  });
  assert.deepEqual(asked, ['https://contoso-aoai.openai.azure.com/']);
  assert.match(
    r.error?.details?.[1] ?? '',
    /--scope "\/subscriptions\/s\/resourceGroups\/rg\/providers\/Microsoft.CognitiveServices\/accounts\/contoso-aoai"/,
  );
});

test("setup's role command is used as is, and az is not asked", async () => {
  const s = scripted([fail(denied)]);
  const r = await verifyKeyless(
    input({ justAssigned: true, roleAssignmentCommand: 'az role assignment create --exact' }),
    {
      ...s.deps,
      azure: {
        accountForEndpoint: async () => assert.fail('az asked'),
        deployments: async () => assert.fail('az asked'),
      },
    },
  );
  assert.equal(r.error?.code, 'role-propagating');
  assert.match(r.error?.details?.join('\n') ?? '', /--exact/);
});

test("the credential runs in the context's environment plus the .env's identity variables; a set one wins, the context's is untouched", async () => {
  const env: NodeJS.ProcessEnv = { AZURE_TENANT_ID: 'mine' };
  const processEnvBefore = { ...process.env };
  const s = scripted([ok()]);
  let during: NodeJS.ProcessEnv | undefined;
  await verifyKeyless(
    input({ credentialEnv: { AZURE_CLIENT_ID: 'from-env-file', AZURE_TENANT_ID: 'from-env-file' } }),
    {
      ...s.deps,
      connect: (opts) => {
        during = opts.env;
        return s.deps.connect!(opts);
      },
      env,
    },
  );
  assert.deepEqual(during, { AZURE_TENANT_ID: 'mine', AZURE_CLIENT_ID: 'from-env-file' });
  assert.deepEqual(env, { AZURE_TENANT_ID: 'mine' });
  assert.deepEqual({ ...process.env }, processEnvBefore, 'verifyKeyless itself never writes process.env');
});

test('v1 reports no api version', async () => {
  const s = scripted([ok()]);
  const r = await verifyKeyless(input({ api: 'v1' }), s.deps);
  assert.equal(r.apiVersion, null);
  assert.equal(r.api, 'v1');
});

test('no credential: no principal, no claims', async () => {
  const conn: Connection = {
    send: async () =>
      fail({
        kind: 'credential',
        errorName: 'AggregateAuthenticationError',
        message: 'ChainedTokenCredential authentication failed.',
        messages: ["CredentialUnavailableError: Please run 'az login'"],
      }),
    claims: () => undefined,
    credential: () => undefined,
    tokenMs: () => 5,
    close: () => undefined,
  };
  const r = await verifyKeyless(input(), { connect: async () => conn, clock: fakeClock() });
  assert.equal(r.error?.code, 'no-credential');
  assert.equal(r.credential, null);
  assert.equal(r.principal.objectId, null);
  assert.equal(r.claims, null);
});
