// The trust between a GitHub Actions job and a managed identity: which existing federated credential already
// trusts a job (issuer, subject and audience compared as exact strings: learn.microsoft.com/entra/workload-id/
// workload-identity-federation-considerations), the name of a new one (Microsoft.ManagedIdentity's rule for
// federatedIdentityCredentials: 3-120 letters, digits, '-' and '_', starting with a letter or digit) and the
// limit of 20 per identity (same page). Credentials as az lists them (recording test_federated_identity_credential.yaml,
// via the fake az: test/fake-az/identity.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GITHUB_ISSUER,
  MAX_FEDERATED_CREDENTIALS,
  TOKEN_EXCHANGE_AUDIENCE,
  checkCredentialLimit,
  credentialName,
  findTrusting,
} from '../../src/azure/federated-credential.ts';
import type { FederatedCredential } from '../../src/az/az.ts';
import { AzureError } from '../../src/errors.ts';

const SUBJECT = 'repo:octo-org/octo-repo:ref:refs/heads/main';
const credential = (over: Partial<FederatedCredential> = {}): FederatedCredential => ({
  name: 'github-octo-org-octo-repo-ref-refs-heads-main',
  issuer: 'https://token.actions.githubusercontent.com',
  subject: SUBJECT,
  audiences: ['api://AzureADTokenExchange'],
  ...over,
});

test('a credential trusts the job only when issuer, subject and audience are exactly those of its token', () => {
  assert.equal(GITHUB_ISSUER, 'https://token.actions.githubusercontent.com');
  assert.equal(TOKEN_EXCHANGE_AUDIENCE, 'api://AzureADTokenExchange');
  const table: Array<[string, Partial<FederatedCredential>, boolean]> = [
    ['identical', {}, true],
    ['our audience among others', { audiences: ['api://other', 'api://AzureADTokenExchange'] }, true],
    ['another audience only', { audiences: ['api://other'] }, false],
    ['no audience', { audiences: [] }, false],
    ['another issuer (GitHub Enterprise Server)', { issuer: 'https://ghes.contoso.com/_services/token' }, false],
    ['the issuer with a trailing slash', { issuer: 'https://token.actions.githubusercontent.com/' }, false],
    ['another branch', { subject: 'repo:octo-org/octo-repo:ref:refs/heads/dev' }, false],
    ['the subject in another case', { subject: SUBJECT.toUpperCase() }, false],
  ];
  for (const [why, over, trusts] of table) {
    const c = credential({ name: 'mine', ...over });
    assert.equal(
      findTrusting([credential({ name: 'other', subject: 'repo:o/r:pull_request' }), c], SUBJECT)?.name,
      trusts ? 'mine' : undefined,
      why,
    );
  }
});

test('a new credential is named after the subject, valid for Azure and not taken (any case)', () => {
  const table: Array<[string, string[], string]> = [
    [SUBJECT, [], 'github-octo-org-octo-repo-ref-refs-heads-main'],
    ['repo:octo-org/octo-repo:environment:Production', [], 'github-octo-org-octo-repo-environment-Production'],
    ['repo:octo-org/octo-repo:pull_request', [], 'github-octo-org-octo-repo-pull_request'],
    // GitHub's immutable subject (ids beside names) keeps only the allowed characters, one '-' for each run
    [
      'repo:octo-org@72338969/octo-repo@435113893:ref:refs/heads/main',
      [],
      'github-octo-org-72338969-octo-repo-435113893-ref-refs-heads-main',
    ],
    ['repo:o/r:ref:refs/heads/fix/ü', [], 'github-o-r-ref-refs-heads-fix'],
    ['/leading/slash', [], 'github-leading-slash'],
    ['repo:o/r:ref:refs/tags/v1.0.0', ['github-o-r-ref-refs-tags-v1-0-0'], 'github-o-r-ref-refs-tags-v1-0-0-2'],
    [
      'repo:o/r:ref:refs/tags/v1.0.0',
      ['GITHUB-O-R-REF-REFS-TAGS-V1-0-0', 'github-o-r-ref-refs-tags-v1-0-0-2'],
      'github-o-r-ref-refs-tags-v1-0-0-3',
    ],
    ['subject-without-prefix', [], 'github-subject-without-prefix'],
    ['repo:o/r:ref:refs/heads/release--2', [], 'github-o-r-ref-refs-heads-release-2'],
    // A custom template (github-subject.test.ts): only a leading 'repo:' is dropped, not the repo claim inside
    [
      'repository_visibility:private:repo:octo-org/octo-repo:pull_request',
      [],
      'github-repository_visibility-private-repo-octo-org-octo-repo-pull_request',
    ],
  ];
  for (const [subject, taken, name] of table) {
    assert.equal(credentialName(subject, taken), name, subject);
    assert.match(name, /^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/);
  }
  const long = credentialName(`repo:o/${'r'.repeat(200)}:pull_request`, []);
  assert.equal(long, `github-o-${'r'.repeat(101)}`, 'cut to 110 characters, room left for a -N suffix');
  assert.equal(credentialName(`repo:o/${'r'.repeat(200)}:pull_request`, [long]), `${long}-2`);
});

test('a 21st credential is refused before az tries: the limit, what is there, and how to make room', () => {
  const existing = Array.from({ length: MAX_FEDERATED_CREDENTIALS }, (_, i) =>
    credential({ name: `c${i}`, subject: `repo:o/r${i}:pull_request` }),
  );
  assert.equal(MAX_FEDERATED_CREDENTIALS, 20);
  assert.doesNotThrow(() => checkCredentialLimit('id-app', existing.slice(1)));
  assert.doesNotThrow(() => checkCredentialLimit('id-app', []));
  for (const list of [existing, [...existing, credential()]])
    assert.throws(
      () => checkCredentialLimit('id-app', list),
      (e: unknown) =>
        e instanceof AzureError &&
        e.code === 'federated-credential-limit' &&
        e.message === `id-app already has ${list.length} federated credentials, Azure's limit for one identity.` &&
        e.hint ===
          'Delete one it no longer needs (az identity federated-credential delete --identity-name id-app -g <group> --name <name>), or pass --identity with another identity.' &&
        e.details[0] === 'c0: repo:o/r0:pull_request' &&
        e.details.length === list.length,
    );
});
