// The role assignment: decided by effective access (effective-access.ts), created only when access is truly
// missing. A re-run makes no write, a user who holds the role through a group gets "existing" with the group
// named, and one who is eligible through PIM is told to activate rather than to ask an admin.
import type { Az } from '../az/az.ts';
import { NotAllowedError } from '../errors.ts';
import { builtInRole, scopeIncludes, type RoleChoice } from '../azure/roles.ts';
import { describeRoute, type AccessRoute } from '../azure/effective-access.ts';
import type { Eligibility } from '../azure/pim.ts';
import type { AccessCheck } from './effective-access.ts';
import type { Principal } from './principal.ts';

export type RoleAssignmentStatus = 'created' | 'existing' | 'planned' | 'denied' | 'eligible' | 'activated';

export interface AccessFrom {
  role: string;
  roleId: string;
  scope: string;
  via: 'direct' | 'group';
  groupId?: string;
  groupName?: string | null;
  assignmentId: string;
  description: string;
}

export interface RoleAssignmentOutcome {
  id: string | null;
  role: string;
  roleId: string;
  scope: string;
  status: RoleAssignmentStatus;
  /** Why this role: the deployment's model format, or --role. */
  reason: string;
  dataAction: string;
  /** Set when an assignment at a parent scope (or through a group, or a broader role) already grants access. */
  inheritedFrom?: string;
  heldRole?: string;
  accessFrom?: AccessFrom[];
  checkedWith?: AccessCheck['checkedWith'];
  notChecked?: string[];
  eligible?: Array<{ role: string; roleId: string; scope: string; endDateTime: string | null }>;
}

export function accessFrom(r: AccessRoute): AccessFrom {
  return {
    role: r.roleName,
    roleId: r.roleId,
    scope: r.scope,
    via: r.via,
    ...(r.via === 'group' ? { groupId: r.principalId, groupName: r.groupName ?? null } : {}),
    assignmentId: r.assignmentId,
    description: describeRoute(r),
  };
}

/** The outcome before any change: what the check found, for the role chosen at the scope. */
export function outcomeOf(check: AccessCheck, choice: RoleChoice, scope: string): RoleAssignmentOutcome {
  const base = { role: choice.role.name, roleId: choice.role.id, scope, reason: choice.reason, dataAction: choice.dataAction, checkedWith: check.checkedWith, notChecked: check.notChecked };
  if (check.covered) {
    const first = check.routes[0];
    return {
      ...base,
      id: first?.assignmentId ?? null,
      status: 'existing',
      ...(first && first.scope.toLowerCase() !== scope.toLowerCase() && scopeIncludes(first.scope, scope) ? { inheritedFrom: first.scope } : {}),
      ...(first && first.roleId !== choice.role.id ? { heldRole: first.roleName } : {}),
      accessFrom: check.routes.map(accessFrom),
    };
  }
  if (check.eligible.length > 0) return { ...base, id: null, status: 'eligible', eligible: check.eligible.map(eligibleEntry) };
  return { ...base, id: null, status: check.canWriteRoleAssignments === false ? 'denied' : 'planned' };
}

function eligibleEntry(e: Eligibility): NonNullable<RoleAssignmentOutcome['eligible']>[number] {
  const guid = (e.roleDefinitionId.split('/').pop() ?? '').toLowerCase();
  return { role: builtInRole(guid)?.name ?? guid, roleId: guid, scope: e.scope, endDateTime: e.endDateTime };
}

/** "Access exists: Cognitive Services OpenAI User through group ai-team, at resource group rg-aoai." */
export function describeAccess(o: RoleAssignmentOutcome): string {
  const routes = o.accessFrom ?? [];
  if (routes.length === 0) return 'your effective permissions already include it (the route could not be listed)';
  return routes.map((r) => r.description).join('; ');
}

export async function createAssignment(
  az: Az,
  p: { principal: Principal; choice: RoleChoice; scope: string; subscription: string; planned: RoleAssignmentOutcome },
): Promise<RoleAssignmentOutcome> {
  try {
    // Always by role definition GUID: role names get renamed (Azure AI User -> Foundry User).
    const a = await az.roleAssignmentCreate(
      { objectId: p.principal.objectId, principalType: p.principal.type, role: p.choice.role.id, scope: p.scope },
      { subscription: p.subscription },
    );
    return { ...p.planned, id: a.id, status: 'created' };
  } catch (e) {
    if (e instanceof NotAllowedError) return { ...p.planned, id: null, status: 'denied' };
    throw e;
  }
}
