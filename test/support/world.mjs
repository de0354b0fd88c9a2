// The state of a pretend Azure shared by every test double: the fake `az` (test/fake-az), the local
// Azure OpenAI server (fake-aoai.ts) and the real-az tier's stand-in for Azure (test/real-az).
// One JSON file holds it, so a role assignment created through either az is what the data plane
// later lets through. Plain JavaScript so the fake `az` runs without a TypeScript loader.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

export const ROLE_IDS = {
  'Cognitive Services OpenAI User': '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
  'Cognitive Services OpenAI Contributor': 'a001fd3d-188f-4b5d-821b-7da978bf7442',
  'Cognitive Services User': 'a97b65f3-24c7-4388-baec-2e87135dc908',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
};
/** Roles whose data actions include chat completions. */
export const DATA_PLANE_ROLE_IDS = new Set([
  ROLE_IDS['Cognitive Services OpenAI User'],
  ROLE_IDS['Cognitive Services OpenAI Contributor'],
  ROLE_IDS['Cognitive Services User'],
]);

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
 *   sku?: string, reasoning?: boolean }} Deployment
 * @typedef {{ subscriptionId: string, resourceGroup: string, name: string, kind: 'OpenAI'|'AIServices'|string,
 *   location: string, customSubDomainName: string|null, endpoint?: string, deployments: Deployment[],
 *   publicNetworkAccess?: 'Enabled'|'Disabled', disableLocalAuth?: boolean|null }} CognitiveAccount
 * @typedef {{ subscriptionId: string, resourceGroup: string, name: string, principalId: string,
 *   clientId: string, tenantId: string, location?: string }} UserAssignedIdentity
 * @typedef {{ id: string, name: string, scope: string, roleDefinitionId: string, principalId: string,
 *   principalType: string, createdOn: string, createdBy?: string|null, updatedBy?: string|null,
 *   updatedOn?: string, description?: string|null, condition?: string|null, conditionVersion?: string|null }} RoleAssignment
 * @typedef {{
 *   signedIn: SignedIn | null,          // null: `az login` never ran (or az logout)
 *   signInExpired?: boolean,            // token requests fail with AADSTS700082 (user) / AADSTS7000222 (sp)
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
 * }} World
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

/** @param {CognitiveAccount} a */
export function accountId(a) {
  return `/subscriptions/${a.subscriptionId}/resourceGroups/${a.resourceGroup}/providers/Microsoft.CognitiveServices/accounts/${a.name}`;
}

/** The endpoint az reports: the custom subdomain's, or the regional one that cannot take Entra tokens. @param {CognitiveAccount} a */
export function accountEndpoint(a) {
  if (a.endpoint) return a.endpoint;
  const suffix = a.kind === 'AIServices' ? 'cognitiveservices.azure.com' : 'openai.azure.com';
  return a.customSubDomainName ? `https://${a.customSubDomainName}.${suffix}/` : `https://${a.location}.api.cognitive.microsoft.com/`;
}

/** @param {string} roleDefinitionId */
export function roleGuid(roleDefinitionId) {
  return roleDefinitionId.split('/').pop()?.toLowerCase() ?? '';
}

/**
 * Does `principalId` hold a data-plane role on the account, at its scope or inherited from above?
 * @param {World} world @param {string} principalId @param {CognitiveAccount} account @param {number} [nowMs]
 * @returns {'granted'|'propagating'|'missing'}
 */
export function dataPlaneAccess(world, principalId, account, nowMs = Date.now()) {
  const target = accountId(account).toLowerCase();
  let best = /** @type {'granted'|'propagating'|'missing'} */ ('missing');
  for (const ra of world.roleAssignments) {
    if (ra.principalId.toLowerCase() !== principalId.toLowerCase()) continue;
    if (!DATA_PLANE_ROLE_IDS.has(roleGuid(ra.roleDefinitionId))) continue;
    const scope = ra.scope.toLowerCase().replace(/\/+$/, '');
    if (!(target === scope || target.startsWith(`${scope}/`))) continue;
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
    subscriptions: [{ id: IDS.subscription, name: 'Contoso Dev', tenantId: IDS.tenant, isDefault: true, state: 'Enabled' }],
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
