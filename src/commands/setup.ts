// `aoai-keyless setup`: the wizard. Every question is asked, and every lookup made, before the first
// change; then the role assignment, then the .env, then the proof by a chat completion.
// Independent az calls run together: the sign-in check, the account and its deployments are one wave.
import type { Context } from '../context.ts';
import { createAz, type Az } from '../az/az.ts';
import { NotAllowedError, PrerequisiteError, UsageError, type AppError } from '../errors.ts';
import { checkApiVersion, checkDeploymentName } from '../azure/names.ts';
import { parseRole, parseScopeLevel, scopeFor, type RoleDefinition, type ScopeLevel } from '../azure/roles.ts';
import { deploymentLabel } from '../azure/openai-account.ts';
import { handoffMarkdown, handoffText, azCliCommand, type HandoffRequest } from '../azure/handoff.ts';
import { fromSources } from '../resolve.ts';
import { parseEnvFile, envValues } from '../env-file/parse.ts';
import { readEnvFile } from '../env-file/write.ts';
import { PUBLIC_CLOUD, tokenScope } from '../entra/clouds.ts';
import type { ChosenSubscription } from '../steps/subscription.ts';
import { chooseDeployment } from '../steps/deployment.ts';
import { parseTargetFlags, resolvePrincipal, resolveTarget, sourceWord, type TargetFlags } from '../steps/target.ts';
import { createAssignment, describeExisting, existingAssignment, type RoleAssignmentOutcome } from '../steps/role-assignment.ts';
import { reSignIn } from '../steps/sign-in.ts';
import { ENV_KEYS, applyEnvFile, planEnvFile } from '../steps/env-file.ts';
import { runSetupVerification, type SetupVerification } from '../steps/verify-access.ts';
import { parseDuration } from '../duration.ts';
import { DEFAULT_API_VERSION } from '../azure/api-version.ts';
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
}

export interface SetupResult {
  ok: boolean;
  command: 'setup';
  dryRun: boolean;
  subscription: ChosenSubscription | null;
  principal: { objectId: string; type: string; name: string | null; clientId?: string } | null;
  resource: { id: string; name: string; resourceGroup: string; kind: string; location: string; endpoint: string } | null;
  deployment: { name: string; model: string | null } | null;
  roleAssignment: RoleAssignmentOutcome | null;
  envFile: { path: string; keys: string[]; status: 'written' | 'unchanged' | 'planned'; apiKeysCommentedOut: string[]; gitignoreUpdated: string | null } | null;
  verify: SetupVerification['report'] | null;
  plan?: { commands: string[]; envFile: string[] };
  next?: string;
}

interface Validated extends TargetFlags {
  deployment: string | undefined;
  role: RoleDefinition;
  scope: ScopeLevel;
  apiVersion: string | undefined;
  waitMs: number | undefined;
  handoff: 'text' | 'markdown';
  api: 'classic' | 'v1';
}

/** Every flag is checked before any az call: a bad value is exit 2 and nothing runs. */
/** Every flag is checked before any az call: a bad value is exit 2 and nothing runs. */
export function validateSetupOptions(o: SetupOptions): Validated {
  if (o.handoff !== undefined && !['text', 'markdown'].includes(o.handoff)) {
    throw new UsageError(`--handoff '${o.handoff}' is not one of text, markdown.`, { code: 'bad-value' });
  }
  if (o.api !== undefined && !['classic', 'v1'].includes(o.api)) {
    throw new UsageError(`--api '${o.api}' is not one of classic, v1.`, { code: 'bad-value' });
  }
  return {
    ...parseTargetFlags(o),
    deployment: o.deployment === undefined ? undefined : checkDeploymentName(o.deployment),
    role: parseRole(o.role),
    scope: parseScopeLevel(o.scope),
    apiVersion: o.apiVersion === undefined ? undefined : checkApiVersion(o.apiVersion),
    waitMs: o.wait === undefined ? undefined : parseDuration(o.wait, '--wait'),
    handoff: o.handoff === 'markdown' ? 'markdown' : 'text',
    api: o.api === 'v1' ? 'v1' : 'classic',
  };
}

export async function setupCommand(ctx: Context, options: SetupOptions): Promise<SetupResult> {
  const v = validateSetupOptions(options);
  const envFile = await readEnvFile(options.envFile, ctx.cwd);
  const dotenv = envValues(parseEnvFile(envFile.text ?? ''));
  const ci = isCI(ctx.env);
  const az = createAz(ctx.runner, { ci });
  const result: SetupResult = {
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
  const target = await resolveTarget(ctx, az, v, dotenv, { withDeployments: true, roleScope: v.scope, onSubscription: (sub) => (result.subscription = sub) });
  const { account, endpoint, subscription, me } = target;
  result.resource = { id: account.id, name: account.name, resourceGroup: account.resourceGroup, kind: account.kind, location: account.location, endpoint };

  // Deployment.
  const deployments = await (target.deployments ?? out.task('Listing deployments', () => az.deploymentList({ name: account.name, resourceGroup: account.resourceGroup }, { subscription: account.subscriptionId })));
  const requestedDeployment = fromSources({ flag: v.deployment, environment: ctx.env[ENV_KEYS.deployment], envFile: dotenv[ENV_KEYS.deployment] });
  const chosenDeployment = await chooseDeployment(ctx, deployments, requestedDeployment, account.name);
  const deployment = chosenDeployment.deployment;
  result.deployment = { name: deployment.name, model: deployment.model ?? null };
  if (chosenDeployment.source !== 'prompt') out.success(`Deployment ${deploymentLabel(deployment)}${chosenDeployment.source === 'flag' ? '' : ` · ${sourceWord(chosenDeployment.source)}`}`);
  if (!chosenDeployment.chat) out.warn(`${deployment.name} is not a chat model: the role and .env work for it, but verification (a chat completion) will be skipped.`);

  // Principal.
  const principal = await resolvePrincipal(ctx, az, v, target);
  result.principal = { objectId: principal.objectId, type: principal.type, name: principal.name, ...(principal.clientId ? { clientId: principal.clientId } : {}) };

  // Role assignment: look before writing.
  const scope = scopeFor(v.scope, account);
  const existing = await out.task(`Checking ${v.role.name} for ${principal.name ?? principal.objectId}`, () => existingAssignment(az, { principal, role: v.role, scope, subscription: account.subscriptionId }, target.roleAssignments));
  const handoff: HandoffRequest = { principalId: principal.objectId, principalType: principal.type, principalName: principal.name ?? undefined, role: v.role, scope, tenantId: subscription.tenantId, account: { id: account.id, name: account.name, endpoint } };

  // .env plan.
  const apiVersion = v.apiVersion ?? fromSources({ environment: ctx.env[ENV_KEYS.apiVersion], envFile: dotenv[ENV_KEYS.apiVersion] ?? dotenv[ENV_KEYS.version] })?.value ?? DEFAULT_API_VERSION;
  const scopeValue = tokenScope({ endpoint });
  const values: Array<[string, string]> = [
    [ENV_KEYS.endpoint, endpoint],
    [ENV_KEYS.deployment, deployment.name],
    [ENV_KEYS.version, apiVersion],
    [ENV_KEYS.apiVersion, apiVersion],
  ];
  if (principal.clientId) values.push([ENV_KEYS.clientId, principal.clientId]);
  if (scopeValue !== PUBLIC_CLOUD.scope) values.push([ENV_KEYS.scope, scopeValue]);
  const envPlan = await planEnvFile(ctx, envFile, values, { removeApiKey: options.removeApiKey === true });

  if (options.dryRun) {
    result.roleAssignment = existing ? describeExisting(existing, v.role, scope) : { id: null, role: v.role.name, roleId: v.role.id, scope, status: 'planned' };
    result.envFile = { path: envFile.path, keys: envPlan.keys, status: 'planned', apiKeysCommentedOut: envPlan.merge.commentedOut, gitignoreUpdated: envPlan.gitignore.pattern ?? null };
    result.plan = { commands: existing ? [] : [azCliCommand(handoff)], envFile: values.map(([k, val]) => `${k}=${val}`) };
    out.heading('Dry run: nothing was changed. The plan:');
    if (existing) out.detail(`Role assignment: already in place (${existing.scope}).`);
    else out.detail(`Run: ${azCliCommand(handoff)}`);
    out.detail(`Write to ${envFile.path}${envPlan.merge.changed ? '' : ' (already up to date)'}:`);
    for (const line of result.plan.envFile) out.detail(`  ${line}`);
    for (const k of envPlan.merge.commentedOut) out.detail(`  comment out ${k}`);
    if (envPlan.gitignore.pattern) out.detail(`Add ${envPlan.gitignore.pattern} to ${envPlan.gitignore.repoRoot}/.gitignore`);
    result.ok = true;
    return result;
  }

  // Changes: the role assignment, then the .env.
  let role: RoleAssignmentOutcome;
  if (existing) {
    role = describeExisting(existing, v.role, scope);
    out.success(`${v.role.name} is already assigned${role.inheritedFrom ? ` (inherited from ${role.inheritedFrom})` : ''}: nothing to create.`);
  } else {
    const assign = () => out.task(`Assigning ${v.role.name} at ${v.scope} scope`, () => createAssignment(az, { principal, role: v.role, scope, subscription: account.subscriptionId, tenant: subscription.tenantId }));
    role = await assign();
    // Refused until the user signs in with MFA: in the wizard, az's own re-sign-in now, then the write once more.
    if (role.signIn && (await reSignIn(ctx, az, role.signIn, subscription.tenantId))) role = await assign();
    if (role.status === 'created') out.success(`Created the role assignment ${role.id?.split('/').pop() ?? ''} at ${scope}`);
  }
  const { signIn, ...outcome } = role;
  result.roleAssignment = outcome;

  const written = await applyEnvFile(envPlan);
  result.envFile = { path: envFile.path, keys: envPlan.keys, status: written.status, apiKeysCommentedOut: envPlan.merge.commentedOut, gitignoreUpdated: written.gitignoreAdded ? envPlan.gitignore.pattern ?? null : null };
  out.success(`${written.status === 'written' ? 'Wrote' : 'Checked'} ${envFile.path}: ${envPlan.keys.join(', ')}${written.status === 'unchanged' ? ' (unchanged)' : ''}`);
  if (envPlan.merge.commentedOut.length > 0) out.success(`Commented out ${envPlan.merge.commentedOut.join(', ')}`);
  if (written.gitignoreAdded) out.success(`Added ${envPlan.gitignore.pattern} to ${written.gitignoreAdded} so git never publishes it`);

  if (role.status === 'denied') {
    const lines = v.handoff === 'markdown' ? handoffMarkdown(handoff) : handoffText(handoff);
    result.next = 'aoai-keyless verify --wait 30m';
    throw new NotAllowedError(`You may not create role assignments at ${scope} (no Microsoft.Authorization/roleAssignments/write).`, {
      code: 'authorization-failed',
      hint: `${envFile.path} is written. Once the role is assigned, run \`aoai-keyless verify --wait 30m\` to finish.`,
      details: lines,
    });
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
    justAssigned: role.status === 'created',
    waitMs: v.waitMs ?? (role.status === 'created' ? DEFAULT_PROPAGATION_WAIT_MS : 0),
    roleAssignmentCommand: azCliCommand(handoff),
    credentialEnv: principal.clientId && principal.kind === 'signed-in' ? { [ENV_KEYS.clientId]: principal.clientId } : {},
  });
  result.verify = verification.report;
  if (verification.error) throw verification.error;

  result.ok = true;
  result.next = verification.report ? 'npx aoai-keyless snippet (client code that reads this .env and signs in with DefaultAzureCredential)' : 'npx aoai-keyless verify';
  summary(ctx, result, verification);
  return result;
}

function summary(ctx: Context, r: SetupResult, verification: SetupVerification): void {
  const { out } = ctx;
  out.heading('Done: keyless access to Azure OpenAI');
  out.detail(`Who:    ${r.principal?.name ?? r.principal?.objectId} (${r.principal?.type}, object id ${r.principal?.objectId})`);
  out.detail(`Role:   ${r.roleAssignment?.role} at ${r.roleAssignment?.scope} (${r.roleAssignment?.status})`);
  out.detail(`.env:   ${r.envFile?.path} (${r.envFile?.status}): ${r.envFile?.keys.join(', ')}`);
  if (verification.report?.ok) out.detail(`Proof:  a chat completion from ${verification.report.model ?? r.deployment?.name} via ${verification.report.credential ?? 'DefaultAzureCredential'}`);
  else if (verification.skippedBecause) out.detail(`Proof:  skipped: ${verification.skippedBecause}`);
  out.detail(`Next:   ${r.next}`);
}
