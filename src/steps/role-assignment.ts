// The role assignment: look first (at the scope and above), create only when nothing covers it. A re-run
// therefore makes no write call, which also means a user granted the role by an admin, who may not
// write role assignments, gets "existing" rather than a 403.
import type { Az, RoleAssignment } from '../az/az.ts';
import { NotAllowedError } from '../errors.ts';
import { roleCovers, scopeIncludes, type RoleDefinition } from '../azure/roles.ts';
import type { Principal } from './principal.ts';
import type { PrefetchedAssignments } from './target.ts';

export type RoleAssignmentStatus = 'created' | 'existing' | 'planned' | 'denied';

export interface RoleAssignmentOutcome {
  id: string | null;
  role: string;
  roleId: string;
  scope: string;
  status: RoleAssignmentStatus;
  /** Set when an assignment at a parent scope (or a broader role) already grants access. */
  inheritedFrom?: string;
  heldRole?: string;
}

/** An assignment of this principal that grants `role` at `scope`, directly or inherited. */
export function findCovering(assignments: readonly RoleAssignment[], principalId: string, role: RoleDefinition, scope: string): RoleAssignment | undefined {
  const mine = assignments.filter(
    (a) => a.principalId.toLowerCase() === principalId.toLowerCase() && roleCovers(a.roleDefinitionId, role) && scopeIncludes(a.scope, scope),
  );
  // Prefer the exact one: it is what `revoke` would remove.
  return mine.find((a) => a.scope.toLowerCase() === scope.toLowerCase() && roleCovers(a.roleDefinitionId, role)) ?? mine[0];
}

export async function existingAssignment(
  az: Az,
  p: { principal: Principal; role: RoleDefinition; scope: string; subscription: string },
  prefetched?: PrefetchedAssignments,
): Promise<RoleAssignment | undefined> {
  // Listed without --role so a broader data-plane role counts too, and without --assignee (Graph).
  const all = await listAt(az, p.scope, p.subscription, prefetched);
  return findCovering(all, p.principal.objectId, p.role, p.scope);
}

/** The assignments at `scope` and above: the first wave's list when it was for this scope, else a new call. */
export function listAt(az: Az, scope: string, subscription: string, prefetched?: PrefetchedAssignments): Promise<RoleAssignment[]> {
  if (prefetched && prefetched.scope.toLowerCase() === scope.toLowerCase()) return prefetched.list;
  return az.roleAssignmentList({ scope, includeInherited: true }, { subscription });
}

export function describeExisting(a: RoleAssignment, role: RoleDefinition, scope: string): RoleAssignmentOutcome {
  const inherited = a.scope.toLowerCase() !== scope.toLowerCase();
  return {
    id: a.id,
    role: role.name,
    roleId: role.id,
    scope,
    status: 'existing',
    ...(inherited ? { inheritedFrom: a.scope } : {}),
    ...(a.roleDefinitionName && a.roleDefinitionName !== role.name ? { heldRole: a.roleDefinitionName } : {}),
  };
}

export async function createAssignment(
  az: Az,
  p: { principal: Principal; role: RoleDefinition; scope: string; subscription: string },
): Promise<RoleAssignmentOutcome> {
  try {
    const a = await az.roleAssignmentCreate(
      { objectId: p.principal.objectId, principalType: p.principal.type, role: p.role.id, scope: p.scope },
      { subscription: p.subscription },
    );
    return { id: a.id, role: p.role.name, roleId: p.role.id, scope: p.scope, status: 'created' };
  } catch (e) {
    if (e instanceof NotAllowedError) return { id: null, role: p.role.name, roleId: p.role.id, scope: p.scope, status: 'denied' };
    throw e;
  }
}

/**
 * Look, then create only when nothing covers it (planned on a dry run): the whole role step in one call,
 * for commands other than setup (ci github). The rules stay here, so a change to how existing access is
 * found applies to every command.
 */
export async function ensureRoleAssignment(
  az: Az,
  p: { principal: Principal; role: RoleDefinition; scope: string; subscription: string },
  opts: { dryRun: boolean; prefetched?: PrefetchedAssignments | undefined },
): Promise<RoleAssignmentOutcome> {
  const existing = await existingAssignment(az, p, opts.prefetched);
  if (existing) return describeExisting(existing, p.role, p.scope);
  if (opts.dryRun) return { id: null, role: p.role.name, roleId: p.role.id, scope: p.scope, status: 'planned' };
  return createAssignment(az, p);
}
