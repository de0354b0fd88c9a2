// Does the principal already have access to the model, by any route Azure grants it? For the signed-in
// identity, Resource Manager's permissions API answers with its effective data actions at the scope (every
// route folded in: groups, management groups, custom roles) and whether it may write role assignments at all.
// For another principal, its role assignments at the scope and above, its groups' included, are what can be read.
// Either way, when access exists the assignments say where it comes from.
import type { Az } from '../az/az.ts';
import type { Json } from '../az/json.ts';
import { AppError, PrerequisiteError } from '../errors.ts';
import { allows, toPermission, type Permission } from '../azure/data-actions.ts';
import {
  accessRoutes,
  parseArmRoleAssignments,
  unknownRoleIds,
  type AccessRoute,
  type ArmRoleAssignment,
} from '../azure/effective-access.ts';
import { coveringEligibilities, eligibilitiesUrl, parseEligibilities, type Eligibility } from '../azure/pim.ts';
import type { Principal } from './principal.ts';

/** Microsoft.Authorization api-version of the permissions, role assignment and role definition reads (AZURE-FACTS E.3). */
const AUTHZ_API = '2022-04-01';
const ROLE_ASSIGNMENT_WRITE = 'Microsoft.Authorization/roleAssignments/write';

export interface AccessCheck {
  covered: boolean;
  /** permissions: the caller's effective permissions; role-assignments: the principal's assignments and its groups'. */
  checkedWith: 'permissions' | 'role-assignments';
  routes: AccessRoute[];
  /** May the signed-in identity write role assignments at the scope? null: could not be read. */
  canWriteRoleAssignments: boolean | null;
  /** What could not be checked, in words: shown and in --json. */
  notChecked: string[];
  /** PIM: eligible assignments that would grant the access once activated. */
  eligible: Eligibility[];
}

/**
 * Permissions_ListForResource / Permissions_ListForResourceGroup (azure-rest-api-specs authorization 2022-04-01,
 * x-ms-pageable: a handful of role assignments fit on the first page, which is all `az rest` reads).
 */
export function permissionsUrl(scope: string): string {
  return `${scope}/providers/Microsoft.Authorization/permissions?api-version=${AUTHZ_API}`;
}

/** The caller's permission blocks at a scope; started early (it needs no object id), awaited here. */
export function readPermissions(az: Az, scope: string): Promise<Permission[]> {
  return az
    .rest({ method: 'get', url: permissionsUrl(scope) })
    .then((b) => valuesOf(b).map((p) => toPermission(p as Record<string, unknown>)));
}

export async function checkAccess(
  az: Az,
  p: {
    principal: Principal;
    me: Principal;
    resource: string;
    scope: string;
    dataAction: string;
    permissions?: Promise<Permission[]>;
  },
): Promise<AccessCheck> {
  const caller = p.principal.objectId === p.me.objectId;
  const notChecked: string[] = [];
  // Access is to the account, wherever the new assignment would go: everything is read at the resource.
  const perms = await softly(
    p.permissions ?? readPermissions(az, p.resource),
    notChecked,
    'your permissions at the resource (Microsoft.Authorization/permissions)',
  );
  // Write permission read at the resource says nothing sure about a wider scope: then the write decides.
  const sameScope = p.scope.toLowerCase() === p.resource.toLowerCase();
  const canWrite = perms && sameScope ? allows(perms, ROLE_ASSIGNMENT_WRITE, 'action') : null;
  const check: AccessCheck = {
    covered: false,
    checkedWith: caller && perms ? 'permissions' : 'role-assignments',
    routes: [],
    canWriteRoleAssignments: canWrite,
    notChecked,
    eligible: [],
  };
  if (caller && perms) {
    check.covered = allows(perms, p.dataAction, 'data');
    // Only access that exists needs explaining: a new project costs no further call.
    if (check.covered) check.routes = await explain(az, p.principal.objectId, p.resource, p.dataAction, notChecked);
  } else {
    check.routes = await explain(az, p.principal.objectId, p.resource, p.dataAction, notChecked);
    check.covered = check.routes.some((r) => !r.conditional);
    if (!caller)
      notChecked.push(
        'deny assignments and eligible (PIM) assignments of another principal: only its own sign-in can tell',
      );
  }
  if (!check.covered && caller && canWrite !== true)
    check.eligible = await eligibleFor(az, p.resource, p.dataAction, notChecked);
  return check;
}

/** The routes that grant the data action: the assignments, custom role definitions, and group names. */
async function explain(
  az: Az,
  principalId: string,
  scope: string,
  dataAction: string,
  notChecked: string[],
): Promise<AccessRoute[]> {
  const assignments = await softly(
    listAssignmentsFor(az, principalId, scope),
    notChecked,
    'role assignments at the scope and above',
  );
  return assignments === undefined
    ? []
    : routesFrom(az, assignments, { principalId, scope, dataActions: [dataAction] }, notChecked);
}

/**
 * The principal's role assignments at the scope and above, its groups' (nested) included, management groups too:
 * ARM's atScope() and assignedTo() filter (the one az builds for --include-groups, role/custom.py of 2.45), read
 * with `az rest` because `az role assignment list --include-inherited` drops what its regular expression misses.
 */
export async function listAssignmentsFor(az: Az, principalId: string, scope: string): Promise<ArmRoleAssignment[]> {
  const url = `${scope}/providers/Microsoft.Authorization/roleAssignments?api-version=${AUTHZ_API}&$filter=${encodeURIComponent(`atScope() and assignedTo('${principalId}')`)}`;
  return parseArmRoleAssignments(await az.rest({ method: 'get', url }));
}

/** The assignments that grant any of the data actions, explained: role names by definition, group names by Graph. */
export async function routesFrom(
  az: Az,
  assignments: readonly ArmRoleAssignment[],
  p: { principalId: string; scope: string; dataActions: readonly string[] },
  notChecked: string[],
): Promise<AccessRoute[]> {
  const [definitions, groupNames] = await Promise.all([
    readDefinitions(az, assignments, notChecked),
    readGroupNames(az, assignments, p.principalId, notChecked),
  ]);
  const seen = new Set<string>();
  return p.dataActions
    .flatMap((dataAction) =>
      accessRoutes({ assignments, principalId: p.principalId, scope: p.scope, dataAction, definitions, groupNames }),
    )
    .filter((r) => !seen.has(r.assignmentId) && seen.add(r.assignmentId));
}

async function readDefinitions(
  az: Az,
  assignments: readonly ArmRoleAssignment[],
  notChecked: string[],
): Promise<Map<string, { name: string; permissions: Permission[] }>> {
  const found = new Map<string, { name: string; permissions: Permission[] }>();
  await Promise.all(
    unknownRoleIds(assignments).map(async (id) => {
      const body = await softly(
        az.rest({ method: 'get', url: `${id}?api-version=${AUTHZ_API}` }),
        notChecked,
        `the role definition ${id}`,
      );
      const props = (body as { properties?: { roleName?: unknown; permissions?: unknown } } | undefined)?.properties;
      if (!props || !Array.isArray(props.permissions)) return;
      found.set((id.split('/').pop() ?? '').toLowerCase(), {
        name: typeof props.roleName === 'string' ? props.roleName : id,
        permissions: props.permissions.map((x) => toPermission(x as Record<string, unknown>)),
      });
    }),
  );
  return found;
}

/** Group names from Microsoft Graph (directoryObjects/getByIds); a principal without directory read gets 403. */
async function readGroupNames(
  az: Az,
  assignments: readonly ArmRoleAssignment[],
  principalId: string,
  notChecked: string[],
): Promise<Map<string, string>> {
  const ids = [
    ...new Set(
      assignments
        .filter((a) => a.principalId.toLowerCase() !== principalId.toLowerCase())
        .map((a) => a.principalId.toLowerCase()),
    ),
  ];
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const body = await softly(
    az.rest({
      method: 'post',
      url: 'https://graph.microsoft.com/v1.0/directoryObjects/getByIds',
      body: { ids, types: ['group'] },
    }),
    notChecked,
    'the names of the groups (Microsoft Graph: no directory read)',
  );
  for (const g of valuesOf(body)) {
    const o = g as { id?: unknown; displayName?: unknown };
    if (typeof o.id === 'string' && typeof o.displayName === 'string') names.set(o.id.toLowerCase(), o.displayName);
  }
  return names;
}

async function eligibleFor(az: Az, scope: string, dataAction: string, notChecked: string[]): Promise<Eligibility[]> {
  const body = await softly(
    az.rest({ method: 'get', url: eligibilitiesUrl(scope) }),
    notChecked,
    'eligible (PIM) role assignments',
  );
  return body === undefined ? [] : coveringEligibilities(parseEligibilities(body), scope, dataAction);
}

/** A read that may be refused: its failure is noted as "not checked", never fatal (a sign-in problem still is). */
async function softly<T>(p: Promise<T>, notChecked: string[], what: string): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof PrerequisiteError || !(e instanceof AppError)) throw e;
    notChecked.push(what);
    return undefined;
  }
}

function valuesOf(body: Json | undefined): Json[] {
  const v = body && typeof body === 'object' && !Array.isArray(body) ? body['value'] : undefined;
  return Array.isArray(v) ? v : [];
}
