// .github/workflows/aoai-keyless.yml: the job whose token the federated credential trusts. azure/login@v2
// signs in with OpenID Connect (client-id, tenant-id, subscription-id inputs; no secret: Azure/login
// action.yml), which needs `permissions: id-token: write`; then `npx aoai-keyless verify`. The triggers
// are the ones whose subject the credential trusts: a push to the branch (and a manual run on it), the
// environment (any event: a job with `environment:` gets `environment:NAME`), or pull requests.
import type { WorkflowStatus } from '../contract/documents.ts';
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Trigger } from './oidc-subject.ts';
import { azureLoginSteps, loginEnvironmentOf } from '../snippets/github-actions.ts';
import { TRUSTED_SUBJECTS_VARIABLE } from '../verify/github-actions-subject.ts';

export const WORKFLOW_PATH = '.github/workflows/aoai-keyless.yml';

export function workflowText(o: {
  trigger: Trigger;
  subject: string;
  trustedSubjects: readonly string[];
  apiVersion?: string | undefined;
  endpoint: string;
}): string {
  const on =
    o.trigger.kind === 'pull-request'
      ? ['  pull_request:']
      : o.trigger.kind === 'branch'
        ? ['  workflow_dispatch:', '  push:', `    branches: [${JSON.stringify(o.trigger.branch)}]`]
        : ['  workflow_dispatch:', '  push:'];
  return [
    '# Keyless Azure OpenAI in CI, written by `npx aoai-keyless ci github`: azure/login signs in with OpenID',
    '# Connect through a federated credential of a managed identity (no client secret), then',
    '# `npx aoai-keyless verify` makes one chat completion through DefaultAzureCredential.',
    `# The credential trusts exactly this subject: ${o.subject}`,
    'name: Azure OpenAI keyless check',
    '',
    'on:',
    ...on,
    '',
    'permissions:',
    "  id-token: write # azure/login exchanges GitHub's OIDC token for a Microsoft Entra ID token",
    '  contents: read',
    '',
    'jobs:',
    '  verify:',
    '    runs-on: ubuntu-latest',
    ...(o.trigger.kind === 'environment' ? [`    environment: ${JSON.stringify(o.trigger.environment)}`] : []),
    '    steps:',
    ...azureLoginSteps(loginEnvironmentOf(o.endpoint)),
    '      - name: Verify keyless access to Azure OpenAI',
    '        # Also after a failed sign-in: verify then prints the subject GitHub sent beside the trusted ones.',
    '        if: ${{ !cancelled() }}',
    // The v1 API (no api version) unless an api version was asked for: then the classic route with it.
    `        run: npx --yes aoai-keyless verify${o.apiVersion ? ' --api classic' : ''}`,
    '        env:',
    '          AZURE_OPENAI_ENDPOINT: ${{ vars.AZURE_OPENAI_ENDPOINT }}',
    '          AZURE_OPENAI_DEPLOYMENT: ${{ vars.AZURE_OPENAI_DEPLOYMENT }}',
    ...(o.apiVersion ? [`          OPENAI_API_VERSION: ${JSON.stringify(o.apiVersion)}`] : []),
    `          ${TRUSTED_SUBJECTS_VARIABLE}: ${JSON.stringify(o.trustedSubjects.join(' '))}`,
    '',
  ].join('\n');
}

export type { WorkflowStatus };

/** What writing would do: a new file, the same text, or a different file that only --force replaces. */
export async function workflowPlan(
  root: string,
  text: string,
  force: boolean,
): Promise<{ path: string; status: 'new' | 'unchanged' | 'replace' | 'exists' }> {
  const path = join(root, WORKFLOW_PATH);
  const current = await fs.readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (current === undefined) return { path, status: 'new' };
  if (current === text) return { path, status: 'unchanged' };
  return { path, status: force ? 'replace' : 'exists' };
}

export async function writeWorkflow(path: string, text: string, replace: boolean): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true });
  // 'wx' for a new file: never over one that appeared since the plan.
  await fs.writeFile(path, text, { encoding: 'utf8', flag: replace ? 'w' : 'wx', mode: 0o644 });
}
