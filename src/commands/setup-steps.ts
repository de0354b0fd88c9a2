// setup as a list of steps over one state. The questions and lookups first (sign-in wave, subscription,
// resource, deployment, principal, the access check, the .env plan); then the changes, queued in this order:
// the role assignment (steps/role-assignment.ts), the .env, a stop while the role is pending, the proof by a
// chat completion, and the token audience the proof learned.
import type { Context } from '../context.ts';
import type { Az, Deployment } from '../az/az.ts';
import { NotAllowedError, PrerequisiteError } from '../errors.ts';
import { roleForModel, scopeFor } from '../azure/roles.ts';
import { deploymentLabel } from '../azure/openai-account.ts';
import { azCliCommand, handoffMarkdown, handoffText } from '../azure/handoff.ts';
import { fromSources } from '../resolve.ts';
import type { EnvFileOnDisk } from '../env-file/write.ts';
import { PUBLIC_CLOUD, tokenScope } from '../entra/clouds.ts';
import { isCI } from '../env.ts';
import { need, type Step, type StepList } from '../steps/pipeline.ts';
import { principalStep, sourceWord, targetSteps, type TargetState } from '../steps/target.ts';
import { chooseDeployment, listDeployments, type ChosenDeployment } from '../steps/deployment.ts';
import { checkAccess } from '../steps/effective-access.ts';
import { outcomeOf, roleAssignmentStep, type RoleAssignmentState } from '../steps/role-assignment.ts';
import { activationNeeded } from '../steps/pim-activation.ts';
import {
  ENV_KEYS,
  applyEnvFile,
  planEnvFile,
  recordEnvValue,
  setupEnvValues,
  type EnvPlan,
} from '../steps/env-file.ts';
import { runSetupVerification, type SetupVerification } from '../steps/verify-access.ts';
import type { RerunCandidate, RerunProof } from '../steps/configured-rerun.ts';
import { resolvedApiVersion, type SetupFlags, type SetupOptions } from './setup-options.ts';
import { configuredRerunStep } from './setup-rerun.ts';

/** How long setup waits for a role assignment it has just created to reach the data plane. */
export const DEFAULT_PROPAGATION_WAIT_MS = 5 * 60_000;

/** The .env as the --json document reports it. */
export interface EnvFileReport {
  path: string;
  keys: string[];
  removed: string[];
  status: 'written' | 'unchanged' | 'planned';
  apiKeysCommentedOut: string[];
  gitignoreUpdated: string | null;
}

export interface SetupState extends TargetState, RoleAssignmentState {
  /** A re-run the data plane may settle without a lookup (none: the full path). */
  rerun?: RerunCandidate | undefined;
  /** The data plane's proof on such a re-run: setup is done. */
  proof?: RerunProof & { keys: string[]; envPath: string };
  chosenDeployment?: ChosenDeployment;
  apiVersion?: string;
  /** The token scope the .env names for the endpoint's cloud. */
  scopeValue?: string;
  values?: Array<[string, string]>;
  envPlan?: EnvPlan;
  envFile?: EnvFileReport;
  verification?: SetupVerification;
  /** The error that ends setup once the .env is written: the role is pending (PIM, an admin, MFA). */
  stop?: Error;
  next?: string;
}

export type SetupContext = Context & {
  az: Az;
  flags: SetupFlags;
  options: SetupOptions;
  envFile: EnvFileOnDisk;
  dotenv: Record<string, string>;
};

export function setupSteps(f: SetupFlags): StepList<SetupContext, SetupState> {
  return [
    configuredRerunStep,
    ...targetSteps({ withDeployments: true, roleScope: f.scope }),
    deploymentStep,
    principalStep(),
    accessCheckStep,
    envFilePlanStep,
    roleAssignmentStep(),
    envFileStep,
    rolePendingStep,
    verifyStep,
    audienceStep,
  ];
}

const deploymentStep: Step<SetupContext, SetupState> = {
  id: 'deployment',
  title: 'Choose the deployment',
  async run(ctx, s) {
    const account = need(s.account, 'resource');
    const deployments = await (s.wave?.deployments ??
      ctx.out.task('Listing deployments', () => listDeployments(ctx.az, account)));
    const requested = fromSources({
      flag: ctx.flags.deployment,
      environment: ctx.env[ENV_KEYS.deployment],
      envFile: ctx.dotenv[ENV_KEYS.deployment],
    });
    const chosen = await chooseDeployment(ctx, deployments, requested, account.name);
    const deployment = chosen.deployment;
    if (chosen.source !== 'prompt')
      ctx.out.success(
        `Deployment ${deploymentLabel(deployment)}${chosen.source === 'flag' ? '' : ` · ${sourceWord(chosen.source)}`}`,
      );
    if (!chosen.chat)
      ctx.out.warn(
        `${deployment.name} is not a chat model: the role and .env work for it, but verification (a chat completion) will be skipped.`,
      );
    return { chosenDeployment: chosen };
  },
};

/** The role the model needs, then effective access, before any write: decides what the role step does. */
const accessCheckStep: Step<SetupContext, SetupState> = {
  id: 'access-check',
  title: 'Check effective access to the model',
  async run(ctx, s) {
    const [account, principal, me] = [need(s.account, 'resource'), need(s.principal, 'principal'), need(s.me, 'me')];
    const deployment: Deployment = need(s.chosenDeployment, 'deployment').deployment;
    const choice = roleForModel(deployment.format, ctx.flags.role);
    ctx.out.detail(`Role: ${choice.role.name} (${choice.reason})`);
    const scope = scopeFor(ctx.flags.scope, account);
    const prefetched = s.wave?.permissions;
    const permissions =
      prefetched && prefetched.scope.toLowerCase() === account.id.toLowerCase() ? prefetched.value : undefined;
    const check = await ctx.out.task(
      `Checking access to ${deployment.name} for ${principal.name ?? principal.objectId}`,
      () =>
        checkAccess(ctx.az, {
          principal,
          me,
          resource: account.id,
          scope,
          dataAction: choice.dataAction,
          ...(permissions ? { permissions } : {}),
        }),
    );
    for (const what of check.notChecked) ctx.out.warn(`Not checked: ${what}.`);
    const handoff = {
      principalId: principal.objectId,
      principalType: principal.type,
      principalName: principal.name ?? undefined,
      role: choice.role,
      scope,
      tenantId: need(s.subscription, 'subscription').tenantId,
      account: { id: account.id, name: account.name, endpoint: need(s.endpoint, 'endpoint') },
    };
    return { choice, scope, check, planned: outcomeOf(check, choice, scope), handoff };
  },
};

/** What the .env will hold: read and merged now (a question about an API key comes before any change). */
const envFilePlanStep: Step<SetupContext, SetupState> = {
  id: 'env-file-plan',
  title: 'Plan the .env',
  async run(ctx, s) {
    const [endpoint, principal] = [need(s.endpoint, 'endpoint'), need(s.principal, 'principal')];
    const apiVersion = resolvedApiVersion(ctx, ctx.flags, ctx.dotenv);
    const scopeValue = tokenScope({ endpoint });
    const developer = need(s.me, 'me').type === 'User' && !isCI(ctx.env) && principal.type !== 'ServicePrincipal';
    const { set: values, removeOwned } = setupEnvValues({
      endpoint,
      deployment: need(s.chosenDeployment, 'deployment').deployment.name,
      api: ctx.flags.api,
      apiVersion,
      clientId: principal.clientId,
      scope: scopeValue,
      defaultScope: PUBLIC_CLOUD.scope,
      developer,
    });
    const removeApiKey = ctx.options.removeApiKey === true;
    const envPlan = await planEnvFile(ctx, ctx.envFile, values, { removeApiKey, removeOwned });
    return { apiVersion, scopeValue, values, envPlan };
  },
};

function envFileReport(plan: EnvPlan, status: EnvFileReport['status'], gitignore: string | null): EnvFileReport {
  return {
    path: plan.file.path,
    keys: plan.keys,
    removed: plan.merge.removed,
    status,
    apiKeysCommentedOut: plan.merge.commentedOut,
    gitignoreUpdated: gitignore,
  };
}

/** The .env write (the only one on disk), and the .gitignore line that keeps it out of git. */
const envFileStep: Step<SetupContext, SetupState> = {
  id: 'env-file',
  title: 'Write the .env',
  change: true,
  plan(_ctx, s) {
    const plan = need(s.envPlan, '.env plan');
    const path = plan.file.path;
    const lines = [
      `Write to ${path}${plan.merge.changed ? '' : ' (already up to date)'}:`,
      ...need(s.values, '.env values').map(([k, val]) => `  ${k}=${val}`),
      ...plan.merge.commentedOut.map((k) => `  comment out ${k}`),
      ...plan.merge.removed.map((k) => `  remove ${k} (written by an earlier run)`),
      ...(plan.gitignore.pattern ? [`Add ${plan.gitignore.pattern} to ${plan.gitignore.repoRoot}/.gitignore`] : []),
    ];
    return { lines, patch: { envFile: envFileReport(plan, 'planned', plan.gitignore.pattern ?? null) } };
  },
  async run(ctx, s) {
    const plan = need(s.envPlan, '.env plan');
    const written = await applyEnvFile(plan);
    const { merge, gitignore } = plan;
    const path = plan.file.path;
    ctx.out.success(
      `${written.status === 'written' ? 'Wrote' : 'Checked'} ${path}: ${plan.keys.join(', ')}${written.status === 'unchanged' ? ' (unchanged)' : ''}`,
    );
    if (merge.commentedOut.length > 0) ctx.out.success(`Commented out ${merge.commentedOut.join(', ')}`);
    if (merge.removed.length > 0)
      ctx.out.success(
        `Removed ${merge.removed.join(', ')}, written by an earlier run (${ctx.flags.api === 'v1' ? 'the v1 API takes no api version' : 'not for this identity'})`,
      );
    if (written.gitignoreAdded)
      ctx.out.success(`Added ${gitignore.pattern} to ${written.gitignoreAdded} so git never publishes it`);
    const gitignoreUpdated = written.gitignoreAdded ? (gitignore.pattern ?? null) : null;
    return { envFile: envFileReport(plan, written.status, gitignoreUpdated) };
  },
};

/** With the .env written, setup stops while the role is pending: a PIM activation, an admin, or an MFA sign-in. */
const rolePendingStep: Step<SetupContext, SetupState> = {
  id: 'role-pending',
  title: 'Stop while the role is pending',
  change: true,
  failure: (s) => s.stop,
  run(ctx, s) {
    const role = need(s.role, 'role assignment');
    const path = ctx.envFile.path;
    if (role.status === 'eligible')
      return {
        next: 'aoai-keyless verify --wait 10m',
        stop: activationNeeded(
          need(s.check, 'access check'),
          need(s.principal, 'principal'),
          need(s.scope, 'scope'),
          path,
        ),
      };
    if (role.status === 'denied') {
      const handoff = need(s.handoff, 'hand-off');
      const lines = ctx.flags.handoff === 'markdown' ? handoffMarkdown(handoff) : handoffText(handoff);
      const stop = new NotAllowedError(
        `You may not create role assignments at ${s.scope} (no Microsoft.Authorization/roleAssignments/write).`,
        {
          code: 'authorization-failed',
          hint: `${path} is written. Once the role is assigned, run \`aoai-keyless verify --wait 30m\` to finish.`,
          details: lines,
        },
      );
      return { next: 'aoai-keyless verify --wait 30m', stop };
    }
    const signIn = role.signIn;
    if (!signIn) return undefined;
    // Not signed in with MFA: the role is not assigned yet. After the re-sign-in a re-run creates it (and
    // verifies); if someone else assigns it meanwhile, `verify --wait` finishes with the .env already written.
    const stop = new PrerequisiteError(signIn.message, {
      code: signIn.code,
      hint: `${signIn.hint ?? ''} ${path} is written: the re-run creates the role assignment and verifies it.`.trim(),
      details: signIn.details,
    });
    return { next: 'npx aoai-keyless (again, after signing in with MFA)', stop };
  },
};

/** The proof: a chat completion through DefaultAzureCredential, as the app will sign in. */
const verifyStep: Step<SetupContext, SetupState> = {
  id: 'verify',
  title: 'Verify with a chat completion',
  change: true,
  failure: (s) => s.verification?.error,
  async run(ctx, s) {
    const [role, principal, handoff] = [need(s.role, 'role'), need(s.principal, 'principal'), need(s.handoff, 'x')];
    const justAssigned = role.status === 'created' || role.status === 'activated';
    const chosen = need(s.chosenDeployment, 'deployment');
    const verification = await runSetupVerification(ctx, {
      enabled: ctx.options.verify,
      principal,
      me: need(s.me, 'me'),
      chat: chosen.chat,
      endpoint: need(s.endpoint, 'endpoint'),
      deployment: chosen.deployment.name,
      apiVersion: need(s.apiVersion, 'api version'),
      api: ctx.flags.api,
      scope: need(s.scopeValue, 'token scope'),
      envFile: ctx.envFile.path,
      justAssigned,
      waitMs: ctx.flags.waitMs ?? (justAssigned ? DEFAULT_PROPAGATION_WAIT_MS : 0),
      roleAssignmentCommand: azCliCommand(handoff),
      // What the app will load from this .env, as verify does (dotenv never overrides the environment).
      credentialEnv: Object.fromEntries(
        need(s.values, '.env values').filter(
          ([k]) => k === ENV_KEYS.tokenCredentials || (k === ENV_KEYS.clientId && principal.kind === 'signed-in'),
        ),
      ),
    });
    return { verification };
  },
};

/** verify found that the endpoint takes another token audience than the default: the app needs it too. */
const audienceStep: Step<SetupContext, SetupState> = {
  id: 'audience',
  title: 'Record the token audience the endpoint takes',
  change: true,
  when(_ctx, s) {
    const learned = learnedAudience(s);
    return learned !== undefined && learned !== s.scopeValue && learned !== PUBLIC_CLOUD.scope && !!s.envFile;
  },
  async run(ctx, s) {
    const learned = need(learnedAudience(s), 'audience');
    const envFile = need(s.envFile, '.env');
    const status = await recordEnvValue(ctx.options.envFile, ctx.cwd, ENV_KEYS.scope, learned);
    const keys = envFile.keys.includes(ENV_KEYS.scope) ? envFile.keys : [...envFile.keys, ENV_KEYS.scope];
    ctx.out.success(
      `Wrote ${ENV_KEYS.scope}=${learned} to ${envFile.path}: the endpoint takes tokens for that audience`,
    );
    return { envFile: { ...envFile, keys, status: status === 'written' ? 'written' : envFile.status } };
  },
};

function learnedAudience(s: Readonly<SetupState>): string | undefined {
  const learned = s.verification?.report?.['audience'] as { tried: string; ok: boolean } | undefined;
  return learned?.ok ? learned.tried : undefined;
}
