// The role assignment: decided by effective access (effective-access.ts), created only when access is truly
// missing. A re-run makes no write, a user who holds the role through a group gets "existing" with the group
// named, and one who is eligible through PIM is told to activate rather than to ask an admin.
import type { AccessFrom, RoleAssignmentOutcome as RoleAssignmentDocument } from '../contract/documents.ts';
import type { Az } from '../az/az.ts';
import { InternalError, NotAllowedError, PrerequisiteError } from '../errors.ts';
import { builtInRole, roleGuidOf, scopeIncludes, type RoleChoice } from '../azure/roles.ts';
import { describeRoute, type AccessRoute } from '../azure/effective-access.ts';
import type { Eligibility } from '../azure/pim.ts';
import { checkAccess, listAssignmentsFor, type AccessCheck } from './effective-access.ts';
import type { Principal } from './principal.ts';

export type { AccessFrom };

/** The document's role assignment (src/contract/documents.ts), and the re-sign-in an 'mfa-required' write needs. */
export interface RoleAssignmentOutcome extends RoleAssignmentDocument {
  /** Set with status 'mfa-required': the re-sign-in az asks for before Resource Manager accepts the write. */
  signIn?: PrerequisiteError;
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
  const base = {
    role: choice.role.name,
    roleId: choice.role.id,
    scope,
    reason: choice.reason,
    dataAction: choice.dataAction,
    checkedWith: check.checkedWith,
    notChecked: check.notChecked,
  };
  if (check.covered) {
    const first = check.routes[0];
    return {
      ...base,
      id: first?.assignmentId ?? null,
      status: 'existing',
      ...(first && first.scope.toLowerCase() !== scope.toLowerCase() && scopeIncludes(first.scope, scope)
        ? { inheritedFrom: first.scope }
        : {}),
      ...(first && first.roleId !== choice.role.id ? { heldRole: first.roleName } : {}),
      accessFrom: check.routes.map(accessFrom),
    };
  }
  if (check.eligible.length > 0)
    return { ...base, id: null, status: 'eligible', eligible: check.eligible.map(eligibleEntry) };
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

interface CreateRequest {
  principal: Principal;
  choice: RoleChoice;
  scope: string;
  subscription: string;
  planned: RoleAssignmentOutcome;
  tenant?: string | undefined;
}

export async function createAssignment(az: Az, p: CreateRequest): Promise<RoleAssignmentOutcome> {
  try {
    // Always by role definition GUID: role names get renamed (Azure AI User -> Foundry User).
    const a = await az.roleAssignmentCreate(
      {
        objectId: p.principal.objectId,
        principalType: p.principal.type,
        role: p.choice.role.id,
        scope: p.scope,
        tenant: p.tenant,
      },
      { subscription: p.subscription },
    );
    if (isFor(a, p)) return { ...p.planned, id: a.id, status: 'created' };
    return { ...p.planned, id: await ownExisting(az, p), status: 'existing' };
  } catch (e) {
    if (e instanceof NotAllowedError) return { ...p.planned, id: null, status: 'denied' };
    // Mandatory MFA on Resource Manager writes (2025): the .env is still written, as for a denied write.
    if (e instanceof PrerequisiteError && e.code === 'mfa-required')
      return { ...p.planned, id: null, status: 'mfa-required', signIn: e };
    throw e;
  }
}

/** Is `a` this principal's assignment of this role at this scope? */
function isFor(a: { principalId: string; roleDefinitionId: string; scope: string }, p: CreateRequest): boolean {
  const same = (x: string, y: string): boolean => x.toLowerCase() === y.toLowerCase();
  return (
    same(a.principalId, p.principal.objectId) &&
    roleGuidOf(a.roleDefinitionId) === p.choice.role.id.toLowerCase() &&
    same(a.scope, p.scope)
  );
}

/**
 * On a 409 RoleAssignmentExists az answers with the first assignment of the role at the scope, re-listed without
 * the assignee when given --assignee-object-id (role/custom.py create_role_assignment): possibly another
 * principal's. Ours is then looked up by object id, so `revoke` later removes ours and no one else's.
 */
async function ownExisting(az: Az, p: CreateRequest): Promise<string> {
  const list = await listAssignmentsFor(az, p.principal.objectId, p.scope);
  const mine = list.find((x) => isFor(x, p));
  if (!mine)
    throw new InternalError(
      `\`az role assignment create\` answered with another principal's assignment at ${p.scope}, and none is ${p.principal.objectId}'s.`,
      { code: 'az-output' },
    );
  return mine.id;
}

/**
 * Effective access first, then a new assignment only when access is truly missing (planned on a dry run): the
 * whole role step in one call, for commands other than setup (ci github). The rules stay here and in
 * effective-access.ts, so a change to how existing access is found applies to every command.
 */
export async function ensureRoleAssignment(
  az: Az,
  p: {
    principal: Principal;
    me: Principal;
    choice: RoleChoice;
    resource: string;
    scope: string;
    subscription: string;
    tenant?: string | undefined;
  },
  opts: { dryRun: boolean },
): Promise<RoleAssignmentOutcome> {
  const check = await checkAccess(az, {
    principal: p.principal,
    me: p.me,
    resource: p.resource,
    scope: p.scope,
    dataAction: p.choice.dataAction,
  });
  const planned = outcomeOf(check, p.choice, p.scope);
  if (planned.status !== 'planned' || opts.dryRun) return planned;
  return createAssignment(az, {
    principal: p.principal,
    choice: p.choice,
    scope: p.scope,
    subscription: p.subscription,
    planned,
    tenant: p.tenant,
  });
}
