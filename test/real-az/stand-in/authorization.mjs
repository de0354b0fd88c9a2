// Microsoft.Authorization on ARM: the built-in role definitions and role assignments at any scope, as
// `az role assignment list|create|delete` (api-version 2020-04-01-preview in az 2.45) reads and writes them.
import { ROLE_IDS, checkPrincipal, roleGuid, roleNameOf, roleNamed, same, userEditsWhileAssigning } from '../../support/world.mjs';
import { armError } from './replies.mjs';

/** @typedef {import('./replies.mjs').Reply} Reply */
/** @typedef {import('./replies.mjs').Req} Req */

const trimScope = (/** @type {string} */ s) => s.replace(/\/+$/, '');

// Built-in role definitions (ids are the same in every tenant; texts from the Azure built-in roles page).
const ROLE_TEXT = {
  'Cognitive Services OpenAI User': {
    description: 'Read access to view files, models, deployments. The ability to create completion and embedding calls.',
    actions: ['Microsoft.CognitiveServices/*/read', 'Microsoft.Authorization/roleAssignments/read', 'Microsoft.Authorization/roleDefinitions/read'],
    dataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/*/read', 'Microsoft.CognitiveServices/accounts/OpenAI/engines/completions/action', 'Microsoft.CognitiveServices/accounts/OpenAI/engines/search/action', 'Microsoft.CognitiveServices/accounts/OpenAI/engines/generate/action', 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/search/action', 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/completions/action', 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action', 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/extensions/chat/completions/action', 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action', 'Microsoft.CognitiveServices/accounts/OpenAI/images/generations/action'],
  },
  'Cognitive Services OpenAI Contributor': {
    description: 'Full access including the ability to fine-tune, deploy and generate text',
    actions: ['Microsoft.CognitiveServices/*/read', 'Microsoft.CognitiveServices/accounts/deployments/write', 'Microsoft.CognitiveServices/accounts/deployments/delete', 'Microsoft.CognitiveServices/accounts/raiPolicies/read', 'Microsoft.CognitiveServices/accounts/raiPolicies/write', 'Microsoft.CognitiveServices/accounts/raiPolicies/delete', 'Microsoft.CognitiveServices/accounts/commitmentplans/read', 'Microsoft.CognitiveServices/accounts/commitmentplans/write', 'Microsoft.CognitiveServices/accounts/commitmentplans/delete', 'Microsoft.Authorization/roleAssignments/read', 'Microsoft.Authorization/roleDefinitions/read', 'Microsoft.Insights/alertRules/read'],
    dataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/*'],
  },
  'Cognitive Services User': {
    description: 'Lets you read and list keys of Cognitive Services.',
    actions: ['Microsoft.CognitiveServices/*/read', 'Microsoft.CognitiveServices/accounts/listkeys/action', 'Microsoft.Insights/alertRules/read', 'Microsoft.Insights/diagnosticSettings/read', 'Microsoft.Insights/logDefinitions/read', 'Microsoft.Insights/metricdefinitions/read', 'Microsoft.Insights/metrics/read', 'Microsoft.ResourceHealth/availabilityStatuses/read', 'Microsoft.Resources/deployments/operations/read', 'Microsoft.Resources/subscriptions/operationresults/read', 'Microsoft.Resources/subscriptions/read', 'Microsoft.Resources/subscriptions/resourceGroups/read', 'Microsoft.Support/*'],
    dataActions: ['Microsoft.CognitiveServices/*'],
  },
  Contributor: {
    description: 'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    actions: ['*'],
    notActions: ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/*/Write', 'Microsoft.Authorization/elevateAccess/Action', 'Microsoft.Blueprint/blueprintAssignments/write', 'Microsoft.Blueprint/blueprintAssignments/delete', 'Microsoft.Compute/galleries/share/action', 'Microsoft.Purview/consents/write', 'Microsoft.Purview/consents/delete'],
    dataActions: [],
  },
  Owner: { description: 'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.', actions: ['*'], dataActions: [] },
};

/** The subscription a scope sits in, if any. @param {string} scope */
export function scopeSubscription(scope) {
  return /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1] ?? null;
}

/** @param {string} name @param {string} scope */
function roleDefinitionBody(name, scope) {
  const guid = /** @type {Record<string, string>} */ (ROLE_IDS)[name] ?? '';
  const text = /** @type {Record<string, { description: string, actions: string[], notActions?: string[], dataActions: string[] }>} */ (ROLE_TEXT)[name];
  const sub = scopeSubscription(scope);
  return {
    properties: {
      roleName: name,
      type: 'BuiltInRole',
      description: text?.description ?? name,
      assignableScopes: ['/'],
      permissions: [{ actions: text?.actions ?? [], notActions: text?.notActions ?? [], dataActions: text?.dataActions ?? [], notDataActions: [] }],
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

/** Is `ancestor` the scope `scope` or one above it? @param {string} ancestor @param {string} scope */
function covers(ancestor, scope) {
  const a = trimScope(ancestor).toLowerCase();
  const s = trimScope(scope).toLowerCase();
  return a === '' || a === s || s.startsWith(`${a}/`);
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
export function authorization(/** @type {Req} */ r, /** @type {Record<string, any>} */ claims, /** @type {string} */ path, /** @type {string} */ filter) {
  const world = r.world;
  const at = path.search(/\/providers\/Microsoft\.Authorization\//i);
  const scope = path.slice(0, at);
  const rest = path.slice(at + '/providers/Microsoft.Authorization/'.length).split('/');
  const kind = (rest[0] ?? '').toLowerCase();
  const name = rest[1];

  if (kind === 'roledefinitions' && r.method === 'GET') {
    if (name) {
      const roleName = roleNameOf(name.toLowerCase());
      return roleName ? { status: 200, body: roleDefinitionBody(roleName, scope) } : armError(404, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${name}' does not exist.`);
    }
    const wanted = /roleName\s+eq\s+'([^']*)'/i.exec(filter)?.[1];
    const names = wanted === undefined ? Object.keys(ROLE_IDS) : [roleNamed(wanted)].filter((n) => n !== undefined);
    return { status: 200, body: { value: names.map((n) => roleDefinitionBody(n, scope)) } };
  }
  if (kind !== 'roleassignments') return armError(404, 'InvalidResourceType', `stand-in: no Microsoft.Authorization route for ${r.method} ${path}`);

  const principalFilter = /principalId\s+eq\s+'([^']*)'/i.exec(filter)?.[1] ?? /assignedTo\('([^']*)'\)/i.exec(filter)?.[1];
  if (r.method === 'GET' && !name) {
    // atScope(): assignments at the scope and above it. No atScope(): also those below it (ARM's list semantics).
    const atScope = /atScope\(\)/i.test(filter);
    const value = world.roleAssignments
      .filter((ra) => covers(ra.scope, scope) || (!atScope && covers(scope, ra.scope)))
      .filter((ra) => !principalFilter || same(ra.principalId, principalFilter))
      .map((ra) => roleAssignmentBody(ra));
    return { status: 200, body: { value } };
  }
  const existing = world.roleAssignments.find((ra) => same(ra.name, name) && same(trimScope(ra.scope), scope));
  if (r.method === 'GET') {
    return existing ? { status: 200, body: roleAssignmentBody(existing) } : armError(404, 'RoleAssignmentNotFound', `The role assignment '${name}' is not found.`);
  }
  const clientName = claims.upn ?? claims.appid ?? claims.oid;
  const denied = (/** @type {string} */ action) =>
    armError(403, 'AuthorizationFailed', `The client '${clientName}' with object id '${claims.oid}' does not have authorization to perform action '${action}' over scope '${path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`);
  if (r.method === 'DELETE') {
    if (!world.canWriteRoleAssignments) return denied('Microsoft.Authorization/roleAssignments/delete');
    if (!existing) return { status: 204 };
    r.save({ ...world, roleAssignments: world.roleAssignments.filter((ra) => ra !== existing) });
    return { status: 200, body: roleAssignmentBody(existing) };
  }
  if (r.method !== 'PUT') return armError(405, 'MethodNotAllowed', `stand-in: ${r.method} is not served on role assignments`);

  if (!world.canWriteRoleAssignments) return denied('Microsoft.Authorization/roleAssignments/write');
  /** @type {{ properties?: { roleDefinitionId?: string, principalId?: string, principalType?: string, description?: string } }} */
  let body;
  try {
    body = JSON.parse(r.body || '{}');
  } catch {
    return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  }
  const p = body.properties ?? {};
  const guid = roleGuid(p.roleDefinitionId ?? '');
  if (!roleNameOf(guid)) return armError(400, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${guid}' does not exist.`);
  const principalId = p.principalId ?? '';
  // PrincipalNotFound for an object the directory does not know; UnmatchedPrincipalType when the body's
  // principalType is not the object's, as ARM answers a role assignment PUT.
  const principal = checkPrincipal(world, principalId, claims.tid, p.principalType);
  if ('error' in principal) return armError(400, principal.error.code, principal.error.message);
  const duplicate = world.roleAssignments.find((ra) => same(ra.principalId, principalId) && roleGuid(ra.roleDefinitionId) === guid && same(trimScope(ra.scope), scope));
  if (duplicate) return armError(409, 'RoleAssignmentExists', 'The role assignment already exists.');
  if (existing) return armError(409, 'RoleAssignmentUpdateNotPermitted', 'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.');
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
