// The trust itself, end to end: `ci github` builds it with the real az against the stand-in, then a simulated
// GitHub Actions job signs the real az in with its OIDC token (`az login --service-principal --federated-token`),
// and `aoai-keyless verify` passes. A token for another branch, or the old name-only subject of an
// immutable-id repository, is refused with AADSTS70021. The token is signed by a local test key whose public
// half the stand-in for Entra ID trusts as GitHub's (test/real-az/stand-in/federated.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createRealAz, realAzAvailable } from '../support/real-az.ts';
import { baseGitHub, contosoRepo, createFakeGh } from '../support/fake-gh.ts';
import { startFakeAoai } from '../support/fake-aoai.ts';
import { runCli } from '../support/cli.ts';
import { startFakeActionsOidc } from '../support/fake-actions-oidc.ts';
import { IDS, baseWorld } from '../support/world.mjs';

const exec = promisify(execFile);
const available = realAzAvailable();
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** A GitHub Actions OIDC token as azure/login requests it: iss, aud api://AzureADTokenExchange, the job's sub. */
function githubToken(sub: string): string {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc({ alg: 'RS256', typ: 'JWT', kid: 'test' })}.${enc({ iss: 'https://token.actions.githubusercontent.com', aud: 'api://AzureADTokenExchange', sub, iat: now, nbf: now, exp: now + 300, repository: 'contoso/payments-api' })}`;
  return `${body}.${sign('RSA-SHA256', Buffer.from(body), privateKey).toString('base64url')}`;
}

if (!available.ok) {
  test('real-az tier: the federated trust', (t) => t.skip(`skipped: ${available.reason}`));
} else {
  test('real az: a job of the trusted branch signs in with its GitHub token and verifies; another branch or the old subject is refused with AADSTS70021', async (t) => {
    const world = { ...baseWorld(), githubOidcPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    const az = await createRealAz(world);
    const gh = createFakeGh(
      baseGitHub({
        repos: {
          'contoso/payments-api': contosoRepo({ oidc_sub: { use_default: true, use_immutable_subject: true } }),
        },
      }),
    );
    const aoai = await startFakeAoai({ worldPath: az.worldPath });
    const dir = await mkdtemp(join(tmpdir(), 'aoai-trust-'));
    t.after(async () => {
      await aoai.close();
      await Promise.all([az.cleanup(), gh.cleanup(), rm(dir, { recursive: true, force: true })]);
    });

    const setup = await runCli(
      [
        'ci',
        'github',
        '--yes',
        '--repo',
        'contoso/payments-api',
        '--subscription',
        IDS.subscription,
        '-g',
        'rg-aoai',
        '--resource',
        'contoso-aoai',
        '--deployment',
        'gpt-4o-mini',
        '--json',
      ],
      { env: gh.withGh(az.env()), cwd: dir, timeoutMs: 300_000 },
    );
    assert.equal(setup.code, 0, setup.stderr);
    const doc = JSON.parse(setup.stdout);
    assert.equal(doc.subject.value, 'repo:contoso@5544123/payments-api@821093847:ref:refs/heads/main');
    const clientId: string = doc.identity.clientId;

    const login = (sub: string) =>
      exec(
        'az',
        [
          'login',
          '--service-principal',
          '-u',
          clientId,
          '--tenant',
          IDS.tenant,
          '--federated-token',
          githubToken(sub),
          '--output',
          'none',
        ],
        { env: az.env(), timeout: 120_000 },
      ).then(
        () => ({ ok: true, stderr: '' }),
        (e: { stderr: string }) => ({ ok: false, stderr: e.stderr }),
      );

    // A runner starts with no az session: only the job's token can sign it in.
    await exec('az', ['logout'], { env: az.env(), timeout: 60_000 });
    for (const wrong of [
      'repo:contoso@5544123/payments-api@821093847:ref:refs/heads/feature',
      'repo:contoso/payments-api:ref:refs/heads/main',
    ]) {
      const r = await login(wrong);
      assert.equal(r.ok, false, `refused: ${wrong}`);
      assert.match(r.stderr, /AADSTS70021: No matching federated identity record found for presented assertion/);
      assert.ok(r.stderr.includes(`Assertion Subject: '${wrong}'`), r.stderr);
      // The workflow's verify step runs after the failed azure/login: it names what GitHub sent beside what is trusted.
      const oidc = await startFakeActionsOidc(() => githubToken(wrong));
      const workflow = await readFile(join(dir, '.github/workflows/aoai-keyless.yml'), 'utf8');
      const trusted = JSON.parse(/AOAI_KEYLESS_TRUSTED_SUBJECTS: (".*")/.exec(workflow)?.[1] ?? '""') as string;
      const v = await runCli(
        ['verify', '--endpoint', aoai.endpointFor('contoso-aoai'), '--deployment', 'gpt-4o-mini', '--json'],
        { env: az.env({ ...oidc.env, AOAI_KEYLESS_TRUSTED_SUBJECTS: trusted }), cwd: dir, timeoutMs: 300_000 },
      );
      await oidc.close();
      assert.equal(v.code, 6, v.stderr);
      assert.equal(JSON.parse(v.stdout).error.code, 'federated-subject-mismatch');
      assert.ok(v.stderr.includes(`GitHub sent:          ${wrong}`) && v.stderr.includes(doc.subject.value), v.stderr);
    }

    const ok = await login(doc.subject.value);
    assert.equal(ok.ok, true, ok.stderr);
    const verify = await runCli(
      ['verify', '--endpoint', aoai.endpointFor('contoso-aoai'), '--deployment', 'gpt-4o-mini', '--json'],
      { env: az.env(), cwd: dir, timeoutMs: 300_000 },
    );
    assert.equal(verify.code, 0, verify.stderr);
    const report = JSON.parse(verify.stdout);
    assert.equal(report.ok, true);
    assert.equal(report.credential, 'AzureCliCredential');
  });
}
