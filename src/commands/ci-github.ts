// `aoai-keyless ci github`: the trust between a GitHub repository's Actions jobs and Azure OpenAI, keyless.
// Every lookup first (GitHub's repository and subject template, the sign-in, the account and deployment,
// the identity and its credentials, the role, the variables, the workflow file); then the changes in
// that order. A re-run finds everything in place and changes nothing.
import { SCHEMA_VERSION, type CiGithubDocument } from '../contract/documents.ts';
import type { Context } from '../context.ts';
import { createAz, type Az } from '../az/az.ts';
import { NotAllowedError, UsageError, type AppError } from '../errors.ts';
import { checkDeploymentName, checkResourceGroup } from '../azure/names.ts';
import {
  parseRole,
  parseScopeLevel,
  roleForModel,
  scopeFor,
  type RoleDefinition,
  type ScopeLevel,
} from '../azure/roles.ts';
import { fromSources } from '../resolve.ts';
import { ACTIONS_VARIABLES } from '../contract/env-vars.ts';
import { isCI } from '../env.ts';
import { parseTargetFlags, resolveTarget, type Target, type TargetFlags } from '../steps/target.ts';
import { chooseDeployment } from '../steps/deployment.ts';
import { identityAsPrincipal } from '../steps/principal.ts';
import { ensureRoleAssignment, type RoleAssignmentOutcome } from '../steps/role-assignment.ts';
import { createGh, type Gh } from '../github/gh.ts';
import { parseRepoFlag } from '../github/repository.ts';
import {
  chooseRepository,
  parseTriggerFlags,
  type RepositoryChoice,
  type TriggerFlags,
} from '../steps/github-repository.ts';
import {
  applyFederatedCredential,
  ensureIdentity,
  lookUpIdentityAndCredentials,
  planFederatedCredential,
} from '../steps/federated-identity.ts';
import { applyVariables, commandLine } from '../steps/actions-variables.ts';
import { workflowPlan, workflowText, writeWorkflow, WORKFLOW_PATH, type WorkflowStatus } from '../github/workflow.ts';
import { printCiSummary } from './ci-github-report.ts';

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
export type CiGithubResult = CiGithubDocument;

interface Validated extends TargetFlags {
  repo: string | undefined;
  trigger: TriggerFlags;
  subject: string | undefined;
  subjectFormat: 'immutable' | 'names' | undefined;
  identityName: string | undefined;
  identityResourceGroup: string | undefined;
  location: string | undefined;
  deployment: string | undefined;
  role: RoleDefinition | undefined;
  scope: ScopeLevel;
}

export function validateCiGithubOptions(o: CiGithubOptions): Validated {
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
    subjectFormat: o.subjectFormat as Validated['subjectFormat'],
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
  const v = validateCiGithubOptions(options);
  const az = createAz(ctx.runner, { ci: isCI(ctx.env) });
  const gh = createGh(ctx.runner);
  const result: CiGithubResult = {
    schemaVersion: SCHEMA_VERSION,
    ok: false,
    command: 'ci github',
    dryRun: options.dryRun === true,
    gh: null,
    repository: null,
    subject: null,
    identity: null,
    principal: null,
    federatedCredential: null,
    roleAssignment: null,
    variables: null,
    workflow: null,
  };
  try {
    return await runCiGithub(ctx, az, gh, v, options, result);
  } catch (e) {
    (e as AppError).result = result as unknown as Record<string, unknown>;
    throw e;
  }
}

async function runCiGithub(
  ctx: Context,
  az: Az,
  gh: Gh,
  v: Validated,
  options: CiGithubOptions,
  result: CiGithubResult,
): Promise<CiGithubResult> {
  const dryRun = options.dryRun === true;
  const state = await gh.state();
  result.gh = state;
  if (state !== 'ready')
    ctx.out.warn(
      state === 'not-installed'
        ? "GitHub's CLI (gh) is not installed: the Azure side is done here, the repository side is printed for you to apply."
        : 'gh is not signed in (gh auth login): the Azure side is done here, the repository side is printed for you to apply.',
    );
  const repo = await chooseRepository(ctx, gh, state, {
    repo: v.repo,
    trigger: v.trigger,
    subject: v.subject,
    subjectFormat: v.subjectFormat,
  });
  result.repository = {
    fullName: repo.fullName,
    id: repo.repository?.id ?? null,
    ownerId: repo.repository?.ownerId ?? null,
    defaultBranch: repo.repository?.defaultBranch ?? null,
  };
  result.subject = { value: repo.subject, trigger: repo.trigger, source: repo.subjectSource, template: repo.template };

  const target = await resolveTarget(ctx, az, v, {}, { withDeployments: true, roleScope: v.scope });
  const { account, endpoint, subscription } = target;
  const deployments = await (target.deployments ??
    az.deploymentList(
      { name: account.name, resourceGroup: account.resourceGroup },
      { subscription: account.subscriptionId },
    ));
  const deployment = (await chooseDeployment(ctx, deployments, fromSources({ flag: v.deployment }), account.name))
    .deployment;

  const { identity, credential, role } = await azureSide(ctx, az, v, repo, target, deployment.format, dryRun);
  const identityName = identity.name;
  result.identity = {
    id: identity.identity?.id ?? null,
    name: identity.name,
    resourceGroup: identity.resourceGroup,
    clientId: identity.identity?.clientId ?? null,
    principalId: identity.identity?.principalId ?? null,
    status: identity.status,
  };
  result.principal = {
    objectId: result.identity.principalId,
    type: 'ServicePrincipal',
    name: identity.name,
    tenantId: subscription.tenantId,
    ...(result.identity.clientId ? { clientId: result.identity.clientId } : {}),
  };
  result.federatedCredential = {
    ...credential.credential,
    status: credential.status,
    trustedSubjects: credential.trusted,
  };
  const { signIn: _signIn, ...roleAssignment } = role;
  result.roleAssignment = roleAssignment;
  const scope = role.scope;

  const values: Record<string, string> = {
    [ACTIONS_VARIABLES.clientId]: identity.identity?.clientId ?? '<client id of the new identity>',
    [ACTIONS_VARIABLES.tenantId]: subscription.tenantId,
    [ACTIONS_VARIABLES.subscriptionId]: subscription.id,
    [ACTIONS_VARIABLES.endpoint]: endpoint,
    [ACTIONS_VARIABLES.deployment]: deployment.name,
  };
  const mode = state !== 'ready' ? 'manual' : dryRun ? 'dry-run' : 'apply';
  const variables = await applyVariables(ctx, gh, {
    repo: repo.fullName,
    environment: repo.trigger.kind === 'environment' ? repo.trigger.environment : undefined,
    values,
    mode,
  });
  result.variables = { ...variables, commands: variables.commands.map((c) => commandLine('gh', c)) };

  const text = workflowText({
    trigger: repo.trigger,
    subject: repo.subject,
    trustedSubjects: credential.trusted,
    endpoint,
    apiVersion: options.apiVersion,
  });
  const plan = await workflowPlan(ctx.cwd, text, options.force === true);
  const status: WorkflowStatus =
    plan.status === 'unchanged' ? 'unchanged' : plan.status === 'exists' ? 'exists' : dryRun ? 'planned' : 'written';
  if (status === 'written') await writeWorkflow(plan.path, text, plan.status === 'replace');
  result.workflow = { path: plan.path, status };

  if (dryRun) {
    result.plan = {
      commands: planCommands(
        identity.command,
        credential.command,
        role,
        identity.identity?.principalId ?? `<principal id of ${identityName}>`,
        result.variables.commands,
      ),
      workflow: text,
    };
  }
  if (role.status === 'denied') {
    throw new NotAllowedError(
      `You may not create role assignments at ${scope}: ${identityName} trusts the repository but cannot call Azure OpenAI yet.`,
      {
        code: 'authorization-failed',
        hint: 'Ask an Owner or User Access Administrator to run the command below, then re-run `aoai-keyless ci github` (it changes nothing else).',
        details: [roleCommand(identity.identity?.principalId ?? '', role)],
      },
    );
  }
  result.ok = true;
  result.next =
    state === 'ready'
      ? `git add ${WORKFLOW_PATH} && git commit -m "Keyless Azure OpenAI check" && git push`
      : 'Set the variables above (gh, or Settings > Secrets and variables > Actions > Variables), then commit the workflow.';
  printCiSummary(ctx, result, text);
  return result;
}

/**
 * The identity, its credential and the role. Lookups first, together; the limit of 20 credentials is checked
 * before any change; then the identity (when new), and the credential and the role at the same time.
 */
async function azureSide(
  ctx: Context,
  az: Az,
  v: Validated,
  repo: RepositoryChoice,
  target: Target,
  modelFormat: string | undefined,
  dryRun: boolean,
) {
  const { account } = target;
  const subject = repo.subject;
  const i = {
    name: v.identityName ?? defaultIdentityName(repo.fullName),
    resourceGroup: v.identityResourceGroup ?? account.resourceGroup,
    subscription: account.subscriptionId,
  };
  const found = await lookUpIdentityAndCredentials(ctx, az, i);
  const plan = planFederatedCredential({
    identityName: i.name,
    resourceGroup: i.resourceGroup,
    subject,
    existing: found.credentials,
  });
  const identity = await ensureIdentity(
    ctx,
    az,
    { ...i, location: v.location ?? account.location },
    found.identity,
    dryRun,
  );
  const scope = scopeFor(v.scope, account);
  const mi = identity.identity;
  // The role the model needs (or --role), judged by effective access as setup does.
  const choice = roleForModel(modelFormat, v.role);
  const planned: RoleAssignmentOutcome = {
    id: null,
    role: choice.role.name,
    roleId: choice.role.id,
    scope,
    status: 'planned',
    reason: choice.reason,
    dataAction: choice.dataAction,
  };
  const [credential, role] = await Promise.all([
    applyFederatedCredential(
      ctx,
      az,
      plan,
      { identityName: i.name, resourceGroup: i.resourceGroup, subscription: i.subscription },
      dryRun,
    ),
    mi
      ? ctx.out.task(`${choice.role.name} for ${i.name} at ${v.scope} scope`, () =>
          ensureRoleAssignment(
            az,
            {
              principal: identityAsPrincipal(mi),
              me: target.me,
              choice,
              resource: account.id,
              scope,
              subscription: i.subscription,
              tenant: target.subscription.tenantId,
            },
            { dryRun },
          ),
        )
      : Promise.resolve(planned),
  ]);
  return { identity: { ...identity, name: i.name, resourceGroup: i.resourceGroup }, credential, role };
}

function planCommands(
  identity: string[] | null,
  credential: string[] | null,
  role: RoleAssignmentOutcome,
  principalId: string,
  gh: string[],
): string[] {
  const az: string[] = [];
  if (identity) az.push(commandLine('az', identity));
  if (credential) az.push(commandLine('az', credential));
  if (role.status === 'planned') az.push(roleCommand(principalId, role));
  return [...az, ...gh];
}

/** The assignment as it is created: by the role's GUID, to the identity's principal id as a ServicePrincipal. */
function roleCommand(principalId: string, role: RoleAssignmentOutcome): string {
  return commandLine('az', [
    'role',
    'assignment',
    'create',
    '--assignee-object-id',
    principalId,
    '--assignee-principal-type',
    'ServicePrincipal',
    '--role',
    role.roleId,
    '--scope',
    role.scope,
  ]);
}

/** id-github-OWNER-REPO, cut to a managed identity name's 128 characters. */
export function defaultIdentityName(fullName: string): string {
  return `id-github-${fullName.replace(/[^A-Za-z0-9_-]+/g, '-')}`.slice(0, 128);
}
