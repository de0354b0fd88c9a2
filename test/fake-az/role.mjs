// `az role assignment create|delete` (role/custom.py of az 2.45) over Microsoft.Authorization: assignees
// resolved through Graph, role names through the built-in role definitions, and ARM's answers to the PUT.
import { randomUUID } from 'node:crypto';
import {
  ROLE_IDS,
  AZURE_TEXT,
  checkPrincipal,
  directoryObjects,
  newRoleAssignment,
  principalTypeOf,
  roleGuid,
  roleNameOf,
  roleNamed,
  same,
  saveWorld,
  userEditsWhileAssigning,
} from '../support/world.mjs';
import { armFail, fail, mfaRequiredForWrite } from './errors.mjs';
import { RESOURCE_GROUP, flag, isGuid, list, value } from './args.mjs';
import { azureSession, worldPath } from './profile.mjs';

/** @typedef {import('../support/world.mjs').World} World */
/** @typedef {import('../support/world.mjs').Subscription} Subscription */
/** @typedef {import('../support/world.mjs').RoleAssignment} RoleAssignment */
/** @typedef {import('./args.mjs').Ctx} Ctx */
/** @typedef {import('./args.mjs').Command} Command */

const PRINCIPAL_TYPES = ['User', 'Group', 'ServicePrincipal', 'ForeignGroup'];

/** role/custom.py _get_displayable_name. @param {Record<string, any>} o */
const displayableName = (o) => o.userPrincipalName ?? o.servicePrincipalNames?.[0] ?? o.displayName ?? '';

/** role/custom.py _resolve_object_id_and_type: a UPN, then a servicePrincipalName (appId), then an object id. @param {World} world @param {string} assignee */
function resolveAssignee(world, assignee) {
  const objects = directoryObjects(world);
  const found =
    (assignee.includes('@') ? objects.find((o) => same(o.userPrincipalName, assignee)) : undefined) ??
    objects.find((o) => (o.servicePrincipalNames ?? []).some((/** @type {string} */ n) => same(n, assignee))) ??
    (isGuid(assignee) ? objects.find((o) => same(o.id, assignee)) : undefined);
  if (!found) {
    fail(
      `Cannot find user or service principal in graph database for '${assignee}'. If the assignee is an appId, make sure the corresponding service principal is created with 'az ad sp create --id ${assignee}'.`,
    );
  }
  return { id: /** @type {string} */ (found.id), principalType: principalTypeOf(found) };
}

/** role/custom.py _resolve_role_id: a role definition id, a GUID (taken as is), or a name looked up at the scope. @param {string} role */
function resolveRoleGuid(role) {
  if (/^\/subscriptions\/.+\/providers\/Microsoft\.Authorization\/roleDefinitions\//i.test(role)) return roleGuid(role);
  if (isGuid(role)) return role.toLowerCase();
  const name = roleNamed(role);
  if (!name) fail(`Role '${role}' doesn't exist.`);
  return ROLE_IDS[name];
}

/** role/custom.py _build_role_scope: --scope, else the resource group, else the subscription. @param {Subscription} sub @param {Record<string, any>} o */
function roleScope(sub, o) {
  if (o.scope) {
    if (o.resourceGroup) fail(`Resource group "${o.resourceGroup}" is redundant because scope is supplied`);
    return /** @type {string} */ (o.scope);
  }
  return o.resourceGroup ? `/subscriptions/${sub.id}/resourceGroups/${o.resourceGroup}` : `/subscriptions/${sub.id}`;
}

/**
 * role/custom.py _search_role_assignments. Without --all the scope is always set (the subscription at least) and
 * matched exactly; --include-inherited adds assignments whose scope is a case-insensitive prefix of it
 * (`re.match(assignment.scope, scope, re.I)`, so with no path boundary). The role is resolved only when something matched.
 * @param {World} world @param {Subscription} sub @param {{ scope: string|null, assignee?: string, role?: string, includeInherited?: boolean }} q
 */
function searchRoleAssignments(world, sub, q) {
  const principalId = q.assignee ? resolveAssignee(world, q.assignee).id : undefined;
  const scope = q.scope?.toLowerCase();
  let found = world.roleAssignments.filter((a) => {
    const s = a.scope.toLowerCase();
    if (scope === undefined)
      return s.startsWith(`/subscriptions/${sub.id.toLowerCase()}`) || !s.startsWith('/subscriptions/');
    return s === scope || Boolean(q.includeInherited && scope.startsWith(s));
  });
  if (found.length > 0 && q.role) {
    const guid = resolveRoleGuid(q.role);
    found = found.filter((a) => roleGuid(a.roleDefinitionId) === guid);
  }
  return principalId ? found.filter((a) => same(a.principalId, principalId)) : found;
}

/** The SDK model of a role assignment (2020-04-01-preview). A fresh PUT answers createdBy null (filled in later). @param {RoleAssignment} ra */
function roleAssignmentJson(ra, fresh = false) {
  return {
    canDelegate: null,
    condition: ra.condition ?? null,
    conditionVersion: ra.conditionVersion ?? null,
    createdBy: fresh ? null : (ra.createdBy ?? null),
    createdOn: ra.createdOn,
    delegatedManagedIdentityResourceId: null,
    description: ra.description ?? null,
    id: ra.id,
    name: ra.name,
    principalId: ra.principalId,
    principalType: ra.principalType,
    roleDefinitionId: ra.roleDefinitionId,
    scope: ra.scope,
    type: 'Microsoft.Authorization/roleAssignments',
    updatedBy: ra.updatedBy ?? ra.createdBy ?? null,
    updatedOn: ra.updatedOn ?? ra.createdOn,
  };
}

/** role/custom.py list_role_assignments fills principalName (Graph getByIds) and roleDefinitionName. @param {World} world @param {RoleAssignment} ra */
function roleAssignmentListed(world, ra) {
  const principal = directoryObjects(world).find((o) => same(o.id, ra.principalId));
  return {
    ...roleAssignmentJson(ra),
    principalName: principal ? displayableName(principal) : '',
    roleDefinitionName: roleNameOf(roleGuid(ra.roleDefinitionId)) ?? null,
  };
}

/** ARM's 403: the client is a user's UPN, else the app id. @param {World} world @param {string} action @param {string} scope */
function notAuthorized(world, action, scope) {
  const me = /** @type {NonNullable<World['signedIn']>} */ (world.signedIn);
  const client = me.type === 'user' ? me.name : (me.appId ?? me.name);
  armFail('AuthorizationFailed', AZURE_TEXT.authorizationFailed(client, me.objectId, action, scope));
}

/**
 * role/custom.py create_role_assignment, then ARM's PUT: 403 without write permission, 400 for an unknown principal or
 * a wrong principal type, 409 for an identical assignment, which az answers with the existing one (exit 0).
 * @param {Ctx} ctx
 */
function roleAssignmentCreate(ctx) {
  const o = ctx.opts;
  const world = ctx.world;
  if (Boolean(o.assignee) === Boolean(o.assigneeObjectId))
    fail('usage error: --assignee STRING | --assignee-object-id GUID');
  if (o.assigneePrincipalType && !o.assigneeObjectId)
    fail('usage error: --assignee-object-id GUID --assignee-principal-type TYPE');
  if (o.conditionVersion && !o.condition)
    fail('usage error: When --condition-version is set, --condition must be set as well.');
  const sub = azureSession(ctx);
  const resolved = o.assignee ? resolveAssignee(world, o.assignee) : undefined;
  const principalId = /** @type {string} */ (resolved?.id ?? o.assigneeObjectId);
  if (!o.assignee && !o.assigneePrincipalType) {
    ctx.warnings.push(
      'RBAC service might reject creating role assignment without --assignee-principal-type in the future. Better to specify --assignee-principal-type manually.',
    );
  }
  const scope = roleScope(sub, o);
  const roleDefinitionGuid = resolveRoleGuid(o.role);
  const name = o.name ?? randomUUID();

  if (world.mfaForWrites && world.signedIn?.type === 'user') mfaRequiredForWrite(ctx, sub.tenantId, name);
  if (!world.canWriteRoleAssignments)
    notAuthorized(
      world,
      'Microsoft.Authorization/roleAssignments/write',
      `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    );
  const requestedType = o.assigneePrincipalType ?? resolved?.principalType;
  // PrincipalNotFound for an object the directory does not know, UnmatchedPrincipalType for a wrong type.
  const principal = checkPrincipal(world, principalId, sub.tenantId, requestedType);
  if ('error' in principal) armFail(principal.error.code, principal.error.message);
  const actualType = principal.principalType;
  if (
    world.roleAssignments.some(
      (a) =>
        same(a.principalId, principalId) && roleGuid(a.roleDefinitionId) === roleDefinitionGuid && same(a.scope, scope),
    )
  ) {
    // az re-lists with the raw --assignee (None with --assignee-object-id, so the first assignment of that role at the scope).
    const existing = searchRoleAssignments(world, sub, { scope, assignee: o.assignee, role: o.role });
    return existing[0] ? roleAssignmentListed(world, existing[0]) : null;
  }
  const created = newRoleAssignment({
    scope,
    roleDefinitionGuid,
    principalId,
    principalType: requestedType ?? actualType,
    name,
    createdBy: world.signedIn?.objectId ?? principalId,
    description: o.description ?? null,
    condition: o.condition ?? null,
    conditionVersion: o.condition ? (o.conditionVersion ?? '2.0') : null,
  });
  world.roleAssignments.push(created);
  saveWorld(worldPath(), world);
  userEditsWhileAssigning(world);
  return roleAssignmentJson(created, true);
}

/** role/custom.py delete_role_assignments: by --ids (other filters ignored, with a warning), or by search. @param {Ctx} ctx */
function roleAssignmentDelete(ctx) {
  const o = ctx.opts;
  const world = ctx.world;
  const sub = azureSession(ctx);
  let doomed;
  if (o.ids) {
    for (const [dest, option] of [
      ['assignee', '--assignee'],
      ['role', '--role'],
      ['resourceGroup', '--resource-group'],
      ['scope', '--scope'],
      ['includeInherited', '--include-inherited'],
    ]) {
      if (o[dest ?? '']) ctx.warnings.push(`option '${option}' will be ignored due to use of '--ids'.`);
    }
    doomed = world.roleAssignments.filter((a) => o.ids.some((/** @type {string} */ id) => same(id, a.id)));
  } else {
    if (!o.assignee && !o.role && !o.resourceGroup && !o.scope && !o.yes)
      fail('Unable to prompt for confirmation as no tty available. Use --yes.');
    doomed = searchRoleAssignments(world, sub, {
      scope: roleScope(sub, o),
      assignee: o.assignee,
      role: o.role,
      includeInherited: o.includeInherited,
    });
    if (doomed.length === 0) fail('No matched assignments were found to delete');
  }
  if (doomed.length > 0 && world.mfaForWrites && world.signedIn?.type === 'user')
    mfaRequiredForWrite(ctx, sub.tenantId, doomed[0]?.name ?? '');
  if (doomed.length > 0 && !world.canWriteRoleAssignments)
    notAuthorized(world, 'Microsoft.Authorization/roleAssignments/delete', doomed[0]?.id ?? '');
  world.roleAssignments = world.roleAssignments.filter((a) => !doomed.includes(a));
  saveWorld(worldPath(), world);
  return null;
}

/** Help examples of az 2.45 (the *_help.py files), which parser errors recommend. */
const EXAMPLES = {
  roleAssignmentCreate: [
    {
      command: 'az role assignment create --assignee sp_name --role a_role',
      description: 'Create role assignment for an assignee.',
    },
    {
      command:
        'az role assignment create --role "Owner" --assignee "John.Doe@Contoso.com" --description "Role assignment foo to check on bar" --condition "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:Name] stringEquals \'foo\'" --condition-version "2.0"',
      description: 'Create role assignment for an assignee with description and condition.',
    },
    {
      command:
        'az role assignment create --assignee 00000000-0000-0000-0000-000000000000 --role "Storage Account Key Operator Service Role" --scope $id',
      description: 'Create a new role assignment for a user, group, or service principal. (autogenerated)',
    },
    {
      command:
        'az role assignment create --assignee-object-id 00000000-0000-0000-0000-000000000000 --assignee-principal-type ServicePrincipal --role Reader --scope /subscriptions/00000000-0000-0000-0000-000000000000 --name 00000000-0000-0000-0000-000000000000',
      description: 'Create role assignment with your own assignment name.',
    },
  ],
  roleAssignmentDelete: [
    {
      command:
        'az role assignment delete --assignee 00000000-0000-0000-0000-000000000000 --role "Storage Account Key Operator Service Role"',
      description: 'Delete role assignments. (autogenerated)',
    },
  ],
};

/** @type {Command[]} (options in az's order: the "required" message lists them so) */
export const ROLE_COMMANDS = [
  {
    name: 'role assignment create',
    options: [
      value('role', ['--role'], { required: true }),
      value('assignee', ['--assignee']),
      value('assigneeObjectId', ['--assignee-object-id']),
      value('assigneePrincipalType', ['--assignee-principal-type'], { choices: PRINCIPAL_TYPES }),
      RESOURCE_GROUP,
      value('scope', ['--scope']),
      value('description', ['--description']),
      value('condition', ['--condition']),
      value('conditionVersion', ['--condition-version']),
      value('name', ['--name', '-n']),
    ],
    run: roleAssignmentCreate,
    arm: true,
    examples: EXAMPLES.roleAssignmentCreate,
  },
  {
    name: 'role assignment delete',
    options: [
      list('ids', ['--ids']),
      value('assignee', ['--assignee']),
      value('role', ['--role']),
      RESOURCE_GROUP,
      value('scope', ['--scope']),
      flag('includeInherited', ['--include-inherited']),
      flag('yes', ['--yes', '-y']),
    ],
    run: roleAssignmentDelete,
    arm: true,
    examples: EXAMPLES.roleAssignmentDelete,
  },
];
