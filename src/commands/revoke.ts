// `aoai-keyless revoke`: removes the role assignment setup made (same principal, role and scope), after
// a confirmation. It deletes only assignments that match exactly; one inherited from a parent scope, or
// of another role, is reported and left alone.
import type { Context } from '../context.ts';
import { createAz, type RoleAssignment } from '../az/az.ts';
import { UsageError, type AppError } from '../errors.ts';
import { parseRole, parseScopeLevel, roleGuidOf, scopeFor, scopeIncludes } from '../azure/roles.ts';
import { readEnvFileForReading } from '../env-file/read.ts';
import { listAt } from '../steps/role-assignment.ts';
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

export interface RevokeResult {
  ok: boolean;
  command: 'revoke';
  status: 'deleted' | 'nothing-to-revoke' | 'planned' | 'kept';
  principal: { objectId: string; type: string; name: string | null } | null;
  role: { name: string; id: string };
  scope: string | null;
  matched: string[];
  deleted: string[];
  /** Assignments that still grant access from a parent scope or a broader role: never touched. */
  untouched: Array<{ id: string; scope: string; role: string | undefined }>;
}

export async function revokeCommand(ctx: Context, o: RevokeOptions): Promise<RevokeResult> {
  const flags = parseTargetFlags(o);
  const role = parseRole(o.role);
  const level = parseScopeLevel(o.scope);
  const envFile = await readEnvFileForReading(o.envFile, ctx.cwd);
  const dotenv = envFile.values ?? {};
  const az = createAz(ctx.runner, { ci: isCI(ctx.env) });
  const result: RevokeResult = { ok: false, command: 'revoke', status: 'nothing-to-revoke', principal: null, role: { name: role.name, id: role.id }, scope: null, matched: [], deleted: [], untouched: [] };
  try {
    const target = await resolveTarget(ctx, az, flags, dotenv, { withDeployments: false, roleScope: level });
    const principal = await resolvePrincipal(ctx, az, flags, target);
    result.principal = { objectId: principal.objectId, type: principal.type, name: principal.name };
    const scope = scopeFor(level, target.account);
    result.scope = scope;

    const all = await ctx.out.task('Looking up role assignments', () => listAt(az, scope, target.account.subscriptionId, target.roleAssignments));
    const mine = all.filter((a) => a.principalId.toLowerCase() === principal.objectId);
    const exact = mine.filter((a) => a.scope.toLowerCase() === scope.toLowerCase() && roleGuidOf(a.roleDefinitionId) === role.id);
    result.matched = exact.map((a) => a.id);
    result.untouched = mine.filter((a) => !exact.includes(a) && scopeIncludes(a.scope, scope)).map((a) => ({ id: a.id, scope: a.scope, role: a.roleDefinitionName }));

    if (exact.length === 0) {
      ctx.out.success(`Nothing to revoke: ${principal.name ?? principal.objectId} has no "${role.name}" assignment at ${scope}.`);
      reportUntouched(ctx, result);
      result.ok = true;
      return result;
    }

    const chosen = await chooseAssignments(ctx, exact, o.assignmentId);
    for (const a of chosen) ctx.out.info(`Role assignment ${a.id}\n  ${role.name} for ${principal.name ?? principal.objectId} (${principal.type}) at ${a.scope}`);
    if (o.dryRun) {
      result.status = 'planned';
      ctx.out.info(`Dry run: would run az role assignment delete --ids ${chosen.map((a) => a.id).join(' ')}`);
      result.ok = true;
      return result;
    }
    const confirmed = o.yes === true || (await ctx.prompter.confirm({ message: `Delete ${chosen.length === 1 ? 'this role assignment' : `these ${chosen.length} role assignments`}?`, default: false }));
    if (!confirmed) {
      if (!ctx.interactive) {
        throw new UsageError('revoke deletes a role assignment only when confirmed; nothing was deleted.', { code: 'missing-input', hint: 'Pass --yes to delete it without a prompt.' });
      }
      result.status = 'kept';
      ctx.out.info('Kept: nothing was deleted.');
      result.ok = true;
      return result;
    }
    await ctx.out.task('Deleting the role assignment', () => az.roleAssignmentDelete(chosen.map((a) => a.id), { subscription: target.account.subscriptionId }));
    result.deleted = chosen.map((a) => a.id);
    result.status = 'deleted';
    ctx.out.success(`Revoked "${role.name}" for ${principal.name ?? principal.objectId} at ${scope}.`);
    reportUntouched(ctx, result);
    result.ok = true;
    return result;
  } catch (e) {
    (e as AppError).result = result as unknown as Record<string, unknown>;
    throw e;
  }
}

async function chooseAssignments(ctx: Context, exact: RoleAssignment[], assignmentId: string | undefined): Promise<RoleAssignment[]> {
  if (assignmentId !== undefined) {
    const a = exact.find((x) => x.id.toLowerCase() === assignmentId.toLowerCase() || x.name.toLowerCase() === assignmentId.toLowerCase());
    if (!a) throw new UsageError(`--assignment-id ${assignmentId} is not one of the matching assignments.`, { code: 'bad-value', details: exact.map((x) => x.id) });
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

function reportUntouched(ctx: Context, r: RevokeResult): void {
  for (const u of r.untouched) ctx.out.warn(`Access also comes from ${u.role ?? 'another role'} at ${u.scope} (${u.id}): not touched.`);
}
