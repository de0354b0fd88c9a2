// verify inside a GitHub Actions job whose azure/login failed (az signed out): it asks the job's OIDC token
// service (a local fake, test/support/fake-actions-oidc.ts) for the subject GitHub sends and prints it beside
// the subjects the identity trusts, never the token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeAz } from '../support/fake-az.ts';
import { startFakeActionsOidc } from '../support/fake-actions-oidc.ts';
import { runCli } from '../support/cli.ts';

const TRUSTED = 'repo:contoso@5544123/payments-api@821093847:ref:refs/heads/main';

function jobToken(sub: string, aud: string): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ iss: 'https://token.actions.githubusercontent.com', aud, sub })}.c2lnbmF0dXJlLW9mLWdpdGh1Yg`;
}

for (const [name, sent, expected] of [
  [
    'another branch',
    'repo:contoso@5544123/payments-api@821093847:ref:refs/heads/feature',
    /ci github --branch feature/,
  ],
  ['the old name-only subject', 'repo:contoso/payments-api:ref:refs/heads/main', /old name-only form/],
] as const) {
  test(`verify in GitHub Actions, sign-in failed: ${name} is named beside the trusted subject`, async (t) => {
    const az = createFakeAz({ signedIn: null });
    const oidc = await startFakeActionsOidc((aud) => jobToken(sent, aud));
    const dir = await mkdtemp(join(tmpdir(), 'aoai-gha-'));
    t.after(async () => {
      await oidc.close();
      await Promise.all([az.cleanup(), rm(dir, { recursive: true, force: true })]);
    });
    const env = az.env({ ...oidc.env, GITHUB_ACTIONS: 'true', CI: 'true', AOAI_KEYLESS_TRUSTED_SUBJECTS: TRUSTED });
    const r = await runCli(
      ['verify', '--endpoint', 'https://contoso-aoai.openai.azure.com/', '--deployment', 'gpt-4o-mini', '--json'],
      { env, cwd: dir },
    );
    assert.equal(r.code, 6, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.error.code, 'federated-subject-mismatch');
    assert.equal(report.githubActions.subject, sent);
    assert.deepEqual(report.githubActions.trustedSubjects, [TRUSTED]);
    assert.match(r.stderr, new RegExp(`GitHub sent: +${sent.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    assert.match(r.stderr, /identity trusts: +repo:contoso@5544123\/payments-api@821093847:ref:refs\/heads\/main/);
    assert.match(`${r.stderr}${report.error.message} ${report.error.hint}`, expected);
    assert.deepEqual(oidc.requests, [{ audience: 'api://AzureADTokenExchange', authorized: true }]);
    for (const secret of ['c2lnbmF0dXJlLW9mLWdpdGh1Yg', oidc.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN]) {
      assert.ok(
        !r.stdout.includes(secret) && !r.stderr.includes(secret),
        'neither the token nor the request token is printed',
      );
    }
  });
}
