// `aoai-keyless setup`: the wizard. Every question is asked, and every lookup made, before the first
// change; then the role assignment, then the .env, then the proof by a chat completion.
// Independent az calls run together: the sign-in check, the account and its deployments are one wave.
import { SCHEMA_VERSION, type SetupDocument } from '../contract/documents.ts';
import type { Context } from '../context.ts';
import { createAz, type Az } from '../az/az.ts';
import { NotAllowedError, PrerequisiteError, UsageError, type AppError } from '../errors.ts';
import { checkApiVersion, checkDeploymentName } from '../azure/names.ts';
import {
  parseRole,
  parseScopeLevel,
  roleForModel,
  scopeFor,
  type RoleDefinition,
  type ScopeLevel,
} from '../azure/roles.ts';
import { deploymentLabel } from '../azure/openai-account.ts';
import { handoffMarkdown, handoffText, azCliCommand, type HandoffRequest } from '../azure/handoff.ts';
import { fromSources } from '../resolve.ts';
import { parseEnvFile, envValues } from '../env-file/parse.ts';
import { readEnvFile } from '../env-file/write.ts';
import { findApiKeys, mergeEnvFile } from '../env-file/merge.ts';
import { PUBLIC_CLOUD, tokenScope } from '../entra/clouds.ts';
import { chooseDeployment } from '../steps/deployment.ts';
import { parseTargetFlags, resolvePrincipal, resolveTarget, sourceWord, type TargetFlags } from '../steps/target.ts';
import { createAssignment, describeAccess, outcomeOf, type RoleAssignmentOutcome } from '../steps/role-assignment.ts';
import { checkAccess } from '../steps/effective-access.ts';
import { activateEligibility, activationNeeded } from '../steps/pim-activation.ts';
import { proveConfiguredAccess, type RerunCandidate } from '../steps/configured-rerun.ts';
import { ENV_KEYS, applyEnvFile, planEnvFile, recordEnvValue, setupEnvValues } from '../steps/env-file.ts';
import { reSignIn } from '../steps/sign-in.ts';
import { runSetupVerification, type SetupVerification } from '../steps/verify-access.ts';
import { parseDuration } from '../duration.ts';
import { DEFAULT_API_VERSION, parseApi, type Api } from '../azure/api-version.ts';
import { isCI } from '../env.ts';

/** How long setup waits for a role assignment it has just created to reach the data plane. */
export const DEFAULT_PROPAGATION_WAIT_MS = 5 * 60_000;

export interface SetupOptions {
  subscription?: string;
  resourceGroup?: string;
  resource?: string;
  deployment?: string;
  assignee?: string;
  assigneeType?: string;
  managedIdentity?: string;
  role?: string;
  scope?: string;
  envFile: string;
  apiVersion?: string;
  removeApiKey?: boolean;
  verify: boolean;
  wait?: string;
  dryRun?: boolean;
  handoff?: string;
  api?: string;
  activate?: boolean;
  justification?: string;
}

/** setup's --json document: src/contract/documents.ts. */
export type SetupResult = SetupDocument;

interface Validated extends TargetFlags {
  deployment: string | undefined;
  role: RoleDefinition | undefined;
  scope: ScopeLevel;
  apiVersion: string | undefined;
  waitMs: number | undefined;
  handoff: 'text' | 'markdown';
  api: Api;
}

/** Every flag is checked before any az call: a bad value is exit 2 and nothing runs. */
export function validateSetupOptions(o: SetupOptions): Validated {
  if (o.handoff !== undefined && !['text', 'markdown'].includes(o.handoff)) {
    throw new UsageError(`--handoff '${o.handoff}' is not one of text, markdown.`, { code: 'bad-value' });
  }
  if (o.activate && !o.justification?.trim()) {
    throw new UsageError('--activate needs --justification "<why>": PIM records it with the activation.', {
      code: 'missing-input',
    });
  }
  return {
    ...parseTargetFlags(o),
    deployment: o.deployment === undefined ? undefined : checkDeploymentName(o.deployment),
    role: parseRole(o.role),
    scope: parseScopeLevel(o.scope),
    apiVersion: o.apiVersion === undefined ? undefined : checkApiVersion(o.apiVersion),
    waitMs: o.wait === undefined ? undefined : parseDuration(o.wait, '--wait'),
    handoff: o.handoff === 'markdown' ? 'markdown' : 'text',
    api: parseApi(o.api, o.apiVersion),
  };
}

export async function setupCommand(ctx: Context, options: SetupOptions): Promise<SetupResult> {
  const v = validateSetupOptions(options);
  const envFile = await readEnvFile(options.envFile, ctx.cwd);
  const dotenv = envValues(parseEnvFile(envFile.text ?? ''));
  const ci = isCI(ctx.env);
  const az = createAz(ctx.runner, { ci });
  const result: SetupResult = {
    schemaVersion: SCHEMA_VERSION,
    ok: false,
    command: 'setup',
    dryRun: options.dryRun === true,
    subscription: null,
    principal: null,
    resource: null,
    deployment: null,
    roleAssignment: null,
    envFile: null,
    verify: null,
  };
  try {
    const candidate = rerunCandidate(ctx, v, options, dotenv);
    if (candidate && (await provenRerun(ctx, candidate, envFile, result))) return result;
    return await runSetup(ctx, az, v, options, envFile, dotenv, result);
  } catch (e) {
    (e as AppError).result = result as unknown as Record<string, unknown>;
    throw e;
  }
}

async function runSetup(
  ctx: Context,
  az: Az,
  v: Validated,
  options: SetupOptions,
  envFile: Awaited<ReturnType<typeof readEnvFile>>,
  dotenv: Record<string, string>,
  result: SetupResult,
): Promise<SetupResult> {
  const { out } = ctx;
  const target = await resolveTarget(ctx, az, v, dotenv, {
    withDeployments: true,
    roleScope: v.scope,
    onSubscription: (sub) => (result.subscription = sub),
  });
  const { account, endpoint, subscription, me } = target;
  result.resource = {
    id: account.id,
    name: account.name,
    resourceGroup: account.resourceGroup,
    kind: account.kind,
    location: account.location,
    endpoint,
  };

  // Deployment.
  const deployments = await (target.deployments ??
    out.task('Listing deployments', () =>
      az.deploymentList(
        { name: account.name, resourceGroup: account.resourceGroup },
        { subscription: account.subscriptionId },
      ),
    ));
  const requestedDeployment = fromSources({
    flag: v.deployment,
    environment: ctx.env[ENV_KEYS.deployment],
    envFile: dotenv[ENV_KEYS.deployment],
  });
  const chosenDeployment = await chooseDeployment(ctx, deployments, requestedDeployment, account.name);
  const deployment = chosenDeployment.deployment;
  result.deployment = { name: deployment.name, model: deployment.model ?? null, format: deployment.format ?? null };
  if (chosenDeployment.source !== 'prompt')
    out.success(
      `Deployment ${deploymentLabel(deployment)}${chosenDeployment.source === 'flag' ? '' : ` · ${sourceWord(chosenDeployment.source)}`}`,
    );
  if (!chosenDeployment.chat)
    out.warn(
      `${deployment.name} is not a chat model: the role and .env work for it, but verification (a chat completion) will be skipped.`,
    );

  // Principal.
  const principal = await resolvePrincipal(ctx, az, v, target);
  result.principal = {
    objectId: principal.objectId,
    type: principal.type,
    name: principal.name,
    tenantId: subscription.tenantId,
    ...(principal.clientId ? { clientId: principal.clientId } : {}),
  };

  // Role assignment: the role the model needs, then effective access, before any write.
  const choice = roleForModel(deployment.format, v.role);
  out.detail(`Role: ${choice.role.name} (${choice.reason})`);
  const scope = scopeFor(v.scope, account);
  const permissions =
    target.permissions && target.permissions.scope.toLowerCase() === account.id.toLowerCase()
      ? target.permissions.value
      : undefined;
  const check = await out.task(
    `Checking access to ${deployment.name} for ${principal.name ?? principal.objectId}`,
    () =>
      checkAccess(az, {
        principal,
        me,
        resource: account.id,
        scope,
        dataAction: choice.dataAction,
        ...(permissions ? { permissions } : {}),
      }),
  );
  const planned = outcomeOf(check, choice, scope);
  for (const what of check.notChecked) out.warn(`Not checked: ${what}.`);
  const handoff: HandoffRequest = {
    principalId: principal.objectId,
    principalType: principal.type,
    principalName: principal.name ?? undefined,
    role: choice.role,
    scope,
    tenantId: subscription.tenantId,
    account: { id: account.id, name: account.name, endpoint },
  };

  // .env plan.
  const apiVersion = resolvedApiVersion(ctx, v, dotenv);
  const scopeValue = tokenScope({ endpoint });
  const developer = me.type === 'User' && !isCI(ctx.env) && principal.type !== 'ServicePrincipal';
  const { set: values, removeOwned } = setupEnvValues({
    endpoint,
    deployment: deployment.name,
    api: v.api,
    apiVersion,
    clientId: principal.clientId,
    scope: scopeValue,
    defaultScope: PUBLIC_CLOUD.scope,
    developer,
  });
  const envPlan = await planEnvFile(ctx, envFile, values, { removeApiKey: options.removeApiKey === true, removeOwned });

  if (options.dryRun) {
    result.roleAssignment = planned;
    result.envFile = {
      path: envFile.path,
      keys: envPlan.keys,
      removed: envPlan.merge.removed,
      status: 'planned',
      apiKeysCommentedOut: envPlan.merge.commentedOut,
      gitignoreUpdated: envPlan.gitignore.pattern ?? null,
    };
    const needed = planned.status === 'planned' || planned.status === 'denied';
    result.plan = { commands: needed ? [azCliCommand(handoff)] : [], envFile: values.map(([k, val]) => `${k}=${val}`) };
    out.heading('Dry run: nothing was changed. The plan:');
    if (planned.status === 'existing')
      out.detail(`Role assignment: none needed, access exists: ${describeAccess(planned)}.`);
    else if (planned.status === 'eligible')
      out.detail(
        'Role assignment: none; activate your eligible PIM assignment (setup --activate --justification "...").',
      );
    else out.detail(`Run: ${azCliCommand(handoff)}`);
    out.detail(`Write to ${envFile.path}${envPlan.merge.changed ? '' : ' (already up to date)'}:`);
    for (const line of result.plan.envFile) out.detail(`  ${line}`);
    for (const k of envPlan.merge.commentedOut) out.detail(`  comment out ${k}`);
    for (const k of envPlan.merge.removed) out.detail(`  remove ${k} (written by an earlier run)`);
    if (envPlan.gitignore.pattern)
      out.detail(`Add ${envPlan.gitignore.pattern} to ${envPlan.gitignore.repoRoot}/.gitignore`);
    result.ok = true;
    return result;
  }

  // Changes: the role assignment (or a PIM activation), then the .env.
  let role: RoleAssignmentOutcome = planned;
  if (planned.status === 'existing') {
    out.success(`Access exists, nothing to create: ${describeAccess(planned)}.`);
  } else if (planned.status === 'eligible') {
    role = await activateEligibility(ctx, az, {
      check,
      principal,
      outcome: planned,
      activate: options.activate === true,
      justification: options.justification,
    });
  } else if (planned.status === 'planned') {
    const assign = () =>
      out.task(`Assigning ${choice.role.name} at ${v.scope} scope`, () =>
        createAssignment(az, {
          principal,
          choice,
          scope,
          subscription: account.subscriptionId,
          planned,
          tenant: subscription.tenantId,
        }),
      );
    role = await assign();
    // Refused until the user signs in with MFA: in the wizard, az's own re-sign-in now, then the write once more.
    if (role.signIn && (await reSignIn(ctx, az, role.signIn, subscription.tenantId))) role = await assign();
    if (role.status === 'created')
      out.success(`Created the role assignment ${role.id?.split('/').pop() ?? ''} at ${scope}`);
  }
  const { signIn, ...outcome } = role;
  result.roleAssignment = outcome;

  const written = await applyEnvFile(envPlan);
  result.envFile = {
    path: envFile.path,
    keys: envPlan.keys,
    removed: envPlan.merge.removed,
    status: written.status,
    apiKeysCommentedOut: envPlan.merge.commentedOut,
    gitignoreUpdated: written.gitignoreAdded ? (envPlan.gitignore.pattern ?? null) : null,
  };
  out.success(
    `${written.status === 'written' ? 'Wrote' : 'Checked'} ${envFile.path}: ${envPlan.keys.join(', ')}${written.status === 'unchanged' ? ' (unchanged)' : ''}`,
  );
  if (envPlan.merge.commentedOut.length > 0) out.success(`Commented out ${envPlan.merge.commentedOut.join(', ')}`);
  if (envPlan.merge.removed.length > 0)
    out.success(
      `Removed ${envPlan.merge.removed.join(', ')}, written by an earlier run (${v.api === 'v1' ? 'the v1 API takes no api version' : 'not for this identity'})`,
    );
  if (written.gitignoreAdded)
    out.success(`Added ${envPlan.gitignore.pattern} to ${written.gitignoreAdded} so git never publishes it`);

  if (role.status === 'eligible') {
    result.next = 'aoai-keyless verify --wait 10m';
    throw activationNeeded(check, principal, scope, envFile.path);
  }
  if (role.status === 'denied') {
    const lines = v.handoff === 'markdown' ? handoffMarkdown(handoff) : handoffText(handoff);
    result.next = 'aoai-keyless verify --wait 30m';
    throw new NotAllowedError(
      `You may not create role assignments at ${scope} (no Microsoft.Authorization/roleAssignments/write).`,
      {
        code: 'authorization-failed',
        hint: `${envFile.path} is written. Once the role is assigned, run \`aoai-keyless verify --wait 30m\` to finish.`,
        details: lines,
      },
    );
  }

  if (signIn) {
    // Not signed in with MFA: the role is not assigned yet. After the re-sign-in a re-run creates it (and
    // verifies); if someone else assigns it meanwhile, `verify --wait` finishes with the .env already written.
    result.next = 'npx aoai-keyless (again, after signing in with MFA)';
    throw new PrerequisiteError(signIn.message, {
      code: signIn.code,
      hint: `${signIn.hint ?? ''} ${envFile.path} is written: the re-run creates the role assignment and verifies it.`.trim(),
      details: signIn.details,
    });
  }

  // Proof.
  const verification = await runSetupVerification(ctx, {
    enabled: options.verify,
    principal,
    me,
    chat: chosenDeployment.chat,
    endpoint,
    deployment: deployment.name,
    apiVersion,
    api: v.api,
    scope: scopeValue,
    envFile: envFile.path,
    justAssigned: role.status === 'created' || role.status === 'activated',
    waitMs: v.waitMs ?? (role.status === 'created' || role.status === 'activated' ? DEFAULT_PROPAGATION_WAIT_MS : 0),
    roleAssignmentCommand: azCliCommand(handoff),
    // What the app will load from this .env, as verify does (dotenv never overrides the environment).
    credentialEnv: Object.fromEntries(
      values.filter(
        ([k]) => k === ENV_KEYS.tokenCredentials || (k === ENV_KEYS.clientId && principal.kind === 'signed-in'),
      ),
    ),
  });
  result.verify = verification.report;
  if (verification.error) throw verification.error;
  await recordAudience(ctx, options, result, scopeValue);

  result.ok = true;
  result.next = verification.report
    ? 'npx aoai-keyless snippet (client code that reads this .env and signs in with DefaultAzureCredential)'
    : 'npx aoai-keyless verify';
  summary(ctx, result, verification);
  return result;
}

/** verify found that the endpoint takes another token audience than the default: the app needs it too. */
async function recordAudience(
  ctx: Context,
  options: SetupOptions,
  result: SetupResult,
  scopeValue: string,
): Promise<void> {
  const learned = result.verify?.['audience'] as { tried: string; ok: boolean } | undefined;
  if (!learned?.ok || learned.tried === scopeValue || learned.tried === PUBLIC_CLOUD.scope || !result.envFile) return;
  const status = await recordEnvValue(options.envFile, ctx.cwd, ENV_KEYS.scope, learned.tried);
  if (!result.envFile.keys.includes(ENV_KEYS.scope)) result.envFile.keys.push(ENV_KEYS.scope);
  if (status === 'written') result.envFile.status = 'written';
  ctx.out.success(
    `Wrote ${ENV_KEYS.scope}=${learned.tried} to ${result.envFile.path}: the endpoint takes tokens for that audience`,
  );
}

function resolvedApiVersion(ctx: Context, v: Validated, dotenv: Record<string, string>): string {
  return (
    v.apiVersion ??
    fromSources({
      environment: ctx.env[ENV_KEYS.apiVersion],
      envFile: dotenv[ENV_KEYS.apiVersion] ?? dotenv[ENV_KEYS.version],
    })?.value ??
    DEFAULT_API_VERSION
  );
}

/**
 * A re-run the data plane can settle: non-interactive, the signed-in identity, the .env naming the endpoint and
 * deployment, and no flag that asks for something else (another role, principal, resource or deployment).
 */
function rerunCandidate(
  ctx: Context,
  v: Validated,
  o: SetupOptions,
  dotenv: Record<string, string>,
): RerunCandidate | undefined {
  if (
    ctx.interactive ||
    !o.verify ||
    o.dryRun ||
    o.activate ||
    o.removeApiKey ||
    v.role ||
    v.assignee ||
    v.managedIdentity ||
    v.scope !== 'resource'
  )
    return undefined;
  const endpoint = ctx.env[ENV_KEYS.endpoint] ?? dotenv[ENV_KEYS.endpoint];
  const deployment = ctx.env[ENV_KEYS.deployment] ?? dotenv[ENV_KEYS.deployment];
  if (!endpoint || !deployment || (v.deployment !== undefined && v.deployment !== deployment)) return undefined;
  // --resource must be the account the endpoint's host names (its custom subdomain).
  if (v.account && !endpointNames(endpoint, v.account.name)) return undefined;
  return {
    endpoint,
    deployment,
    apiVersion: resolvedApiVersion(ctx, v, dotenv),
    api: v.api,
    scope: tokenScope({ endpoint }),
  };
}

/** Does the endpoint name the account: its custom subdomain, or (a gateway serving several) its first path segment? */
function endpointNames(endpoint: string, account: string): boolean {
  try {
    const u = new URL(endpoint);
    const name = account.toLowerCase();
    return u.hostname.split('.')[0]?.toLowerCase() === name || u.pathname.split('/')[1]?.toLowerCase() === name;
  } catch {
    return false;
  }
}

/** What setup would write for a re-run candidate, for a developer's .env or another's. */
function rerunValues(c: RerunCandidate, developer: boolean): ReturnType<typeof setupEnvValues> {
  return setupEnvValues({
    endpoint: c.endpoint,
    deployment: c.deployment,
    api: c.api,
    apiVersion: c.apiVersion,
    clientId: undefined,
    scope: c.scope,
    defaultScope: PUBLIC_CLOUD.scope,
    developer,
  });
}

/** The cheap re-run: proven by a chat completion, the .env already as setup would write it. Nothing changes. */
async function provenRerun(
  ctx: Context,
  c: RerunCandidate,
  envFile: Awaited<ReturnType<typeof readEnvFile>>,
  result: SetupResult,
): Promise<boolean> {
  // Whether the .env is a developer's depends on who the proof shows: before it, one of the two must fit.
  const ci = isCI(ctx.env);
  const fits = (developer: boolean): boolean =>
    !mergeEnvFile({ existing: envFile.text, ...rerunValues(c, developer && !ci) }).changed;
  if (!(fits(true) || fits(false)) || findApiKeys(envFile.text).length > 0) return false;
  const proof = await proveConfiguredAccess(ctx, c);
  if (!proof) return false;
  const { report } = proof;
  const { set: values, removeOwned } = rerunValues(c, report.principal.type === 'User' && !ci);
  const plan = await planEnvFile(ctx, envFile, values, { removeApiKey: false, removeOwned });
  if (plan.merge.changed || plan.gitignore.pattern) return false;
  result.subscription = proof.subscription;
  result.principal = {
    objectId: report.principal.objectId ?? '',
    type: report.principal.type ?? 'User',
    name: report.principal.name,
    tenantId: report.principal.tenantId ?? proof.subscription?.tenantId ?? null,
  };
  result.deployment = { name: c.deployment, model: report.model, format: null };
  result.roleAssignment = {
    status: 'existing',
    checkedWith: 'data-plane',
    id: null,
    role: null,
    roleId: null,
    scope: null,
    accessFrom: [],
  };
  result.envFile = {
    path: envFile.path,
    keys: plan.keys,
    removed: [],
    status: 'unchanged',
    apiKeysCommentedOut: [],
    gitignoreUpdated: null,
  };
  result.verify = report;
  result.ok = true;
  result.next = 'npx aoai-keyless snippet (client code that reads this .env and signs in with DefaultAzureCredential)';
  ctx.out.success(
    `Already set up: ${c.deployment} at ${c.endpoint} answered a chat completion for ${report.principal.name ?? report.principal.objectId} (${report.model ?? 'model unknown'}). Nothing to look up, nothing to change.`,
  );
  ctx.out.detail(`.env:   ${envFile.path} (unchanged)`);
  ctx.out.detail(`Next:   ${result.next}`);
  return true;
}

function summary(ctx: Context, r: SetupResult, verification: SetupVerification): void {
  const { out } = ctx;
  out.heading('Done: keyless access to Azure OpenAI');
  out.detail(
    `Who:    ${r.principal?.name ?? r.principal?.objectId} (${r.principal?.type}, object id ${r.principal?.objectId})`,
  );
  const role = r.roleAssignment && 'role' in r.roleAssignment ? r.roleAssignment : null;
  out.detail(`Role:   ${role?.role} at ${role?.scope} (${role?.status})`);
  out.detail(`.env:   ${r.envFile?.path} (${r.envFile?.status}): ${r.envFile?.keys.join(', ')}`);
  if (verification.report?.ok)
    out.detail(
      `Proof:  a chat completion from ${verification.report.model ?? r.deployment?.name} via ${verification.report.credential ?? 'DefaultAzureCredential'}`,
    );
  else if (verification.skippedBecause) out.detail(`Proof:  skipped: ${verification.skippedBecause}`);
  out.detail(`Next:   ${r.next}`);
}
