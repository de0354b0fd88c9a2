// verify inside GitHub Actions: the subject of the job's token beside the trusted ones (src/verify/github-actions-subject.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestJobSubject, subjectMismatch } from '../../src/verify/github-actions-subject.ts';

const main = 'repo:contoso@5544123/payments-api@821093847:ref:refs/heads/main';
const job = (subject: string | null, trusted: string[]) => ({
  subject,
  issuer: 'https://token.actions.githubusercontent.com',
  audience: 'api://AzureADTokenExchange',
  trustedSubjects: trusted,
});

test('a sent subject the identity trusts is no mismatch; another branch, environment or the other form is, with the flag that trusts it', () => {
  const cases: Array<[string | null, string[], RegExp | undefined]> = [
    [main, [main], undefined],
    [null, [main], undefined],
    ['repo:contoso/payments-api:ref:refs/heads/main', [], undefined],
    ['repo:contoso@5544123/payments-api@821093847:ref:refs/heads/feature', [main], /ci github --branch feature \(/],
    ['repo:contoso@5544123/payments-api@821093847:environment:prod', [main], /ci github --environment prod \(/],
    ['repo:contoso@5544123/payments-api@821093847:pull_request', [main], /ci github --pull-request \(/],
    ['repo:contoso/payments-api:ref:refs/heads/main', [main], /--subject-format names/],
    [main, ['repo:contoso/payments-api:ref:refs/heads/main'], /--subject-format immutable/],
  ];
  for (const [sent, trusted, hint] of cases) {
    const d = subjectMismatch(job(sent, trusted));
    if (!hint) assert.equal(d, undefined, String(sent));
    else {
      assert.equal(d?.code, 'federated-subject-mismatch');
      assert.match(d?.hint ?? '', hint);
      assert.ok(d?.details?.[0]?.includes(sent ?? ''), 'names what GitHub sent');
      assert.ok(
        trusted.every((t) => d?.details?.some((l) => l.includes(t))),
        'beside what the identity trusts',
      );
    }
  }
  assert.match(
    subjectMismatch(job('repo:contoso/payments-api:ref:refs/heads/main', [main]))?.message ?? '',
    /old name-only form/,
  );
});

test("the job's token is requested as azure/login does and only its claims are kept", async () => {
  const payload = Buffer.from(
    JSON.stringify({
      sub: main,
      iss: 'https://token.actions.githubusercontent.com',
      aud: 'api://AzureADTokenExchange',
    }),
  ).toString('base64url');
  const jwt = `eyJhbGciOiJSUzI1NiJ9.${payload}.c2lnbmF0dXJl`;
  const seen: Array<{ url: string; auth: string | undefined }> = [];
  const fetchImpl = async (url: string, init: { headers: Record<string, string> }) => {
    seen.push({ url, auth: init.headers['Authorization'] });
    return { ok: true, status: 200, json: async () => ({ count: 1, value: jwt }) };
  };
  const env = {
    ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/idtoken?api-version=2.0',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'rt',
    AOAI_KEYLESS_TRUSTED_SUBJECTS: `${main} repo:x/y:pull_request`,
  };
  const got = await requestJobSubject(env, fetchImpl);
  assert.deepEqual(seen, [
    { url: 'http://127.0.0.1:1/idtoken?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange', auth: 'Bearer rt' },
  ]);
  assert.deepEqual(got, {
    subject: main,
    issuer: 'https://token.actions.githubusercontent.com',
    audience: 'api://AzureADTokenExchange',
    trustedSubjects: [main, 'repo:x/y:pull_request'],
  });
  assert.ok(
    !JSON.stringify(got).includes(jwt) && !JSON.stringify(got).includes('c2lnbmF0dXJl'),
    'the token is not kept',
  );
  const refused = await requestJobSubject(env, async () => ({ ok: false, status: 401, json: async () => ({}) }));
  assert.equal(refused.subject, null);
  assert.match(refused.error ?? '', /HTTP 401/);
});
