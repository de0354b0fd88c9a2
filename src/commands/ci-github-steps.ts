// ci github as a list of steps over one state. The questions and lookups first (gh, the repository and its
// subject, the sign-in wave, the account and deployment, the identity and its credentials, with the limit of
// 20 credentials checked); then the changes, queued in this order: the identity (when new), its federated
// credential and the role (together), the Actions variables, the workflow file.
import { ACTIONS_VARIABLES } from '../contract/env-vars.ts';
import type { Context } from '../context.ts';
import type { Az, Deployment } from '../az/az.ts';
import type { RoleDefinition, ScopeLevel } from '../azure/roles.ts';
import { fromSources } from '../resolve.ts';
import type { Gh, GhState } from '../github/gh.ts';
import { workflowPlan, workflowText, writeWorkflow, type WorkflowStatus } from '../github/workflow.ts';
import { need, type Step, type StepList } from '../steps/pipeline.ts';
import { targetSteps, type TargetFlags, type TargetState } from '../steps/target.ts';
import { chooseDeployment, listDeployments } from '../steps/deployment.ts';
import { identityRoleAssignmentStep, type IdentityRoleState } from '../steps/role-assignment.ts';
import { chooseRepository, type RepositoryChoice, type TriggerFlags } from '../steps/github-repository.ts';
import {
  applyFederatedCredential,
  ensureIdentity,
  lookUpIdentityAndCredentials,
  planFederatedCredential,
  type CredentialOutcome,
  type IdentityOutcome,
} from '../steps/federated-identity.ts';
import { applyVariables, commandLine, type VariablesOutcome } from '../steps/actions-variables.ts';

export interface CiGithubFlags extends TargetFlags {
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

/** Where the managed identity is (or goes): by --identity, or a name from the repository, in the account's group. */
interface IdentityRef {
  name: string;
  resourceGroup: string;
  subscription: string;
}

export interface CiGithubState extends TargetState, IdentityRoleState {
  gh?: GhState;
  repo?: RepositoryChoice;
  deployment?: Deployment;
  identityRef?: IdentityRef;
  found?: Awaited<ReturnType<typeof lookUpIdentityAndCredentials>>;
  credentialPlan?: CredentialOutcome & { trusted: string[] };
  identity?: IdentityOutcome & { name: string; resourceGroup: string };
  credential?: CredentialOutcome & { trusted: string[] };
  variables?: VariablesOutcome;
  workflowText?: string;
  workflow?: { path: string; status: WorkflowStatus };
}

export type CiGithubContext = Context & {
  az: Az;
  gh: Gh;
  flags: CiGithubFlags;
  dotenv: Record<string, string>;
  apiVersion: string | undefined;
  force: boolean;
};

export function ciGithubSteps(f: CiGithubFlags): StepList<CiGithubContext, CiGithubState> {
  return [
    githubCliStep,
    repositoryStep,
    ...targetSteps({ withDeployments: true, roleScope: f.scope }),
    deploymentStep,
    identityLookupStep,
    identityStep,
    [federatedCredentialStep, identityRoleAssignmentStep()],
    variablesStep,
    workflowStep,
  ];
}

/** Whether gh can do the repository side; without it the commands are printed for the user to apply. */
const githubCliStep: Step<CiGithubContext, CiGithubState> = {
  id: 'github-cli',
  title: "Check GitHub's CLI",
  async run(ctx) {
    const gh = await ctx.gh.state();
    if (gh !== 'ready')
      ctx.out.warn(
        gh === 'not-installed'
          ? "GitHub's CLI (gh) is not installed: the Azure side is done here, the repository side is printed for you to apply."
          : 'gh is not signed in (gh auth login): the Azure side is done here, the repository side is printed for you to apply.',
      );
    return { gh };
  },
};

const repositoryStep: Step<CiGithubContext, CiGithubState> = {
  id: 'repository',
  title: 'Choose the repository and the subject its jobs send',
  async run(ctx, s) {
    const { repo, trigger, subject, subjectFormat } = ctx.flags;
    return { repo: await chooseRepository(ctx, ctx.gh, need(s.gh, 'gh'), { repo, trigger, subject, subjectFormat }) };
  },
};

const deploymentStep: Step<CiGithubContext, CiGithubState> = {
  id: 'deployment',
  title: 'Choose the deployment the workflow verifies',
  async run(ctx, s) {
    const account = need(s.account, 'resource');
    const deployments = await (s.wave?.deployments ?? listDeployments(ctx.az, account));
    const requested = fromSources({ flag: ctx.flags.deployment });
    return { deployment: (await chooseDeployment(ctx, deployments, requested, account.name)).deployment };
  },
};

/** The identity and its credentials, together; the credential is planned here, so the limit of 20 stops a run before any change. */
const identityLookupStep: Step<CiGithubContext, CiGithubState> = {
  id: 'identity-lookup',
  title: 'Look up the managed identity and its federated credentials',
  async run(ctx, s) {
    const account = need(s.account, 'resource');
    const identityRef = {
      name: ctx.flags.identityName ?? defaultIdentityName(need(s.repo, 'repository').fullName),
      resourceGroup: ctx.flags.identityResourceGroup ?? account.resourceGroup,
      subscription: account.subscriptionId,
    };
    const found = await lookUpIdentityAndCredentials(ctx, ctx.az, identityRef);
    const credentialPlan = planFederatedCredential({
      identityName: identityRef.name,
      resourceGroup: identityRef.resourceGroup,
      subject: need(s.repo, 'repository').subject,
      existing: found.credentials,
    });
    return { identityRef, found, credentialPlan };
  },
};

/**
 * A change that does its own lookups on a dry run too (whether the identity, the credential, the variables are in
 * place), then plans (dry run) or applies: one outcome function, told which.
 */
function changeStep<K extends 'identity' | 'credential' | 'variables'>(
  id: string,
  title: string,
  key: K,
  outcome: (
    ctx: CiGithubContext,
    s: Readonly<CiGithubState>,
    dryRun: boolean,
  ) => Promise<NonNullable<CiGithubState[K]>>,
  lines: (value: NonNullable<CiGithubState[K]>) => string[],
): Step<CiGithubContext, CiGithubState> {
  return {
    id,
    title,
    change: true,
    async plan(ctx, s) {
      const value = await outcome(ctx, s, true);
      return { lines: lines(value), patch: { [key]: value } as Partial<CiGithubState> };
    },
    async run(ctx, s) {
      return { [key]: await outcome(ctx, s, false) } as Partial<CiGithubState>;
    },
  };
}

/** id-github-OWNER-REPO, cut to a managed identity name's 128 characters. */
export function defaultIdentityName(fullName: string): string {
  return `id-github-${fullName.replace(/[^A-Za-z0-9_-]+/g, '-')}`.slice(0, 128);
}

const identityStep = changeStep('managed-identity', 'Create the managed identity', 'identity', identityOutcome, (i) =>
  i.command ? [commandLine('az', i.command)] : [],
);

async function identityOutcome(ctx: CiGithubContext, s: Readonly<CiGithubState>, dryRun: boolean) {
  const ref = need(s.identityRef, 'identity');
  const location = ctx.flags.location ?? need(s.account, 'resource').location;
  const found = need(s.found, 'identity lookup').identity;
  const identity = await ensureIdentity(ctx, ctx.az, { ...ref, location }, found, dryRun);
  return { ...identity, name: ref.name, resourceGroup: ref.resourceGroup };
}

const federatedCredentialStep = changeStep(
  'federated-credential',
  'Trust the subject with a federated credential',
  'credential',
  credentialOutcome,
  (c) => (c.command ? [commandLine('az', c.command)] : []),
);

async function credentialOutcome(ctx: CiGithubContext, s: Readonly<CiGithubState>, dryRun: boolean) {
  const ref = need(s.identityRef, 'identity');
  const plan = need(s.credentialPlan, 'credential plan');
  const target = { identityName: ref.name, resourceGroup: ref.resourceGroup, subscription: ref.subscription };
  return applyFederatedCredential(ctx, ctx.az, plan, target, dryRun);
}

/** The Actions variables the workflow reads (ids and the endpoint: none is a secret). */
const variablesStep = changeStep('actions-variables', 'Set the Actions variables', 'variables', variablesOutcome, (v) =>
  v.commands.map((c) => commandLine('gh', c)),
);

async function variablesOutcome(ctx: CiGithubContext, s: Readonly<CiGithubState>, dryRun: boolean) {
  const [repo, subscription] = [need(s.repo, 'repository'), need(s.subscription, 'subscription')];
  const values: Record<string, string> = {
    [ACTIONS_VARIABLES.clientId]: s.identity?.identity?.clientId ?? '<client id of the new identity>',
    [ACTIONS_VARIABLES.tenantId]: subscription.tenantId,
    [ACTIONS_VARIABLES.subscriptionId]: subscription.id,
    [ACTIONS_VARIABLES.endpoint]: need(s.endpoint, 'endpoint'),
    [ACTIONS_VARIABLES.deployment]: need(s.deployment, 'deployment').name,
  };
  return applyVariables(ctx, ctx.gh, {
    repo: repo.fullName,
    environment: repo.trigger.kind === 'environment' ? repo.trigger.environment : undefined,
    values,
    mode: s.gh !== 'ready' ? 'manual' : dryRun ? 'dry-run' : 'apply',
  });
}

/** The workflow that proves the trust on GitHub: written when new, left alone when it differs (unless --force). */
const workflowStep: Step<CiGithubContext, CiGithubState> = {
  id: 'workflow',
  title: 'Write the workflow file',
  change: true,
  async plan(ctx, s) {
    const patch = await workflowOutcome(ctx, s, true);
    return { lines: patch.workflow.status === 'planned' ? [`write ${patch.workflow.path}`] : [], patch };
  },
  run: (ctx, s) => workflowOutcome(ctx, s, false),
};

async function workflowOutcome(ctx: CiGithubContext, s: Readonly<CiGithubState>, dryRun: boolean) {
  const repo = need(s.repo, 'repository');
  const text = workflowText({
    trigger: repo.trigger,
    subject: repo.subject,
    trustedSubjects: need(s.credential, 'credential').trusted,
    endpoint: need(s.endpoint, 'endpoint'),
    apiVersion: ctx.apiVersion,
  });
  const plan = await workflowPlan(ctx.cwd, text, ctx.force);
  const status: WorkflowStatus =
    plan.status === 'unchanged' ? 'unchanged' : plan.status === 'exists' ? 'exists' : dryRun ? 'planned' : 'written';
  if (status === 'written') await writeWorkflow(plan.path, text, plan.status === 'replace');
  return { workflowText: text, workflow: { path: plan.path, status } };
}
