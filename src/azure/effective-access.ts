// Where a principal's access to a model comes from: the role assignments at the scope and above (ARM's
// `$filter=atScope() and assignedTo('<oid>')` returns the principal's own and those of the groups it is in,
// management groups included: role/custom.py _search_role_assignments of az 2.45 builds the same filter for
// --include-groups), judged by each role's data actions, never by its name.
import {
  builtInPermissions,
  builtInRole,
  describeScope,
  isManagementGroupScope,
  roleGrants,
  roleGuidOf,
  scopeIncludes,
} from './roles.ts';
import type { Permission } from './data-actions.ts';

/** A role assignment as ARM's REST API returns it (api-version 2022-04-01), flattened. */
export interface ArmRoleAssignment {
  id: string;
  scope: string;
  principalId: string;
  principalType: string;
  roleDefinitionId: string;
  condition: string | null;
}

export interface AccessRoute {
  assignmentId: string;
  scope: string;
  roleId: string;
  roleName: string;
  /** The principal itself, or a group it is a member of (directly or nested). */
  via: 'direct' | 'group';
  principalId: string;
  groupName?: string | null;
  /** "resource group rg-aoai", "management group mg-corp", ... */
  at: string;
  /** An ABAC condition narrows the assignment: it may not cover every request. */
  conditional: boolean;
}

export function parseArmRoleAssignments(body: unknown): ArmRoleAssignment[] {
  const value = (body as { value?: unknown })?.value;
  if (!Array.isArray(value)) return [];
  return value.flatMap((v): ArmRoleAssignment[] => {
    const o = v as { id?: unknown; properties?: Record<string, unknown> };
    const p = o.properties ?? {};
    if (
      typeof o.id !== 'string' ||
      typeof p['scope'] !== 'string' ||
      typeof p['principalId'] !== 'string' ||
      typeof p['roleDefinitionId'] !== 'string'
    )
      return [];
    return [
      {
        id: o.id,
        scope: p['scope'],
        principalId: p['principalId'],
        principalType: typeof p['principalType'] === 'string' ? p['principalType'] : '',
        roleDefinitionId: p['roleDefinitionId'],
        condition: typeof p['condition'] === 'string' ? p['condition'] : null,
      },
    ];
  });
}

/** The role definition GUIDs among the assignments that are not built-in roles we know: their definitions must be read. */
export function unknownRoleIds(assignments: readonly ArmRoleAssignment[]): string[] {
  return [...new Set(assignments.filter((a) => !builtInRole(a.roleDefinitionId)).map((a) => a.roleDefinitionId))];
}

export interface RouteInput {
  assignments: readonly ArmRoleAssignment[];
  principalId: string;
  scope: string;
  dataAction: string;
  /** Custom role definitions read from ARM, by role definition GUID. */
  definitions: ReadonlyMap<string, { name: string; permissions: Permission[] }>;
  groupNames?: ReadonlyMap<string, string>;
}

/** The assignments that grant the data action at the scope, the principal's own first, then the narrowest. */
export function accessRoutes(i: RouteInput): AccessRoute[] {
  const routes = i.assignments.flatMap((a): AccessRoute[] => {
    if (!scopeIncludes(a.scope, i.scope)) return [];
    const guid = roleGuidOf(a.roleDefinitionId);
    const known = builtInRole(guid);
    const custom = i.definitions.get(guid);
    const permissions = builtInPermissions(guid) ?? custom?.permissions;
    if (!roleGrants(permissions, i.dataAction)) return [];
    const direct = a.principalId.toLowerCase() === i.principalId.toLowerCase();
    return [
      {
        assignmentId: a.id,
        scope: a.scope,
        roleId: guid,
        // Stryker disable next-line OptionalChaining: a role neither built in nor read grants nothing, so custom is set here
        roleName: known?.name ?? custom?.name ?? guid,
        via: direct ? 'direct' : 'group',
        principalId: a.principalId,
        ...(direct ? {} : { groupName: i.groupNames?.get(a.principalId.toLowerCase()) ?? null }),
        at: describeScope(a.scope, i.scope),
        conditional: a.condition !== null,
      },
    ];
  });
  return routes.sort(
    (a, b) =>
      Number(a.via === 'group') - Number(b.via === 'group') ||
      Number(a.conditional) - Number(b.conditional) ||
      breadth(a.scope) - breadth(b.scope),
  );
}

/** How far above a resource a scope is: management groups and the root above every subscription path. */
function breadth(scope: string): number {
  // Stryker disable next-line Regex: a slash left over adds one segment, less than a level (each level is two segments)
  const s = scope.replace(/\/+$/, '');
  if (s === '') return 100;
  if (isManagementGroupScope(s)) return 50;
  // Stryker disable next-line StringLiteral: every scope ranked here is the target or above it, so a deeper path is also a longer string
  return 20 - s.split('/').length;
}

/** "Cognitive Services OpenAI User through group ai-team, at resource group rg-aoai". */
export function describeRoute(r: AccessRoute): string {
  const who = r.via === 'direct' ? 'directly' : `through group ${r.groupName ?? r.principalId}`;
  return `${r.roleName} ${who}, at ${r.at}${r.conditional ? ' (with a condition)' : ''}`;
}
