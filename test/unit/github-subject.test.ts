// The subject GitHub puts in a job's token, for each trigger and template (sources in src/github/oidc-subject.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveSubject, subjectTemplate, type Trigger } from '../../src/github/oidc-subject.ts';
import { repoOfRemote, toCustomization } from '../../src/github/repository.ts';
import { credentialName, findTrusting, checkCredentialLimit } from '../../src/azure/federated-credential.ts';

const repo = { owner: 'octo-org', name: 'octo-repo', ownerId: 72338969, id: 435113893, visibility: 'private' };
const main: Trigger = { kind: 'branch', branch: 'main' };
const prod: Trigger = { kind: 'environment', environment: 'Production' };
const pr: Trigger = { kind: 'pull-request' };

test('subjects by trigger and template', () => {
  const names = { kind: 'default', immutable: false } as const;
  const immutable = { kind: 'default', immutable: true } as const;
  const cases: Array<[Trigger, Parameters<typeof deriveSubject>[2], string]> = [
    [main, names, 'repo:octo-org/octo-repo:ref:refs/heads/main'],
    [prod, names, 'repo:octo-org/octo-repo:environment:Production'],
    [pr, names, 'repo:octo-org/octo-repo:pull_request'],
    [main, immutable, 'repo:octo-org@72338969/octo-repo@435113893:ref:refs/heads/main'],
    [prod, immutable, 'repo:octo-org@72338969/octo-repo@435113893:environment:Production'],
    [pr, immutable, 'repo:octo-org@72338969/octo-repo@435113893:pull_request'],
    // docs.github.com "Customizing the subject claims": include_claim_keys ["repo", "context"] gives the default's shape.
    [
      prod,
      { kind: 'custom', claimKeys: ['repo', 'context'], from: 'repository' },
      'repo:octo-org/octo-repo:environment:Production',
    ],
    [
      main,
      { kind: 'custom', claimKeys: ['repository_owner_id', 'context'], from: 'organization' },
      'repository_owner_id:72338969:ref:refs/heads/main',
    ],
    [
      pr,
      { kind: 'custom', claimKeys: ['repository_visibility', 'repo', 'context'], from: 'repository' },
      'repository_visibility:private:repo:octo-org/octo-repo:pull_request',
    ],
  ];
  for (const [trigger, template, want] of cases) assert.equal(deriveSubject(repo, trigger, template), want);
});

test('a claim whose value only a running job knows is a usage error naming --subject', () => {
  assert.throws(
    () => deriveSubject(repo, main, { kind: 'custom', claimKeys: ['repo', 'job_workflow_ref'], from: 'repository' }),
    /job_workflow_ref/,
  );
});

test('which template applies: the repository, the organisation, GitHub default', () => {
  const cases: Array<[Parameters<typeof toCustomization>[0], string[] | undefined, string]> = [
    [{ use_default: true }, ['repo', 'context'], 'default'],
    [{ use_default: false, include_claim_keys: ['repo', 'ref'] }, ['x'], 'custom repository repo,ref'],
    [{ use_default: false }, ['repository_id', 'context'], 'custom organization repository_id,context'],
    [{ use_default: false }, undefined, 'default'],
    [undefined, undefined, 'default'],
  ];
  for (const [repoJson, org, want] of cases) {
    const t = subjectTemplate(toCustomization(repoJson), org, false);
    assert.equal(t.kind === 'default' ? 'default' : `custom ${t.from} ${t.claimKeys.join(',')}`, want);
  }
});

test('OWNER/REPO of a github.com remote', () => {
  for (const [url, want] of [
    ['https://github.com/contoso/payments-api.git\n', 'contoso/payments-api'],
    ['git@github.com:contoso/payments-api.git', 'contoso/payments-api'],
    ['ssh://git@github.com/contoso/payments-api', 'contoso/payments-api'],
    ['https://gitlab.com/contoso/payments-api.git', undefined],
  ] as const)
    assert.equal(repoOfRemote(url), want);
});

test('federated credentials: an identical one is reused, names are valid and new, the limit is 20', () => {
  const c = (subject: string, name = 'a', audiences = ['api://AzureADTokenExchange']) => ({
    name,
    issuer: 'https://token.actions.githubusercontent.com',
    subject,
    audiences,
  });
  assert.equal(findTrusting([c('repo:o/r:pull_request')], 'repo:o/r:pull_request')?.name, 'a');
  assert.equal(findTrusting([c('repo:o/r:pull_request', 'a', ['api://other'])], 'repo:o/r:pull_request'), undefined);
  const name = credentialName('repo:o@1/r@2:ref:refs/heads/main', ['github-o-1-r-2-ref-refs-heads-main']);
  assert.equal(name, 'github-o-1-r-2-ref-refs-heads-main-2');
  assert.match(name, /^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/);
  assert.doesNotThrow(() =>
    checkCredentialLimit(
      'id',
      Array.from({ length: 19 }, (_, i) => c(`s${i}`)),
    ),
  );
  assert.throws(
    () =>
      checkCredentialLimit(
        'id',
        Array.from({ length: 20 }, (_, i) => c(`s${i}`)),
      ),
    /20 federated credentials/,
  );
});

test('the trigger: a flag, else (interactive) the answer, else the default branch', async () => {
  const { chooseTrigger } = await import('../../src/steps/github-repository.ts');
  const { createNonInteractivePrompter } = await import('../../src/prompts/prompter.ts');
  const scripted = (answers: unknown[]) => ({
    interactive: true,
    select: async () => answers.shift() as never,
    confirm: async () => true,
    input: async () => answers.shift() as string,
  });
  const none = { branch: undefined, environment: undefined, pullRequest: false };
  const cases: Array<[boolean, typeof none, unknown[], Trigger]> = [
    [false, none, [], { kind: 'branch', branch: 'trunk' }],
    [true, { ...none, pullRequest: true }, [], { kind: 'pull-request' }],
    [true, none, ['branch'], { kind: 'branch', branch: 'trunk' }],
    [true, none, ['environment', 'staging'], { kind: 'environment', environment: 'staging' }],
    [true, none, ['pull-request'], { kind: 'pull-request' }],
  ];
  for (const [interactive, flags, answers, want] of cases) {
    const prompter = interactive ? scripted([...answers]) : createNonInteractivePrompter();
    assert.deepEqual(await chooseTrigger({ interactive, prompter }, flags, 'trunk'), want);
  }
});

test('the workflow: id-token write, azure/login with OIDC in the endpoint cloud, verify even after a failed sign-in, the trusted subjects', async () => {
  const { workflowText } = await import('../../src/github/workflow.ts');
  const base = {
    subject: 'repo:o/r:environment:prod',
    trustedSubjects: ['repo:o/r:environment:prod', 'repo:o/r:pull_request'],
  };
  const prod = workflowText({
    ...base,
    trigger: { kind: 'environment', environment: 'prod' },
    endpoint: 'https://x.openai.azure.com/',
  });
  // The v1 API by default: no api version anywhere; with one asked for, the classic route verifies with it.
  assert.doesNotMatch(prod, /API_VERSION|--api classic/);
  const classic = workflowText({
    ...base,
    apiVersion: '2025-04-01-preview',
    trigger: { kind: 'environment', environment: 'prod' },
    endpoint: 'https://x.openai.azure.com/',
  });
  assert.match(
    classic,
    /run: npx --yes aoai-keyless verify --api classic\n(.*\n)*? {10}OPENAI_API_VERSION: "2025-04-01-preview"/,
  );
  assert.match(prod, /permissions:\n {2}id-token: write/);
  assert.match(prod, /\n {4}environment: "prod"\n/);
  assert.match(prod, /if: \$\{\{ !cancelled\(\) \}\}\n {8}run: npx --yes aoai-keyless verify/);
  assert.match(prod, /AOAI_KEYLESS_TRUSTED_SUBJECTS: "repo:o\/r:environment:prod repo:o\/r:pull_request"/);
  assert.doesNotMatch(prod, /environment: azure/);
  const gov = workflowText({ ...base, trigger: { kind: 'pull-request' }, endpoint: 'https://x.openai.azure.us/' });
  assert.match(gov, /subscription-id: \$\{\{ vars.AZURE_SUBSCRIPTION_ID \}\}\n {10}environment: azureusgovernment/);
  assert.match(gov, /on:\n {2}pull_request:\n\npermissions/);
});
