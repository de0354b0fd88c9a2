// Microsoft.Authorization on ARM: the built-in role definitions and role assignments at any scope, as
// `az role assignment list|create|delete` (api-version 2020-04-01-preview in az 2.45) reads and writes them.
import {
  ROLE_IDS,
  ROLE_TEXT,
  applicableAssignments,
  blockAllows,
  checkPrincipal,
  groupsOf,
  newRoleAssignment,
  rolePermissions,
  roleGuid,
  roleNameOf,
  roleNamed,
  same,
  scopeCovers,
  userEditsWhileAssigning,
} from '../../support/world.mjs';
import { armError } from './replies.mjs';

/** @typedef {import('./replies.mjs').Reply} Reply */
/** @typedef {import('./replies.mjs').Req} Req */

const trimScope = (/** @type {string} */ s) => s.replace(/\/+$/, '');

/** The subscription a scope sits in, if any. @param {string} scope */
export function scopeSubscription(scope) {
  return /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1] ?? null;
}

/** @param {string} name @param {string} scope @param {import('../../support/world.mjs').World} [world] */
function roleDefinitionBody(name, scope, world) {
  const custom = (world?.customRoles ?? []).find((c) => same(c.roleName, name));
  if (custom) return customRoleBody(custom, scope);
  const guid = /** @type {Record<string, string>} */ (ROLE_IDS)[name] ?? '';
  const text =
    /** @type {Record<string, { description: string, actions: string[], notActions?: string[], dataActions: string[] }>} */ (
      ROLE_TEXT
    )[name];
  const sub = scopeSubscription(scope);
  return {
    properties: {
      roleName: name,
      type: 'BuiltInRole',
      description: text?.description ?? name,
      assignableScopes: ['/'],
      permissions: [
        {
          actions: text?.actions ?? [],
          notActions: text?.notActions ?? [],
          dataActions: text?.dataActions ?? [],
          notDataActions: [],
        },
      ],
      createdOn: '2015-02-02T21:55:09.8806423Z',
      updatedOn: '2024-04-22T15:18:35.5459513Z',
      createdBy: null,
      updatedBy: null,
    },
    id: `${sub ? `/subscriptions/${sub}` : ''}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    type: 'Microsoft.Authorization/roleDefinitions',
    name: guid,
  };
}

/**
 * The ARM body of a role assignment (2020-04-01-preview, the api-version az 2.45 uses for role_assignments).
 * ARM qualifies roleDefinitionId with the assignment's subscription; az compares it verbatim with the id
 * from the roleDefinitions list (role/custom.py _search_role_assignments), so the two must agree.
 * @param {import('../../support/world.mjs').RoleAssignment} ra
 * @param {{ forCreate?: boolean }} [o]
 */
function roleAssignmentBody(ra, o = {}) {
  const sub = scopeSubscription(ra.scope);
  return {
    properties: {
      roleDefinitionId: `${sub ? `/subscriptions/${sub}` : ''}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid(ra.roleDefinitionId)}`,
      principalId: ra.principalId,
      principalType: ra.principalType,
      scope: ra.scope,
      condition: ra.condition ?? null,
      conditionVersion: ra.conditionVersion ?? null,
      createdOn: ra.createdOn,
      updatedOn: ra.updatedOn ?? ra.createdOn,
      // A fresh PUT answers createdBy null (it is filled in asynchronously), as in azure-cli's recordings.
      createdBy: o.forCreate ? null : (ra.createdBy ?? null),
      updatedBy: ra.updatedBy ?? ra.createdBy ?? null,
      delegatedManagedIdentityResourceId: null,
      description: ra.description ?? null,
    },
    id: ra.id,
    type: 'Microsoft.Authorization/roleAssignments',
    name: ra.name,
  };
}

/** Microsoft.Authorization: roleDefinitions and roleAssignments at any scope. */
export function authorization(
  /** @type {Req} */ r,
  /** @type {Record<string, any>} */ claims,
  /** @type {string} */ path,
  /** @type {string} */ filter,
) {
  const world = r.world;
  const at = path.search(/\/providers\/Microsoft\.Authorization\//i);
  const scope = path.slice(0, at);
  const rest = path.slice(at + '/providers/Microsoft.Authorization/'.length).split('/');
  const kind = (rest[0] ?? '').toLowerCase();
  const name = rest[1];

  if (kind === 'roledefinitions' && r.method === 'GET') {
    if (name) {
      const custom = (world.customRoles ?? []).find((c) => same(c.guid, name));
      if (custom) return { status: 200, body: customRoleBody(custom, scope) };
      const roleName = roleNameOf(name.toLowerCase());
      return roleName
        ? { status: 200, body: roleDefinitionBody(roleName, scope) }
        : armError(
            404,
            'RoleDefinitionDoesNotExist',
            `The specified role definition with ID '${name}' does not exist.`,
          );
    }
    const wanted = /roleName\s+eq\s+'([^']*)'/i.exec(filter)?.[1];
    const names = wanted === undefined ? Object.keys(ROLE_IDS) : [roleNamed(wanted)].filter((n) => n !== undefined);
    return { status: 200, body: { value: names.map((n) => roleDefinitionBody(n, scope)) } };
  }
  if (kind === 'permissions' && r.method === 'GET') return permissions(world, claims, scope);
  if (kind === 'roleeligibilityscheduleinstances' && r.method === 'GET')
    return eligibilityInstances(world, claims, scope, filter);
  if (kind === 'roleassignmentschedulerequests' && r.method === 'PUT')
    return selfActivate(r, claims, scope, name ?? '');
  if (kind !== 'roleassignments')
    return armError(404, 'InvalidResourceType', `stand-in: no Microsoft.Authorization route for ${r.method} ${path}`);

  const principalFilter = /principalId\s+eq\s+'([^']*)'/i.exec(filter)?.[1];
  // assignedTo('<id>'): the principal's assignments and those of every group it is in, nested (Learn
  // "List Azure role assignments using the REST API": "including ones inherited from groups").
  const assignedTo = /assignedTo\('([^']*)'\)/i.exec(filter)?.[1];
  const holders = assignedTo ? [assignedTo.toLowerCase(), ...groupsOf(world, assignedTo)] : undefined;
  if (r.method === 'GET' && !name) {
    // atScope(): assignments at the scope and above it, management groups included. No atScope(): also those below it.
    const atScope = /atScope\(\)/i.test(filter);
    const value = world.roleAssignments
      .filter((ra) => scopeCovers(world, ra.scope, scope) || (!atScope && scopeCovers(world, scope, ra.scope)))
      .filter((ra) => !principalFilter || same(ra.principalId, principalFilter))
      .filter((ra) => !holders || holders.includes(ra.principalId.toLowerCase()))
      .map((ra) => roleAssignmentBody(ra));
    return { status: 200, body: { value } };
  }
  const existing = world.roleAssignments.find((ra) => same(ra.name, name) && same(trimScope(ra.scope), scope));
  if (r.method === 'GET') {
    return existing
      ? { status: 200, body: roleAssignmentBody(existing) }
      : armError(404, 'RoleAssignmentNotFound', `The role assignment '${name}' is not found.`);
  }
  const clientName = claims.upn ?? claims.appid ?? claims.oid;
  const denied = (/** @type {string} */ action) =>
    armError(
      403,
      'AuthorizationFailed',
      `The client '${clientName}' with object id '${claims.oid}' does not have authorization to perform action '${action}' over scope '${path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  if (r.method === 'DELETE') {
    if (!world.canWriteRoleAssignments) return denied('Microsoft.Authorization/roleAssignments/delete');
    if (!existing) return { status: 204 };
    r.save({ ...world, roleAssignments: world.roleAssignments.filter((ra) => ra !== existing) });
    return { status: 200, body: roleAssignmentBody(existing) };
  }
  if (r.method !== 'PUT')
    return armError(405, 'MethodNotAllowed', `stand-in: ${r.method} is not served on role assignments`);

  if (!world.canWriteRoleAssignments) return denied('Microsoft.Authorization/roleAssignments/write');
  const parsed = requestProperties(r);
  if ('reply' in parsed) return parsed.reply;
  /** @type {{ roleDefinitionId?: string, principalId?: string, principalType?: string, description?: string }} */
  const p = parsed.properties;
  const guid = roleGuid(p.roleDefinitionId ?? '');
  if (!rolePermissions(world, guid))
    return armError(
      400,
      'RoleDefinitionDoesNotExist',
      `The specified role definition with ID '${guid}' does not exist.`,
    );
  const principalId = p.principalId ?? '';
  // PrincipalNotFound for an object the directory does not know; UnmatchedPrincipalType when the body's
  // principalType is not the object's, as ARM answers a role assignment PUT.
  const principal = checkPrincipal(world, principalId, claims.tid, p.principalType);
  if ('error' in principal) return armError(400, principal.error.code, principal.error.message);
  const duplicate = world.roleAssignments.find(
    (ra) =>
      same(ra.principalId, principalId) && roleGuid(ra.roleDefinitionId) === guid && same(trimScope(ra.scope), scope),
  );
  if (duplicate) return armError(409, 'RoleAssignmentExists', 'The role assignment already exists.');
  if (existing)
    return armError(
      409,
      'RoleAssignmentUpdateNotPermitted',
      'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
    );
  const now = new Date().toISOString();
  const created = {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name: name ?? '',
    scope,
    roleDefinitionId: p.roleDefinitionId ?? '',
    principalId,
    principalType: p.principalType ?? 'User',
    createdOn: now,
    updatedOn: now,
    createdBy: claims.oid,
    updatedBy: claims.oid,
    ...(p.description ? { description: p.description } : {}),
  };
  r.save({ ...world, roleAssignments: [...world.roleAssignments, created] });
  userEditsWhileAssigning(world);
  return { status: 201, body: roleAssignmentBody(created, { forCreate: true }), note: `created ${created.id}` };
}

/** A custom role definition as ARM returns it (roleType CustomRole, assignable at the subscription). @param {import('../../support/world.mjs').CustomRole} c @param {string} scope */
function customRoleBody(c, scope) {
  const sub = scopeSubscription(scope);
  return {
    properties: {
      roleName: c.roleName,
      type: 'CustomRole',
      description: c.roleName,
      assignableScopes: sub ? [`/subscriptions/${sub}`] : ['/'],
      permissions: [
        {
          actions: c.actions,
          notActions: c.notActions ?? [],
          dataActions: c.dataActions,
          notDataActions: c.notDataActions ?? [],
        },
      ],
      createdOn: '2025-06-01T10:00:00.0000000Z',
      updatedOn: '2025-06-01T10:00:00.0000000Z',
      createdBy: null,
      updatedBy: null,
    },
    id: `${sub ? `/subscriptions/${sub}` : ''}/providers/Microsoft.Authorization/roleDefinitions/${c.guid}`,
    type: 'Microsoft.Authorization/roleDefinitions',
    name: c.guid,
  };
}

/**
 * GET {scope}/providers/Microsoft.Authorization/permissions (2022-04-01): the caller's permission blocks, one per
 * applicable role assignment, not merged (azure-rest-api-specs authorization examples GetPermissions.json:
 * `{"value":[{"actions":[...],"notActions":[],"dataActions":[...],"notDataActions":[]}]}`). A world that lets the
 * caller write role assignments (canWriteRoleAssignments) has it hold Owner above the subscription, unlisted.
 * @param {import('../../support/world.mjs').World} world @param {Record<string, any>} claims @param {string} scope
 */
function permissions(world, claims, scope) {
  const blocks = applicableAssignments(world, claims.oid, scope).flatMap((ra) => {
    const p = rolePermissions(world, roleGuid(ra.roleDefinitionId));
    return p
      ? [{ actions: p.actions, notActions: p.notActions, dataActions: p.dataActions, notDataActions: p.notDataActions }]
      : [];
  });
  if (
    world.canWriteRoleAssignments &&
    !blocks.some((b) => blockAllows(b, 'Microsoft.Authorization/roleAssignments/write', 'action'))
  )
    blocks.push({ actions: ['*'], notActions: [], dataActions: [], notDataActions: [] });
  return { status: 200, body: { value: blocks } };
}

/**
 * A PIM eligibility instance as azure-rest-api-specs Authorization stable/2020-10-01 example
 * GetRoleEligibilityScheduleInstancesByScope.json has it (casing of RoleEligibilitySchedules and
 * RoleEligibilityScheduleInstances included, expandedProperties with the role's display name).
 * @param {import('../../support/world.mjs').World} world @param {import('../../support/world.mjs').Eligibility} e
 */
function eligibilityBody(world, e) {
  const sub = scopeSubscription(e.scope);
  const roleDefinitionId = `${sub ? `/subscriptions/${sub}` : ''}/providers/Microsoft.Authorization/roleDefinitions/${e.roleDefinitionGuid}`;
  const role = rolePermissions(world, e.roleDefinitionGuid);
  const properties = {
    scope: e.scope,
    roleDefinitionId,
    principalId: e.principalId,
    principalType: e.principalType,
    status: 'Provisioned',
    roleEligibilityScheduleId: `${e.scope}/providers/Microsoft.Authorization/RoleEligibilitySchedules/${e.scheduleId}`,
    startDateTime: '2026-11-01T10:00:00.00Z',
    endDateTime: '2027-11-01T10:00:00.00Z',
    memberType: 'Direct',
    createdOn: '2026-11-01T10:00:00.00Z',
    expandedProperties: {
      scope: {
        id: e.scope,
        displayName: e.scope.split('/').pop(),
        type: /resourceGroups\/[^/]+$/i.test(e.scope) ? 'resourcegroup' : 'subscription',
      },
      roleDefinition: {
        id: roleDefinitionId,
        displayName: role?.roleName ?? e.roleDefinitionGuid,
        type: role?.type ?? 'BuiltInRole',
      },
      principal: { id: e.principalId, displayName: e.principalId, type: e.principalType },
    },
  };
  return {
    properties,
    name: e.name,
    id: `${e.scope}/providers/Microsoft.Authorization/RoleEligibilityScheduleInstances/${e.name}`,
    type: 'Microsoft.Authorization/RoleEligibilityScheduleInstances',
  };
}

/** $filter=asTarget(): the caller's own eligibilities at the scope and above (Learn "Understand PIM APIs"). */
function eligibilityInstances(
  /** @type {import('../../support/world.mjs').World} */ world,
  /** @type {Record<string, any>} */ claims,
  /** @type {string} */ scope,
  /** @type {string} */ filter,
) {
  const mine = /asTarget\(\)/i.test(filter) ? [claims.oid.toLowerCase(), ...groupsOf(world, claims.oid)] : undefined;
  const value = (world.eligibilities ?? [])
    .filter((e) => scopeCovers(world, e.scope, scope) && (!mine || mine.includes(e.principalId.toLowerCase())))
    .map((e) => eligibilityBody(world, e));
  return { status: 200, body: { value } };
}

/**
 * PUT roleAssignmentScheduleRequests/{name} with requestType SelfActivate (spec example PutRoleAssignmentScheduleRequest.json;
 * Learn "Activate my Azure resource roles in PIM", ARM API): 201 Provisioned and an active role assignment; a policy rule that
 * fails is 400 RoleAssignmentRequestPolicyValidationFailed (AZURE-FACTS E.4).
 * @param {Req} r @param {Record<string, any>} claims @param {string} scope @param {string} name
 */
function selfActivate(r, claims, scope, name) {
  const world = r.world;
  const parsed = requestProperties(r);
  if ('reply' in parsed) return parsed.reply;
  const p = parsed.properties;
  const linked =
    String(p.linkedRoleEligibilityScheduleId ?? '')
      .split('/')
      .pop() ?? '';
  const e = (world.eligibilities ?? []).find(
    (x) => same(x.scheduleId, linked) && same(x.principalId, claims.oid) && same(x.scope, scope),
  );
  if (p.requestType !== 'SelfActivate' || !e)
    return armError(400, 'RoleAssignmentDoesNotExist', 'The Role assignment does not exist.');
  if (world.pimRequireJustification && !String(p.justification ?? '').trim()) {
    return armError(
      400,
      'RoleAssignmentRequestPolicyValidationFailed',
      'The following policy rules failed: ["JustificationRule"]',
    );
  }
  const active = newRoleAssignment({
    scope: e.scope,
    roleDefinitionGuid: e.roleDefinitionGuid,
    principalId: e.principalId,
    principalType: e.principalType,
    createdBy: claims.oid,
  });
  r.save({ ...world, roleAssignments: [...world.roleAssignments, active] });
  const reply = {
    properties: {
      ...p,
      scope: e.scope,
      principalType: e.principalType,
      status: 'Provisioned',
      targetRoleAssignmentScheduleId: active.name,
      createdOn: active.createdOn,
      requestorId: claims.oid,
    },
    name,
    id: `${scope}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}`,
    type: 'Microsoft.Authorization/RoleAssignmentScheduleRequests',
  };
  return { status: 201, body: reply, note: `activated ${active.id}` };
}

/** The `properties` of a PUT body, or ARM's 400 for a body that is not JSON. @param {Req} r @returns {{ properties: Record<string, any> } | { reply: Reply }} */
function requestProperties(r) {
  try {
    return { properties: JSON.parse(r.body || '{}').properties ?? {} };
  } catch {
    return {
      reply: armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.'),
    };
  }
}
