// `aoai-keyless revoke`: removes the role assignment setup made (same principal, role and scope), after
// a confirmation. It deletes only assignments that match exactly; one inherited from a parent scope, one
// through a group, or of another role is reported and left alone, and the report says whether access remains.
import { SCHEMA_VERSION, type RevokeDocument, type RoleAssignment } from '../contract/documents.ts';
import type { Context } from '../context.ts';
import { createAz, type Az } from '../az/az.ts';
import { PrerequisiteError, UsageError, withResult } from '../errors.ts';
import { withTenant } from '../az/re-sign-in.ts';
import {
  COGNITIVE_SERVICES_USER,
  MAAS_CHAT_ACTION,
  OPENAI_CHAT_ACTION,
  OPENAI_USER,
  parseRole,
  parseScopeLevel,
  roleGuidOf,
  scopeFor,
  type RoleDefinition,
  type ScopeLevel,
} from '../azure/roles.ts';
import type { AccessRoute, ArmRoleAssignment } from '../azure/effective-access.ts';
import { readEnvFileForReading } from '../env-file/read.ts';
import { listAssignmentsFor, routesFrom } from '../steps/effective-access.ts';
import { accessFrom, type AccessFrom } from '../steps/role-assignment.ts';
import {
  parseTargetFlags,
  principalStep,
  targetSteps,
  type TargetFlags,
  type TargetOptions,
  type TargetState,
} from '../steps/target.ts';
import {
  need,
  plannedLines,
  runSteps,
  startRun,
  type PipelineRun,
  type StepList,
  type StepRecord,
} from '../steps/pipeline.ts';
import { isCI } from '../env.ts';

export interface RevokeOptions extends TargetOptions {
  role?: string;
  scope?: string;
  envFile: string;
  /** The exact assignment to delete when several match. */
  assignmentId?: string;
  yes?: boolean;
  dryRun?: boolean;
}

/** revoke's --json document: src/contract/documents.ts. */
export type RevokeResult = RevokeDocument & { steps: StepRecord[] };

/** The shared shape, derived from the fields beside it: the id is the one assignment deleted (or matched). */
function roleAssignmentOf(r: Omit<RevokeResult, 'roleAssignment'>): RoleAssignment {
  const ids = r.deleted.length > 0 ? r.deleted : r.matched;
  return {
    id: ids.length === 1 ? (ids[0] ?? null) : null,
    role: r.role.name,
    roleId: r.role.id,
    scope: r.scope,
    status: r.status,
  };
}

/** Without --role: the roles setup assigns (by the model's format). */
const SETUP_ROLES: readonly RoleDefinition[] = [OPENAI_USER, COGNITIVE_SERVICES_USER];

interface RevokeState extends TargetState {
  scope?: string;
  /** The assignments at the exact principal, role and scope: the ones revoke may delete. */
  exact?: ArmRoleAssignment[];
  /** Every route to the models' data actions, the exact ones among them. */
  routes?: AccessRoute[];
  notChecked: string[];
  chosen?: ArmRoleAssignment[];
  chosenRole?: RoleDefinition;
  status: RevokeResult['status'];
  deleted: string[];
  /** Nothing to revoke, or kept at the confirmation: the remaining steps are skipped. */
  finished?: boolean;
}

type RevokeContext = Context & {
  az: Az;
  flags: TargetFlags;
  dotenv: Record<string, string>;
  options: RevokeOptions;
  roles: readonly RoleDefinition[];
  level: ScopeLevel;
};

export async function revokeCommand(ctx: Context, o: RevokeOptions): Promise<RevokeResult> {
  const flags = parseTargetFlags(o);
  const role = parseRole(o.role);
  const level = parseScopeLevel(o.scope);
  const envFile = await readEnvFileForReading(o.envFile, ctx.cwd);
  const az = createAz(ctx.runner, { ci: isCI(ctx.env) });
  const revoke: RevokeContext = {
    ...ctx,
    az,
    flags,
    dotenv: envFile.values ?? {},
    options: o,
    roles: role ? [role] : SETUP_ROLES,
    level,
  };
  const run = startRun<RevokeState>({ status: 'nothing-to-revoke', deleted: [], notChecked: [] });
  const shown = role ?? OPENAI_USER;
  try {
    await runSteps(revoke, REVOKE_STEPS, run, {
      dryRun: o.dryRun === true,
      now: ctx.now,
      finished: (s) => s.finished === true,
    });
  } catch (e) {
    throw withResult(e, revokeDocument(run, shown, level, o.dryRun === true, false));
  }
  for (const line of plannedLines(run)) ctx.out.info(`Dry run: would run ${line}`);
  return revokeDocument(run, shown, level, o.dryRun === true, true);
}

const REVOKE_STEPS: StepList<RevokeContext, RevokeState> = [
  ...targetSteps({ withDeployments: false }),
  principalStep(),
  {
    id: 'role-assignments',
    title: 'Look up the role assignments',
    run: lookUpAssignments,
  },
  {
    id: 'choose-assignment',
    title: 'Choose the assignment to delete',
    async run(ctx, s) {
      const chosen = await chooseAssignments(ctx, need(s.exact, 'assignments'), ctx.options.assignmentId);
      const shown = ctx.roles.length === 1 && ctx.roles[0] ? ctx.roles[0] : OPENAI_USER;
      const chosenRole = SETUP_ROLES.find((r) => r.id === roleGuidOf(chosen[0]?.roleDefinitionId ?? '')) ?? shown;
      const principal = need(s.principal, 'principal');
      for (const a of chosen)
        ctx.out.info(
          `Role assignment ${a.id}\n  ${chosenRole.name} for ${principal.name ?? principal.objectId} (${principal.type}) at ${a.scope}`,
        );
      return { chosen, chosenRole };
    },
  },
  {
    id: 'confirm',
    title: 'Confirm the deletion',
    when: (ctx) => ctx.options.dryRun !== true,
    run: confirmDeletion,
  },
  {
    id: 'role-assignment-delete',
    title: 'Delete the role assignment',
    change: true,
    plan: (_ctx, s) => ({
      lines: [
        `az role assignment delete --ids ${need(s.chosen, 'assignment')
          .map((a) => a.id)
          .join(' ')}`,
      ],
      patch: { status: 'planned' },
    }),
    run: deleteAssignments,
  },
];

/** Listed at the account: its own assignments, and those above it (the scope being revoked among them). */
async function lookUpAssignments(ctx: RevokeContext, s: Readonly<RevokeState>): Promise<Partial<RevokeState>> {
  const [principal, account] = [need(s.principal, 'principal'), need(s.account, 'resource')];
  const scope = scopeFor(ctx.level, account);
  const all = await ctx.out.task('Looking up role assignments', () =>
    listAssignmentsFor(ctx.az, principal.objectId, account.id),
  );
  const exact = all.filter(
    (a) =>
      a.principalId.toLowerCase() === principal.objectId &&
      a.scope.toLowerCase() === scope.toLowerCase() &&
      ctx.roles.some((r) => roleGuidOf(a.roleDefinitionId) === r.id),
  );
  const notChecked = [...s.notChecked];
  const routes = await routesFrom(
    ctx.az,
    all,
    { principalId: principal.objectId, scope: account.id, dataActions: [OPENAI_CHAT_ACTION, MAAS_CHAT_ACTION] },
    notChecked,
  );
  const found = { scope, exact, routes, notChecked };
  if (exact.length > 0) return found;
  ctx.out.success(
    `Nothing to revoke: ${principal.name ?? principal.objectId} has no "${ctx.roles.map((r) => r.name).join('" or "')}" assignment at ${scope}.`,
  );
  reportRemaining(ctx, { ...s, ...found });
  return { ...found, finished: true };
}

async function confirmDeletion(ctx: RevokeContext, s: Readonly<RevokeState>): Promise<Partial<RevokeState>> {
  const chosen = need(s.chosen, 'assignment');
  const confirmed =
    ctx.options.yes === true ||
    (await ctx.prompter.confirm({
      message: `Delete ${chosen.length === 1 ? 'this role assignment' : `these ${chosen.length} role assignments`}?`,
      default: false,
    }));
  if (confirmed) return {};
  if (!ctx.interactive) {
    throw new UsageError('revoke deletes a role assignment only when confirmed; nothing was deleted.', {
      code: 'missing-input',
      hint: 'Pass --yes to delete it without a prompt.',
    });
  }
  ctx.out.info('Kept: nothing was deleted.');
  return { status: 'kept', finished: true };
}

async function deleteAssignments(ctx: RevokeContext, s: Readonly<RevokeState>): Promise<Partial<RevokeState>> {
  const [chosen, account] = [need(s.chosen, 'assignment'), need(s.account, 'resource')];
  const tenant = need(s.subscription, 'subscription').tenantId;
  await ctx.out
    .task('Deleting the role assignment', () =>
      ctx.az.roleAssignmentDelete(
        chosen.map((a) => a.id),
        { subscription: account.subscriptionId },
      ),
    )
    .catch((e: unknown) => {
      // A delete is a write: refused for MFA, the re-sign-in must name the tenant (MFA is per tenant), which
      // az's own command leaves out when its warning is hidden; the token of the first wave told us which.
      throw mfaWithTenant(e, tenant);
    });
  const done: Partial<RevokeState> = { deleted: chosen.map((a) => a.id), status: 'deleted' };
  const principal = need(s.principal, 'principal');
  ctx.out.success(
    `Revoked "${need(s.chosenRole, 'role').name}" for ${principal.name ?? principal.objectId} at ${s.scope}.`,
  );
  reportRemaining(ctx, { ...s, ...done });
  return done;
}

/** The --json document, read from the state. */
function revokeDocument(
  run: PipelineRun<RevokeState>,
  shown: RoleDefinition,
  level: ScopeLevel,
  dryRun: boolean,
  ok: boolean,
): RevokeResult {
  const s = run.state;
  const p = s.principal;
  const role = s.chosenRole ?? shown;
  const exact = s.exact ?? [];
  const others = (s.routes ?? []).filter((r) => !exact.some((a) => a.id === r.assignmentId));
  const doc: Omit<RevokeResult, 'roleAssignment'> = {
    schemaVersion: SCHEMA_VERSION,
    ok,
    command: 'revoke',
    dryRun,
    status: s.status,
    principal: p
      ? {
          objectId: p.objectId,
          type: p.type,
          name: p.name,
          tenantId: s.subscription?.tenantId ?? null,
          ...(p.clientId ? { clientId: p.clientId } : {}),
        }
      : null,
    role: { name: role.name, id: role.id },
    // Known once the principal is: the scope being revoked, whether or not the listing got through.
    scope: s.principal && s.account ? scopeFor(level, s.account) : null,
    matched: exact.map((a) => a.id),
    deleted: s.deleted,
    untouched: others.map((r) => ({ id: r.assignmentId, scope: r.scope, role: r.roleName })),
    accessRemains: remaining(s),
    notChecked: s.notChecked,
    steps: run.steps,
  };
  return { ...doc, roleAssignment: roleAssignmentOf(doc) };
}

/** Where access comes from after the run: the routes not deleted (the other exact matches still grant it too). */
function remaining(s: Readonly<RevokeState>): AccessFrom[] {
  const exact = s.exact ?? [];
  const routes = s.routes ?? [];
  if (s.status === 'deleted') return routes.filter((r) => !s.deleted.includes(r.assignmentId)).map(accessFrom);
  return routes.filter((r) => !exact.some((a) => a.id === r.assignmentId)).map(accessFrom);
}

async function chooseAssignments(
  ctx: Context,
  exact: ArmRoleAssignment[],
  assignmentId: string | undefined,
): Promise<ArmRoleAssignment[]> {
  if (assignmentId !== undefined) {
    const a = exact.find(
      (x) =>
        x.id.toLowerCase() === assignmentId.toLowerCase() ||
        (x.id.split('/').pop() ?? '').toLowerCase() === assignmentId.toLowerCase(),
    );
    if (!a)
      throw new UsageError(`--assignment-id ${assignmentId} is not one of the matching assignments.`, {
        code: 'bad-value',
        details: exact.map((x) => x.id),
      });
    return [a];
  }
  if (exact.length === 1) return exact;
  // Several exact matches (assignments with conditions, say): never guess which.
  const picked = await ctx.prompter.select({
    message: `${exact.length} assignments match; which one should go?`,
    what: `One of ${exact.length} matching role assignments`,
    flag: '--assignment-id',
    choices: exact.map((a) => ({ name: a.id, value: a.id })),
  });
  return exact.filter((a) => a.id === picked);
}

/** The truth after a revoke: access that remains, and through what (a group, a parent scope), or that none could be read. */
function reportRemaining(ctx: Pick<Context, 'out'>, s: Readonly<RevokeState>): void {
  const remains = remaining(s);
  for (const a of remains) ctx.out.warn(`Access remains: ${a.description} (${a.assignmentId}): not touched.`);
  if (remains.length === 0 && s.status === 'deleted')
    ctx.out.success('No other role assignment that could be read grants access to the models.');
  for (const what of s.notChecked) ctx.out.warn(`Not checked: ${what}.`);
}

/** An MFA refusal with the tenant in its `az login` line; any other error as it is. */
function mfaWithTenant(e: unknown, tenant: string): unknown {
  if (!(e instanceof PrerequisiteError) || e.code !== 'mfa-required' || !tenant) return e;
  return new PrerequisiteError(e.message, {
    code: e.code,
    hint: e.hint,
    details: withTenant(e.details, tenant),
    cause: e,
  });
}
