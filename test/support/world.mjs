// The state of a pretend Azure shared by every test double: the fake `az` (test/fake-az), the local
// Azure OpenAI server (fake-aoai.ts) and the real-az tier's stand-in for Azure (test/real-az).
// One JSON file holds it, so a role assignment created through either az is what the data plane
// later lets through. Plain JavaScript so the fake `az` runs without a TypeScript loader.
import { readFileSync, writeFileSync, renameSync, appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

export const ROLE_IDS = {
  'Cognitive Services OpenAI User': '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
  'Cognitive Services OpenAI Contributor': 'a001fd3d-188f-4b5d-821b-7da978bf7442',
  'Cognitive Services User': 'a97b65f3-24c7-4388-baec-2e87135dc908',
  // Renamed "Foundry User" in 2026, same GUID (Azure-Samples/tutor#242); ARM answers with its current name.
  'Azure AI User': '53ca6127-db72-4b80-b1b0-d745d6d5456d',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
};

export const IDS = {
  tenant: '22222222-2222-2222-2222-222222222222',
  subscription: '11111111-1111-1111-1111-111111111111',
  subscription2: '33333333-3333-3333-3333-333333333333',
  userObjectId: '55555555-5555-5555-5555-555555555555',
  spAppId: '44444444-4444-4444-4444-444444444444',
  spObjectId: '66666666-6666-6666-6666-666666666666',
  miPrincipalId: '77777777-7777-7777-7777-777777777777',
  miClientId: '88888888-8888-8888-8888-888888888888',
  groupObjectId: '99999999-9999-9999-9999-999999999999',
};

/**
 * @typedef {{ type: 'user'|'servicePrincipal'|'managedIdentity', objectId: string, name: string,
 *   displayName?: string, appId?: string }} SignedIn
 * @typedef {{ id: string, name: string, tenantId: string, isDefault?: boolean, state?: string }} Subscription
 * @typedef {{ name: string, model: string, version?: string, format?: string, chat?: boolean,
 *   sku?: string, reasoning?: boolean, capabilities?: Record<string, string> }} Deployment
 * @typedef {{ subscriptionId: string, resourceGroup: string, name: string, kind: 'OpenAI'|'AIServices'|string,
 *   location: string, customSubDomainName: string|null, endpoint?: string, deployments: Deployment[],
 *   publicNetworkAccess?: 'Enabled'|'Disabled', disableLocalAuth?: boolean|null,
 *   audiences?: string[] }} CognitiveAccount (audiences: the token audiences its data plane takes; default its cloud's)
 * @typedef {{ name: string, issuer: string, subject: string, audiences: string[] }} FederatedCredential
 * @typedef {{ subscriptionId: string, resourceGroup: string, name: string, principalId: string,
 *   clientId: string, tenantId: string, location?: string, federatedCredentials?: FederatedCredential[] }} UserAssignedIdentity
 * @typedef {{ id: string, name: string, scope: string, roleDefinitionId: string, principalId: string,
 *   principalType: string, createdOn: string, createdBy?: string|null, updatedBy?: string|null,
 *   updatedOn?: string, description?: string|null, condition?: string|null, conditionVersion?: string|null }} RoleAssignment
 * @typedef {{
 *   signedIn: SignedIn | null,          // null: `az login` never ran (or az logout)
 *   signInExpired?: boolean,            // token requests fail with AADSTS700082 (user) / AADSTS7000222 (sp)
 *   signInProblem?: 'mfa'|'sign-in-frequency'|'lost-token-cache'|'empty-token-cache', // token requests fail so (until `az login`)
 *   mfaForWrites?: boolean,             // a user's Resource Manager writes need MFA the sign-in lacks (until `az login`)
 *   cloud?: 'AzureCloud'|'AzureUSGovernment'|'AzureChinaCloud',
 *   tenantId: string,
 *   subscriptions: Subscription[],
 *   accounts: CognitiveAccount[],
 *   identities: UserAssignedIdentity[],
 *   roleAssignments: RoleAssignment[],
 *   canWriteRoleAssignments: boolean,   // false: create answers 403 AuthorizationFailed
 *   directoryObjectIds?: string[],      // object ids Graph knows besides the signed-in one; others: PrincipalNotFound
 *   propagationSeconds?: number,        // the data plane denies a new assignment for this long after createdOn
 *   azDelayMs?: number,                 // the fake az sleeps this long per call (benchmarks)
 *   azVersion?: string,                 // the az the fake is (default 2.78.0): before 2.54 no expires_on; 2.45 no tenantDefaultDomain
 *   loginAs?: SignedIn,                 // who `az login` signs in (default: alice)
 *   tokenLifetimeSeconds?: number,      // lifetime of the tokens `az account get-access-token` mints (default 3600)
 *   principalTypes?: Record<string, 'User'|'ServicePrincipal'|'Group'>, // true type of a directory object id, when not the usual one
 *   editWhileAssigning?: { path: string, append: string }, // test hook: a user's edit while Azure creates the role assignment
 *   groups?: Group[],                   // Entra groups; a member may be a group (nested)
 *   managementGroups?: ManagementGroup[], // the hierarchy above subscriptions (the tenant root "/" is above all)
 *   customRoles?: CustomRole[],         // custom role definitions, judged by their data actions
 *   eligibilities?: Eligibility[],      // PIM: eligible assignments, not role assignments until activated
 *   pimRequireJustification?: boolean,  // the PIM policy's JustificationRule
 *   graphReadDenied?: boolean,          // the caller may not read the directory: Graph answers 403 Authorization_RequestDenied
 * }} World
 * @typedef {{ id: string, displayName: string, members: string[] }} Group
 * @typedef {{ name: string, subscriptions: string[], parent?: string }} ManagementGroup
 * @typedef {{ guid: string, roleName: string, actions: string[], notActions?: string[], dataActions: string[], notDataActions?: string[] }} CustomRole
 * @typedef {{ name: string, scope: string, roleDefinitionGuid: string, principalId: string, principalType: string, scheduleId: string }} Eligibility
 */

/** @param {string} path @returns {World} */
export function loadWorld(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Atomic, so concurrent fake az processes never read half a file. @param {string} path @param {World} world */
export function saveWorld(path, world) {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, JSON.stringify(world, null, 2));
  renameSync(tmp, path);
}

/**
 * A test hook, not Azure behaviour: the user edits a file (their .env) while Azure is creating the role
 * assignment. Both az doubles call it while they handle the create (the fake az's `role assignment
 * create`, the stand-in's PUT), so the edit lands after setup read the .env and before it writes it:
 * an edit made while setup waits on Azure, with no timing involved.
 * @param {World} world
 */
export function userEditsWhileAssigning(world) {
  const edit = world.editWhileAssigning;
  if (edit) appendFileSync(edit.path, edit.append);
}

/** @param {CognitiveAccount} a */
export function accountId(a) {
  return `/subscriptions/${a.subscriptionId}/resourceGroups/${a.resourceGroup}/providers/Microsoft.CognitiveServices/accounts/${a.name}`;
}

/** The endpoint az reports: the custom subdomain's, or the regional one that cannot take Entra tokens. @param {CognitiveAccount} a */
export function accountEndpoint(a) {
  if (a.endpoint) return a.endpoint;
  const suffix = a.kind === 'AIServices' ? 'cognitiveservices.azure.com' : 'openai.azure.com';
  return a.customSubDomainName
    ? `https://${a.customSubDomainName}.${suffix}/`
    : `https://${a.location}.api.cognitive.microsoft.com/`;
}

/** @param {string} roleDefinitionId */
export function roleGuid(roleDefinitionId) {
  return roleDefinitionId.split('/').pop()?.toLowerCase() ?? '';
}

// --- What Azure RBAC grants ------------------------------------------------------------------------

/**
 * Built-in role definitions by name (texts and permissions from Learn's built-in roles page, ai-machine-learning and
 * general; Azure AI User from Learn "Role-based access control for Microsoft Foundry").
 * @type {Record<string, { description: string, actions: string[], notActions?: string[], dataActions: string[] }>}
 */
export const ROLE_TEXT = {
  'Cognitive Services OpenAI User': {
    description:
      'Read access to view files, models, deployments. The ability to create completion and embedding calls.',
    actions: [
      'Microsoft.CognitiveServices/*/read',
      'Microsoft.Authorization/roleAssignments/read',
      'Microsoft.Authorization/roleDefinitions/read',
    ],
    dataActions: [
      'Microsoft.CognitiveServices/accounts/OpenAI/*/read',
      'Microsoft.CognitiveServices/accounts/OpenAI/engines/completions/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/engines/search/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/engines/generate/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/search/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/completions/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/extensions/chat/completions/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/images/generations/action',
    ],
  },
  'Cognitive Services OpenAI Contributor': {
    description: 'Full access including the ability to fine-tune, deploy and generate text',
    actions: [
      'Microsoft.CognitiveServices/*/read',
      'Microsoft.CognitiveServices/accounts/deployments/write',
      'Microsoft.CognitiveServices/accounts/deployments/delete',
      'Microsoft.CognitiveServices/accounts/raiPolicies/read',
      'Microsoft.CognitiveServices/accounts/raiPolicies/write',
      'Microsoft.CognitiveServices/accounts/raiPolicies/delete',
      'Microsoft.CognitiveServices/accounts/commitmentplans/read',
      'Microsoft.CognitiveServices/accounts/commitmentplans/write',
      'Microsoft.CognitiveServices/accounts/commitmentplans/delete',
      'Microsoft.Authorization/roleAssignments/read',
      'Microsoft.Authorization/roleDefinitions/read',
      'Microsoft.Insights/alertRules/read',
    ],
    dataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/*'],
  },
  'Cognitive Services User': {
    description: 'Lets you read and list keys of Cognitive Services.',
    actions: [
      'Microsoft.CognitiveServices/*/read',
      'Microsoft.CognitiveServices/accounts/listkeys/action',
      'Microsoft.Insights/alertRules/read',
      'Microsoft.Insights/diagnosticSettings/read',
      'Microsoft.Insights/logDefinitions/read',
      'Microsoft.Insights/metricdefinitions/read',
      'Microsoft.Insights/metrics/read',
      'Microsoft.ResourceHealth/availabilityStatuses/read',
      'Microsoft.Resources/deployments/operations/read',
      'Microsoft.Resources/subscriptions/operationresults/read',
      'Microsoft.Resources/subscriptions/read',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Support/*',
    ],
    dataActions: ['Microsoft.CognitiveServices/*'],
  },
  'Azure AI User': {
    description:
      'Grants reader access to AI projects, reader access to AI accounts, and data actions for an AI project.',
    actions: [
      'Microsoft.CognitiveServices/*/read',
      'Microsoft.CognitiveServices/accounts/listkeys/action',
      'Microsoft.Insights/alertRules/read',
      'Microsoft.Insights/diagnosticSettings/read',
      'Microsoft.Insights/logDefinitions/read',
      'Microsoft.Insights/metricdefinitions/read',
      'Microsoft.Insights/metrics/read',
      'Microsoft.ResourceHealth/availabilityStatuses/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/operationresults/read',
      'Microsoft.Resources/subscriptions/read',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Support/*',
    ],
    dataActions: ['Microsoft.CognitiveServices/*'],
  },
  Contributor: {
    description:
      'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    actions: ['*'],
    notActions: [
      'Microsoft.Authorization/*/Delete',
      'Microsoft.Authorization/*/Write',
      'Microsoft.Authorization/elevateAccess/Action',
      'Microsoft.Blueprint/blueprintAssignments/write',
      'Microsoft.Blueprint/blueprintAssignments/delete',
      'Microsoft.Compute/galleries/share/action',
      'Microsoft.Purview/consents/write',
      'Microsoft.Purview/consents/delete',
    ],
    dataActions: [],
  },
  Owner: {
    description: 'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    actions: ['*'],
    dataActions: [],
  },
};

/** A role definition's permission block, built-in or custom. @param {World} world @param {string} guid */
export function rolePermissions(world, guid) {
  const custom = (world.customRoles ?? []).find((r) => same(r.guid, guid));
  if (custom)
    return {
      roleName: custom.roleName,
      type: 'CustomRole',
      actions: custom.actions,
      notActions: custom.notActions ?? [],
      dataActions: custom.dataActions,
      notDataActions: custom.notDataActions ?? [],
    };
  const name = roleNameOf(guid.toLowerCase());
  const text = name ? ROLE_TEXT[name] : undefined;
  if (!name || !text) return undefined;
  return {
    roleName: name,
    type: 'BuiltInRole',
    actions: text.actions,
    notActions: text.notActions ?? [],
    dataActions: text.dataActions,
    notDataActions: [],
  };
}

/** RBAC's match of an action against a pattern: `*` is any characters, case ignored (Learn "Understand role definitions"). @param {string} pattern @param {string} action */
export function actionMatches(pattern, action) {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((x) => x.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  ).test(action);
}

/** @param {{ actions: string[], notActions: string[], dataActions: string[], notDataActions: string[] }} block @param {string} action @param {'action'|'data'} kind */
export function blockAllows(block, action, kind) {
  const [granted, excluded] =
    kind === 'data' ? [block.dataActions, block.notDataActions] : [block.actions, block.notActions];
  return granted.some((p) => actionMatches(p, action)) && !excluded.some((p) => actionMatches(p, action));
}

/** The data action a chat completion needs: OpenAI's models, else Models-as-a-Service (AZURE-FACTS E.5). @param {string|undefined} format */
export function requiredDataAction(format) {
  return !format || same(format, 'OpenAI')
    ? 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action'
    : 'Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action';
}

/** The groups a principal is in, nested membership followed (what Graph's transitiveMemberOf returns). @param {World} world @param {string} principalId */
export function groupsOf(world, principalId) {
  const found = new Set();
  const visit = (/** @type {string} */ id) => {
    for (const g of world.groups ?? []) {
      if (g.members.some((m) => same(m, id)) && !found.has(g.id.toLowerCase())) {
        found.add(g.id.toLowerCase());
        visit(g.id);
      }
    }
  };
  visit(principalId);
  return [...found];
}

export const managementGroupScope = (/** @type {string} */ name) =>
  `/providers/Microsoft.Management/managementGroups/${name}`;

/** The management groups above a subscription, nearest first. @param {World} world @param {string} subscriptionId */
function managementGroupsAbove(world, subscriptionId) {
  const chain = [];
  let mg = (world.managementGroups ?? []).find((m) => m.subscriptions.some((s) => same(s, subscriptionId)));
  while (mg && chain.length < 10) {
    chain.push(mg.name);
    const parent = mg.parent;
    mg = parent ? (world.managementGroups ?? []).find((m) => same(m.name, parent)) : undefined;
  }
  return chain;
}

/** Is `ancestor` the scope `scope` or above it, management groups and the root "/" included? @param {World} world @param {string} ancestor @param {string} scope */
export function scopeCovers(world, ancestor, scope) {
  const a = ancestor.replace(/\/+$/, '').toLowerCase();
  const s = scope.replace(/\/+$/, '').toLowerCase();
  if (a === '' || a === s || s.startsWith(`${a}/`)) return true;
  const mg = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)$/.exec(a)?.[1];
  if (!mg) return false;
  const sub = /^\/subscriptions\/([^/]+)/.exec(s)?.[1];
  const chain = sub
    ? managementGroupsAbove(world, sub)
    : managementGroupsAbove(world, '').concat(
        /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)/.exec(s)?.[1] ?? [],
      );
  return chain.some((n) => same(n, mg));
}

/** The role assignments that apply to a principal at a scope: its own and its groups', at the scope or above. @param {World} world @param {string} principalId @param {string} scope */
export function applicableAssignments(world, principalId, scope) {
  const ids = [principalId.toLowerCase(), ...groupsOf(world, principalId)];
  return world.roleAssignments.filter(
    (ra) => ids.includes(ra.principalId.toLowerCase()) && scopeCovers(world, ra.scope, scope),
  );
}

/**
 * Does `principalId` hold a role whose data actions call the deployment's model on the account: directly, through
 * (nested) groups, at the account or any scope above it (management groups included), a custom role by its data actions?
 * @param {World} world @param {string} principalId @param {CognitiveAccount} account @param {number} [nowMs] @param {string} [format]
 * @returns {'granted'|'propagating'|'missing'}
 */
export function dataPlaneAccess(world, principalId, account, nowMs = Date.now(), format = 'OpenAI') {
  const action = requiredDataAction(format);
  let best = /** @type {'granted'|'propagating'|'missing'} */ ('missing');
  for (const ra of applicableAssignments(world, principalId, accountId(account))) {
    const perms = rolePermissions(world, roleGuid(ra.roleDefinitionId));
    if (!perms || !blockAllows(perms, action, 'data')) continue;
    const readyAt = Date.parse(ra.createdOn) + (world.propagationSeconds ?? 0) * 1000;
    if (nowMs >= readyAt) return 'granted';
    best = 'propagating';
  }
  return best;
}

/** The account whose endpoint host is `host` (custom subdomain or regional), if any. @param {World} world @param {string} host */
export function accountByHost(world, host) {
  return world.accounts.find((a) => new URL(accountEndpoint(a)).host.toLowerCase() === host.toLowerCase());
}

/**
 * A ready world: one signed-in identity, one subscription, one OpenAI account with a chat and an embedding deployment.
 * @param {Partial<World>} [overrides] @returns {World}
 */
export function baseWorld(overrides = {}) {
  return {
    signedIn: { type: 'user', objectId: IDS.userObjectId, name: 'alice@contoso.com', displayName: 'Alice Example' },
    cloud: 'AzureCloud',
    tenantId: IDS.tenant,
    subscriptions: [
      { id: IDS.subscription, name: 'Contoso Dev', tenantId: IDS.tenant, isDefault: true, state: 'Enabled' },
    ],
    accounts: [
      {
        subscriptionId: IDS.subscription,
        resourceGroup: 'rg-aoai',
        name: 'contoso-aoai',
        kind: 'OpenAI',
        location: 'eastus',
        customSubDomainName: 'contoso-aoai',
        deployments: [
          { name: 'gpt-4o-mini', model: 'gpt-4o-mini', version: '2024-07-18', chat: true },
          { name: 'embed', model: 'text-embedding-3-small', version: '1', chat: false },
        ],
      },
    ],
    identities: [
      {
        subscriptionId: IDS.subscription,
        resourceGroup: 'rg-app',
        name: 'id-app',
        principalId: IDS.miPrincipalId,
        clientId: IDS.miClientId,
        tenantId: IDS.tenant,
      },
    ],
    roleAssignments: [],
    canWriteRoleAssignments: true,
    directoryObjectIds: [IDS.groupObjectId, IDS.miPrincipalId, IDS.spObjectId],
    propagationSeconds: 0,
    ...overrides,
  };
}

/** ARM's id of a user-assigned identity: Microsoft.ManagedIdentity spells `resourcegroups` in lower case. @param {UserAssignedIdentity} i */
export function identityId(i) {
  return `/subscriptions/${i.subscriptionId}/resourcegroups/${i.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${i.name}`;
}

/** A time as az prints ARM's: `2025-11-01T10:00:00.123000+00:00` (Python isoformat of an aware UTC datetime). @param {Date} [at] */
export function azTimestamp(at = new Date()) {
  return `${at.toISOString().slice(0, 23)}000+00:00`;
}

/**
 * A role assignment as ARM stores it: id under the scope, roleDefinitionId qualified with the scope's subscription.
 * @param {{ scope: string, roleDefinitionGuid: string, principalId: string, principalType: string, name?: string,
 *   createdBy?: string, createdOn?: string, description?: string|null, condition?: string|null, conditionVersion?: string|null }} p
 * @returns {RoleAssignment}
 */
export function newRoleAssignment(p) {
  const name = p.name ?? randomUUID();
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(p.scope)?.[1];
  const createdOn = p.createdOn ?? azTimestamp();
  /** @type {RoleAssignment} */
  const ra = {
    id: `${p.scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    scope: p.scope,
    roleDefinitionId: `${subscription ? `/subscriptions/${subscription}` : ''}/providers/Microsoft.Authorization/roleDefinitions/${p.roleDefinitionGuid}`,
    principalId: p.principalId,
    principalType: p.principalType,
    createdOn,
    createdBy: p.createdBy ?? p.principalId,
    updatedBy: p.createdBy ?? p.principalId,
    updatedOn: createdOn,
  };
  if (p.description != null) ra.description = p.description;
  if (p.condition != null) ra.condition = p.condition;
  if (p.conditionVersion != null) ra.conditionVersion = p.conditionVersion;
  return ra;
}

// ---------------------------------------------------------------------------------------------
// The pretend Azure as both az doubles answer for it: the fake az (test/fake-az) prints it as az would,
// the real-az tier's stand-in (test/real-az/stand-in) sends it over HTTP for the real az to print.
// ---------------------------------------------------------------------------------------------

/** Ids and names compare case-insensitively in Azure. @param {string|undefined|null} a @param {string|undefined|null} b */
export const same = (a, b) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/** The home tenant is Contoso, as in the recorded az transcripts. @param {World} world @param {string} tenantId */
export function tenantInfo(world, tenantId) {
  if (same(tenantId, world.tenantId)) return { displayName: 'Contoso', defaultDomain: 'contoso.onmicrosoft.com' };
  const short = tenantId.slice(0, 8);
  return { displayName: `Tenant ${short}`, defaultDomain: `tenant${short}.onmicrosoft.com` };
}

/** Resource groups exist where the world has something in them. @param {World} world @param {string} subscriptionId @param {string} rg */
export function resourceGroupExists(world, subscriptionId, rg) {
  return [...world.accounts, ...world.identities].some(
    (r) => same(r.subscriptionId, subscriptionId) && same(r.resourceGroup, rg),
  );
}

/**
 * Who a managed identity signs in as: a user-assigned identity of the world, or (none given) the machine's
 * system-assigned one, the default of `az login --identity` and of IMDS.
 * @param {UserAssignedIdentity} [identity] @returns {SignedIn}
 */
export function managedIdentitySignIn(identity) {
  if (!identity)
    return {
      type: 'managedIdentity',
      objectId: IDS.miPrincipalId,
      name: 'systemAssignedIdentity',
      appId: IDS.miClientId,
    };
  return {
    type: 'managedIdentity',
    objectId: identity.principalId,
    name: 'userAssignedIdentity',
    appId: identity.clientId,
    displayName: identity.name,
  };
}

// --- Role definitions ---------------------------------------------------------------------------

/** The built-in role a role definition GUID names (lower case), if any. @param {string} guid */
export const roleNameOf = (guid) => Object.entries(ROLE_IDS).find(([, id]) => id === guid)?.[0];

/** The built-in role a name names, as it is spelled (role names compare case-insensitively). @param {string} name */
export const roleNamed = (name) =>
  /** @type {keyof typeof ROLE_IDS | undefined} */ (Object.keys(ROLE_IDS).find((n) => same(n, name)));

// --- The directory (Microsoft Graph v1.0) ---------------------------------------------------------

/** Graph v1.0 user with the default $select properties. @param {string} id @param {string} upn @param {string} displayName */
export function graphUser(id, upn, displayName) {
  const [givenName, ...rest] = displayName.split(' ');
  return {
    '@odata.type': '#microsoft.graph.user',
    businessPhones: [],
    displayName,
    givenName: givenName ?? null,
    jobTitle: null,
    mail: upn,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: rest.join(' ') || null,
    userPrincipalName: upn,
    id,
  };
}

/** Graph v1.0 servicePrincipal. @param {{ id: string, appId: string, displayName: string, type: 'Application'|'ManagedIdentity', names: string[] }} p */
export function graphServicePrincipal(p) {
  const app = p.type === 'Application';
  return {
    '@odata.type': '#microsoft.graph.servicePrincipal',
    id: p.id,
    deletedDateTime: null,
    accountEnabled: true,
    alternativeNames: [],
    appDescription: null,
    appDisplayName: app ? p.displayName : null,
    appId: p.appId,
    applicationTemplateId: null,
    appOwnerOrganizationId: app ? IDS.tenant : null,
    appRoleAssignmentRequired: false,
    createdDateTime: '2025-10-01T12:00:00Z',
    description: null,
    disabledByMicrosoftStatus: null,
    displayName: p.displayName,
    homepage: null,
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    notificationEmailAddresses: [],
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyThumbprint: null,
    replyUrls: [],
    servicePrincipalNames: p.names,
    servicePrincipalType: p.type,
    signInAudience: app ? 'AzureADMyOrg' : null,
    tags: [],
    tokenEncryptionKeyId: null,
    samlSingleSignOnSettings: null,
    addIns: [],
    appRoles: [],
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    keyCredentials: [],
    oauth2PermissionScopes: [],
    passwordCredentials: [],
    resourceSpecificApplicationPermissions: [],
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
  };
}

/** Graph v1.0 group (a security group). @param {string} id @param {string} displayName */
export function graphGroup(id, displayName) {
  return {
    '@odata.type': '#microsoft.graph.group',
    id,
    displayName,
    mail: null,
    securityEnabled: true,
    mailEnabled: false,
    description: null,
  };
}

/**
 * The objects Graph (and RBAC) know, as Graph v1.0 returns them with their @odata.type: the signed-in identity, the
 * world's managed identities and directoryObjectIds (the well-known ids of IDS by what they are, others by
 * world.principalTypes, else as groups). Any other object id is unknown: PrincipalNotFound for a role assignment.
 * @param {World} world @returns {Array<Record<string, any>>}
 */
export function directoryObjects(world) {
  /** @type {Array<Record<string, any>>} */
  const objects = [];
  const add = (/** @type {Record<string, any>} */ o) => {
    if (!objects.some((x) => same(x.id, o.id))) objects.push(o);
  };
  const me = world.signedIn;
  if (me?.type === 'user') add(graphUser(me.objectId, me.name, me.displayName ?? me.name));
  if (me?.type === 'servicePrincipal')
    add(
      graphServicePrincipal({
        id: me.objectId,
        appId: me.appId ?? me.name,
        displayName: me.displayName ?? 'aoai-wizard-ci',
        type: 'Application',
        names: [me.appId ?? me.name],
      }),
    );
  for (const i of world.identities)
    add(
      graphServicePrincipal({
        id: i.principalId,
        appId: i.clientId,
        displayName: i.name,
        type: 'ManagedIdentity',
        names: [i.clientId, identityId(i)],
      }),
    );
  if (me?.type === 'managedIdentity')
    add(
      graphServicePrincipal({
        id: me.objectId,
        appId: me.appId ?? IDS.miClientId,
        displayName: me.displayName ?? me.name,
        type: 'ManagedIdentity',
        names: [me.appId ?? IDS.miClientId],
      }),
    );
  for (const g of world.groups ?? []) add(graphGroup(g.id, g.displayName));
  for (const id of world.directoryObjectIds ?? []) {
    const type = world.principalTypes?.[id];
    const short = id.slice(0, 8);
    if (same(id, IDS.spObjectId) && (type ?? 'ServicePrincipal') === 'ServicePrincipal')
      add(
        graphServicePrincipal({
          id,
          appId: IDS.spAppId,
          displayName: 'aoai-wizard-ci',
          type: 'Application',
          names: [IDS.spAppId],
        }),
      );
    else if (same(id, IDS.userObjectId) && (type ?? 'User') === 'User')
      add(graphUser(id, 'alice@contoso.com', 'Alice Example'));
    else if (type === 'User') add(graphUser(id, `user-${short}@contoso.com`, `User ${short}`));
    else if (type === 'ServicePrincipal')
      add(graphServicePrincipal({ id, appId: id, displayName: `app-${short}`, type: 'Application', names: [id] }));
    else add(graphGroup(id, same(id, IDS.groupObjectId) ? 'aoai-users' : `group-${short}`));
  }
  return objects;
}

/** The principal type RBAC records for a directory object (role/custom.py _odata_type_to_arm_principal_type). @param {Record<string, any>} o */
export const principalTypeOf = (o) =>
  ({
    '#microsoft.graph.user': 'User',
    '#microsoft.graph.servicePrincipal': 'ServicePrincipal',
    '#microsoft.graph.group': 'Group',
  })[/** @type {'#microsoft.graph.user'} */ (o['@odata.type'])];

export const GRAPH_V1 = 'https://graph.microsoft.com/v1.0';

/** An entity as Graph returns it alone: with its @odata.context and without @odata.type. @param {string} set @param {Record<string, any>} o */
export function graphEntity(set, o) {
  const { '@odata.type': _type, ...rest } = o;
  return { '@odata.context': `${GRAPH_V1}/$metadata#${set}/$entity`, ...rest };
}

/**
 * ARM's check of the principal of a new role assignment: the object must be in the directory (PrincipalNotFound,
 * as just after its creation, a replication delay), and a principal type given must be its own (UnmatchedPrincipalType).
 * @param {World} world @param {string} principalId @param {string} tenantId the directory ARM looked in
 * @param {string} [principalType] the type the request gave, if any
 * @returns {{ principal: Record<string, any>, principalType: string } | { error: { code: string, message: string } }}
 */
export function checkPrincipal(world, principalId, tenantId, principalType) {
  const principal = directoryObjects(world).find((o) => same(o.id, principalId));
  if (!principal)
    return { error: { code: 'PrincipalNotFound', message: AZURE_TEXT.principalNotFound(principalId, tenantId) } };
  const actual = principalTypeOf(principal);
  if (principalType && principalType !== actual)
    return {
      error: {
        code: 'UnmatchedPrincipalType',
        message: AZURE_TEXT.unmatchedPrincipalType(principalId, actual, principalType),
      },
    };
  return { principal, principalType: actual };
}

// --- What the services say ----------------------------------------------------------------------

export const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
/** AAD and ARM stamp these on every error text; fixed values keep az's output comparable with recorded transcripts. */
export const TRACE = `Trace ID: ${ZERO_GUID} Correlation ID: ${ZERO_GUID}`;

const noDashes = (/** @type {string} */ id) => id.replace(/-/g, '');

/** Error texts of Entra ID and ARM, the same whichever az double says them. */
export const AZURE_TEXT = {
  /** AADSTS700082: a user's refresh token has expired (a sign-in left unused for 90 days). */
  refreshTokenExpired: `AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2025-01-01T00:00:00.0000000Z and was inactive for 90.00:00:00. ${TRACE} Timestamp: 2025-04-01 00:00:00Z`,
  /** AADSTS50076: Conditional Access (or mandatory MFA) wants MFA; text as users pasted it (Azure/azure-cli#6962, #31742). */
  mfaRequired: `AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '797f4846-ba00-4fd7-ba43-dac1f8f63013'. ${TRACE} Timestamp: 2025-11-01 10:00:00Z`,
  /** AADSTS70043: a Conditional Access sign-in frequency check (AZURE-FACTS E.1; Entra's AADSTS reference). */
  signInFrequency: `AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on 2025-10-01T00:00:00.0000000Z and the maximum allowed lifetime for this request is 43200. ${TRACE} Timestamp: 2025-11-01 10:00:00Z`,
  /** ARM's deny of a write by the mandatory-MFA policy (Azure CLI troubleshooting doc, MicrosoftDocs/azure-docs-cli#5403). @param {string} name */
  mfaDeny: (name) =>
    `Resource '${name}' was disallowed by policy. Reasons: MFA is required. See error details for policy resource IDs.`,
  /**
   * ARM's 401 InvalidAuthenticationTokenTenant, as far as users pasted it (Azure-Samples azure-search-openai-demo
   * troubleshooting; public issue logs quote "It must match the tenant 'https://sts.windows.net/<id>/' associated
   * with this subscription."). @param {string} tokenTenant @param {string} subscriptionTenant
   */
  wrongIssuer: (tokenTenant, subscriptionTenant) =>
    `The access token is from the wrong issuer 'https://sts.windows.net/${tokenTenant}/'. It must match the tenant 'https://sts.windows.net/${subscriptionTenant}/' associated with this subscription.`,
  /** AADSTS7000222: a service principal's client secret has expired. @param {string} appId */
  clientSecretExpired: (appId) =>
    `AADSTS7000222: The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds. ${TRACE} Timestamp: 2025-11-01 10:00:00Z`,
  /** ARM's 403 (text per Azure/azure-powershell#10917): the client is a user's UPN, else the app id. @param {string} client @param {string} objectId @param {string} action @param {string} scope */
  authorizationFailed: (client, objectId, action, scope) =>
    `The client '${client}' with object id '${objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  /** @param {string} rg */
  resourceGroupNotFound: (rg) => `Resource group '${rg}' could not be found.`,
  /** ARM's 404 for a resource in an existing group (text per microsoft/foundry-dev-tools#512). @param {string} resource `TYPE/NAME` @param {string} rg */
  resourceNotFound: (resource, rg) =>
    `The Resource '${resource}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  /** Note the double space before "See": the service's text, as users have pasted it (e.g. Azure-Samples/azure-search-openai-demo#9). @param {string} principalId @param {string} tenantId */
  principalNotFound: (principalId, tenantId) =>
    `Principal ${noDashes(principalId)} does not exist in the directory ${tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
  /** ARM's text, typo and stray space included (Azure-Samples/azure-openai-assistant-javascript#18, azd transcripts). @param {string} principalId @param {string} actual @param {string} requested */
  unmatchedPrincipalType: (principalId, actual, requested) =>
    `The PrincipalId '${noDashes(principalId)}' has type '${actual}' , which is different from specified PrinciaplType '${requested}'.`,
};
