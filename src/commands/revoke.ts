// `aoai-keyless revoke`: removes the role assignment setup made (same principal, role and scope), after
// a confirmation. It deletes only assignments that match exactly; one inherited from a parent scope, one
// through a group, or of another role is reported and left alone, and the report says whether access remains.
import { SCHEMA_VERSION, type RevokeDocument, type RoleAssignment } from '../contract/documents.ts';
import type { Context } from '../context.ts';
import { createAz } from '../az/az.ts';
import { PrerequisiteError, UsageError, type AppError } from '../errors.ts';
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
} from '../azure/roles.ts';
import type { ArmRoleAssignment } from '../azure/effective-access.ts';
import { readEnvFileForReading } from '../env-file/read.ts';
import { listAssignmentsFor, routesFrom } from '../steps/effective-access.ts';
import { accessFrom } from '../steps/role-assignment.ts';
import { parseTargetFlags, resolvePrincipal, resolveTarget, type TargetOptions } from '../steps/target.ts';
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
export type RevokeResult = RevokeDocument;

/** The shared shape, derived from the fields beside it: the id is the one assignment deleted (or matched). */
function roleAssignmentOf(r: RevokeResult): RoleAssignment {
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

export async function revokeCommand(ctx: Context, o: RevokeOptions): Promise<RevokeResult> {
  const flags = parseTargetFlags(o);
  const role = parseRole(o.role);
  const roles = role ? [role] : SETUP_ROLES;
  const level = parseScopeLevel(o.scope);
  const envFile = await readEnvFileForReading(o.envFile, ctx.cwd);
  const dotenv = envFile.values ?? {};
  const az = createAz(ctx.runner, { ci: isCI(ctx.env) });
  const shown = role ?? OPENAI_USER;
  const result: RevokeResult = {
    schemaVersion: SCHEMA_VERSION,
    ok: false,
    command: 'revoke',
    dryRun: o.dryRun === true,
    status: 'nothing-to-revoke',
    principal: null,
    role: { name: shown.name, id: shown.id },
    scope: null,
    matched: [],
    deleted: [],
    untouched: [],
    accessRemains: [],
    notChecked: [],
    // A getter, so it always says what the fields beside it say (JSON.stringify and spreads read its value).
    get roleAssignment(): RoleAssignment {
      return roleAssignmentOf(this);
    },
  };
  try {
    const target = await resolveTarget(ctx, az, flags, dotenv, { withDeployments: false });
    const principal = await resolvePrincipal(ctx, az, flags, target);
    result.principal = {
      objectId: principal.objectId,
      type: principal.type,
      name: principal.name,
      tenantId: target.subscription.tenantId,
      ...(principal.clientId ? { clientId: principal.clientId } : {}),
    };
    const scope = scopeFor(level, target.account);
    result.scope = scope;

    // Listed at the account: its own assignments, and those above it (the scope being revoked among them).
    const all = await ctx.out.task('Looking up role assignments', () =>
      listAssignmentsFor(az, principal.objectId, target.account.id),
    );
    const exact = all.filter(
      (a) =>
        a.principalId.toLowerCase() === principal.objectId &&
        a.scope.toLowerCase() === scope.toLowerCase() &&
        roles.some((r) => roleGuidOf(a.roleDefinitionId) === r.id),
    );
    result.matched = exact.map((a) => a.id);
    const routes = await routesFrom(
      az,
      all,
      {
        principalId: principal.objectId,
        scope: target.account.id,
        dataActions: [OPENAI_CHAT_ACTION, MAAS_CHAT_ACTION],
      },
      result.notChecked,
    );
    const others = routes.filter((r) => !exact.some((a) => a.id === r.assignmentId));
    result.untouched = others.map((r) => ({ id: r.assignmentId, scope: r.scope, role: r.roleName }));
    result.accessRemains = others.map(accessFrom);

    if (exact.length === 0) {
      ctx.out.success(
        `Nothing to revoke: ${principal.name ?? principal.objectId} has no "${roles.map((r) => r.name).join('" or "')}" assignment at ${scope}.`,
      );
      reportRemaining(ctx, result);
      result.ok = true;
      return result;
    }

    const chosen = await chooseAssignments(ctx, exact, o.assignmentId);
    const chosenRole = SETUP_ROLES.find((r) => r.id === roleGuidOf(chosen[0]?.roleDefinitionId ?? '')) ?? shown;
    result.role = { name: chosenRole.name, id: chosenRole.id };
    for (const a of chosen)
      ctx.out.info(
        `Role assignment ${a.id}\n  ${chosenRole.name} for ${principal.name ?? principal.objectId} (${principal.type}) at ${a.scope}`,
      );
    if (o.dryRun) {
      result.status = 'planned';
      ctx.out.info(`Dry run: would run az role assignment delete --ids ${chosen.map((a) => a.id).join(' ')}`);
      result.ok = true;
      return result;
    }
    const confirmed =
      o.yes === true ||
      (await ctx.prompter.confirm({
        message: `Delete ${chosen.length === 1 ? 'this role assignment' : `these ${chosen.length} role assignments`}?`,
        default: false,
      }));
    if (!confirmed) {
      if (!ctx.interactive) {
        throw new UsageError('revoke deletes a role assignment only when confirmed; nothing was deleted.', {
          code: 'missing-input',
          hint: 'Pass --yes to delete it without a prompt.',
        });
      }
      result.status = 'kept';
      ctx.out.info('Kept: nothing was deleted.');
      result.ok = true;
      return result;
    }
    await ctx.out
      .task('Deleting the role assignment', () =>
        az.roleAssignmentDelete(
          chosen.map((a) => a.id),
          { subscription: target.account.subscriptionId },
        ),
      )
      .catch((e: unknown) => {
        // A delete is a write: refused for MFA, the re-sign-in must name the tenant (MFA is per tenant), which
        // az's own command leaves out when its warning is hidden; the token of the first wave told us which.
        throw mfaWithTenant(e, target.subscription.tenantId);
      });
    result.deleted = chosen.map((a) => a.id);
    // The other exact matches (not chosen) still grant access too.
    result.accessRemains = [...routes.filter((r) => !result.deleted.includes(r.assignmentId)).map(accessFrom)];
    result.status = 'deleted';
    ctx.out.success(`Revoked "${chosenRole.name}" for ${principal.name ?? principal.objectId} at ${scope}.`);
    reportRemaining(ctx, result);
    result.ok = true;
    return result;
  } catch (e) {
    (e as AppError).result = result as unknown as Record<string, unknown>;
    throw e;
  }
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
function reportRemaining(ctx: Context, r: RevokeResult): void {
  for (const a of r.accessRemains) ctx.out.warn(`Access remains: ${a.description} (${a.assignmentId}): not touched.`);
  if (r.accessRemains.length === 0 && r.status === 'deleted')
    ctx.out.success('No other role assignment that could be read grants access to the models.');
  for (const what of r.notChecked) ctx.out.warn(`Not checked: ${what}.`);
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
