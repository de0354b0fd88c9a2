// The role assignment: look first (at the scope and above), create only when nothing covers it. A re-run
// therefore makes no write call, which also means a user granted the role by an admin, who may not
// write role assignments, gets "existing" rather than a 403.
import type { Az, RoleAssignment } from '../az/az.ts';
import { InternalError, NotAllowedError, PrerequisiteError } from '../errors.ts';
import { roleCovers, roleGuidOf, scopeIncludes, type RoleDefinition } from '../azure/roles.ts';
import type { Principal } from './principal.ts';
import type { PrefetchedAssignments } from './target.ts';

export type RoleAssignmentStatus = 'created' | 'existing' | 'planned' | 'denied' | 'mfa-required';

export interface RoleAssignmentOutcome {
  id: string | null;
  role: string;
  roleId: string;
  scope: string;
  status: RoleAssignmentStatus;
  /** Set when an assignment at a parent scope (or a broader role) already grants access. */
  inheritedFrom?: string;
  heldRole?: string;
  /** Set with status 'mfa-required': the re-sign-in az asks for before Resource Manager accepts the write. */
  signIn?: PrerequisiteError;
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

/** Is `a` this principal's assignment of this role at this scope? */
function isFor(a: RoleAssignment, p: { principal: Principal; role: RoleDefinition; scope: string }): boolean {
  return a.principalId.toLowerCase() === p.principal.objectId.toLowerCase() && roleGuidOf(a.roleDefinitionId) === p.role.id.toLowerCase() && a.scope.toLowerCase() === p.scope.toLowerCase();
}

/**
 * On a 409 RoleAssignmentExists az answers with the first assignment of the role at the scope, re-listed without
 * the assignee when given --assignee-object-id (role/custom.py create_role_assignment): possibly another
 * principal's. Ours is then looked up by object id, so `revoke` later removes ours and no one else's.
 */
async function ownExisting(az: Az, p: { principal: Principal; role: RoleDefinition; scope: string; subscription: string }): Promise<RoleAssignmentOutcome> {
  const list = await az.roleAssignmentList({ scope: p.scope, includeInherited: false }, { subscription: p.subscription });
  const mine = list.find((x) => isFor(x, p));
  if (!mine) throw new InternalError(`\`az role assignment create\` answered with another principal's assignment (${list.length} at ${p.scope}), and none is ${p.principal.objectId}'s.`, { code: 'az-output' });
  return describeExisting(mine, p.role, p.scope);
}

export async function createAssignment(
  az: Az,
  p: { principal: Principal; role: RoleDefinition; scope: string; subscription: string; tenant?: string | undefined },
): Promise<RoleAssignmentOutcome> {
  const planned = { id: null, role: p.role.name, roleId: p.role.id, scope: p.scope };
  try {
    const a = await az.roleAssignmentCreate(
      { objectId: p.principal.objectId, principalType: p.principal.type, role: p.role.id, scope: p.scope, tenant: p.tenant },
      { subscription: p.subscription },
    );
    if (isFor(a, p)) return { id: a.id, role: p.role.name, roleId: p.role.id, scope: p.scope, status: 'created' };
    return await ownExisting(az, p);
  } catch (e) {
    if (e instanceof NotAllowedError) return { ...planned, status: 'denied' };
    // Mandatory MFA on Resource Manager writes (2025): the .env is still written, as for a denied write.
    if (e instanceof PrerequisiteError && e.code === 'mfa-required') return { ...planned, status: 'mfa-required', signIn: e };
    throw e;
  }
}
