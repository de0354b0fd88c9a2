// `aoai-keyless ci github`: the trust between a GitHub repository's Actions jobs and Azure OpenAI, keyless,
// as the steps of ci-github-steps.ts. Every lookup first (GitHub's repository and subject template, the sign-in,
// the account and deployment, the identity and its credentials); then the changes in that order: the identity,
// the credential and the role, the variables, the workflow file. A re-run finds everything in place and changes nothing.
import { SCHEMA_VERSION, type CiGithubDocument } from '../contract/documents.ts';
import type { Context } from '../context.ts';
import { createAz } from '../az/az.ts';
import { NotAllowedError, UsageError, withResult } from '../errors.ts';
import { checkDeploymentName, checkResourceGroup } from '../azure/names.ts';
import { parseRole, parseScopeLevel } from '../azure/roles.ts';
import { isCI } from '../env.ts';
import { parseTargetFlags } from '../steps/target.ts';
import { roleAssignmentDocument, roleCommand, type RoleAssignmentOutcome } from '../steps/role-assignment.ts';
import { createGh, type GhState } from '../github/gh.ts';
import { parseRepoFlag } from '../github/repository.ts';
import { parseTriggerFlags, type RepositoryChoice } from '../steps/github-repository.ts';
import { commandLine } from '../steps/actions-variables.ts';
import { WORKFLOW_PATH } from '../github/workflow.ts';
import { runSteps, startRun, type PipelineRun, type StepRecord } from '../steps/pipeline.ts';
import { printCiSummary } from './ci-github-report.ts';
import { ciGithubSteps, type CiGithubContext, type CiGithubFlags, type CiGithubState } from './ci-github-steps.ts';

export { defaultIdentityName } from './ci-github-steps.ts';

export interface CiGithubOptions {
  repo?: string;
  branch?: string;
  environment?: string;
  pullRequest?: boolean;
  subject?: string;
  subjectFormat?: string;
  identity?: string;
  identityResourceGroup?: string;
  location?: string;
  subscription?: string;
  resourceGroup?: string;
  resource?: string;
  deployment?: string;
  role?: string;
  scope?: string;
  apiVersion?: string;
  force?: boolean;
  dryRun?: boolean;
}

/** ci github's --json document: src/contract/documents.ts. */
export type CiGithubResult = CiGithubDocument & { steps: StepRecord[] };

export function validateCiGithubOptions(o: CiGithubOptions): CiGithubFlags {
  if (o.subjectFormat !== undefined && !['immutable', 'names'].includes(o.subjectFormat)) {
    throw new UsageError(`--subject-format '${o.subjectFormat}' is not one of immutable, names.`, {
      code: 'bad-value',
    });
  }
  if (o.subject !== undefined && !/^\S+$/.test(o.subject))
    throw new UsageError(`--subject '${o.subject}' has spaces.`, { code: 'bad-value' });
  if (o.identity !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/.test(o.identity)) {
    throw new UsageError(
      `--identity '${o.identity}' is not a managed identity name (3-128 letters, digits, '-' or '_').`,
      { code: 'bad-value' },
    );
  }
  return {
    ...parseTargetFlags({ subscription: o.subscription, resourceGroup: o.resourceGroup, resource: o.resource }),
    repo: o.repo === undefined ? undefined : parseRepoFlag(o.repo),
    trigger: parseTriggerFlags(o),
    subject: o.subject,
    subjectFormat: o.subjectFormat as CiGithubFlags['subjectFormat'],
    identityName: o.identity,
    identityResourceGroup:
      o.identityResourceGroup === undefined
        ? undefined
        : checkResourceGroup(o.identityResourceGroup, '--identity-resource-group'),
    location: o.location,
    deployment: o.deployment === undefined ? undefined : checkDeploymentName(o.deployment),
    role: parseRole(o.role),
    scope: parseScopeLevel(o.scope),
  };
}

export async function ciGithubCommand(ctx: Context, options: CiGithubOptions): Promise<CiGithubResult> {
  const flags = validateCiGithubOptions(options);
  const az = createAz(ctx.runner, { ci: isCI(ctx.env) });
  const ci: CiGithubContext = {
    ...ctx,
    az,
    gh: createGh(ctx.runner),
    flags,
    dotenv: {},
    apiVersion: options.apiVersion,
    force: options.force === true,
  };
  const dryRun = options.dryRun === true;
  const run = startRun<CiGithubState>({});
  try {
    await runSteps(ci, ciGithubSteps(flags), run, { dryRun, now: ctx.now });
    const role = run.state.role;
    if (role?.status === 'denied') throw roleDenied(run.state, role);
  } catch (e) {
    throw withResult(e, ciGithubDocument(run, dryRun));
  }
  const result = ciGithubDocument(run, dryRun, true);
  printCiSummary(ctx, result, run.state.workflowText ?? '');
  return result;
}

function roleDenied(s: CiGithubState, role: RoleAssignmentOutcome): NotAllowedError {
  const name = s.identity?.name;
  return new NotAllowedError(
    `You may not create role assignments at ${role.scope}: ${name} trusts the repository but cannot call Azure OpenAI yet.`,
    {
      code: 'authorization-failed',
      hint: 'Ask an Owner or User Access Administrator to run the command below, then re-run `aoai-keyless ci github` (it changes nothing else).',
      details: [roleCommand(s.identity?.identity?.principalId ?? '', role)],
    },
  );
}

/** The --json document, read from the state; `ok` and `next` once the run has succeeded. */
function ciGithubDocument(run: PipelineRun<CiGithubState>, dryRun: boolean, ok = false): CiGithubResult {
  const s = run.state;
  const { repo, identity, credential, variables } = s;
  const principalId = identity?.identity?.principalId ?? null;
  const clientId = identity?.identity?.clientId ?? null;
  return {
    schemaVersion: SCHEMA_VERSION,
    ok,
    command: 'ci github',
    dryRun,
    gh: s.gh ?? null,
    repository: repo ? repositoryOf(repo) : null,
    subject: repo
      ? { value: repo.subject, trigger: repo.trigger, source: repo.subjectSource, template: repo.template }
      : null,
    identity: identity
      ? {
          id: identity.identity?.id ?? null,
          name: identity.name,
          resourceGroup: identity.resourceGroup,
          clientId,
          principalId,
          status: identity.status,
        }
      : null,
    principal: identity
      ? {
          objectId: principalId,
          type: 'ServicePrincipal',
          name: identity.name,
          tenantId: s.subscription?.tenantId ?? null,
          ...(clientId ? { clientId } : {}),
        }
      : null,
    federatedCredential: credential
      ? { ...credential.credential, status: credential.status, trustedSubjects: credential.trusted }
      : null,
    roleAssignment: s.role ? roleAssignmentDocument(s.role) : null,
    variables: variables ? { ...variables, commands: variables.commands.map((c) => commandLine('gh', c)) } : null,
    workflow: s.workflow ?? null,
    ...(dryRun && s.workflow ? { plan: { commands: queuedCommands(run), workflow: s.workflowText ?? '' } } : {}),
    ...(ok ? { next: nextStep(s.gh) } : {}),
    steps: run.steps,
  };
}

function repositoryOf(repo: RepositoryChoice): NonNullable<CiGithubResult['repository']> {
  return {
    fullName: repo.fullName,
    id: repo.repository?.id ?? null,
    ownerId: repo.repository?.ownerId ?? null,
    defaultBranch: repo.repository?.defaultBranch ?? null,
  };
}

/** The dry run's az and gh commands: the queue of every change but the workflow file (printed whole). */
function queuedCommands(run: PipelineRun<CiGithubState>): string[] {
  return run.planned.filter((p) => p.id !== 'workflow').flatMap((p) => p.lines);
}

function nextStep(gh: GhState | undefined): string {
  return gh === 'ready'
    ? `git add ${WORKFLOW_PATH} && git commit -m "Keyless Azure OpenAI check" && git push`
    : 'Set the variables above (gh, or Settings > Secrets and variables > Actions > Variables), then commit the workflow.';
}
