// Microsoft.ManagedIdentity on ARM: user-assigned identities (az identity list|show|create) and their
// federated identity credentials (az identity federated-credential list|create), as ARM sends them. Bodies
// and status codes from az's recording test_federated_identity_credential.yaml (Azure/azure-cli,
// command_modules/identity/tests/latest/recordings: PUT identity -> 201 with tenantId, principalId, clientId;
// PUT .../federatedIdentityCredentials/NAME -> 201 {id,name,type,properties:{issuer,subject,audiences}};
// GET .../federatedIdentityCredentials -> {value:[...]}) and azure-rest-api-specs
// (specification/msi/resource-manager/Microsoft.ManagedIdentity/stable/2023-01-31/examples: IdentityCreate.json,
// FederatedIdentityCredentialCreate.json, FederatedIdentityCredentialList.json).
import { randomUUID } from 'node:crypto';
import { identityId, resourceGroupExists, same } from '../../support/world.mjs';
import { notFoundResource, rgNotFound } from './replies.mjs';

/** @typedef {import('./replies.mjs').Reply} Reply */
/** @typedef {import('./replies.mjs').Req} Req */

/** userAssignedIdentities body (Microsoft.ManagedIdentity 2022-01-31-preview / 2023-01-31). @param {import('../../support/world.mjs').UserAssignedIdentity} i */
function identityBody(i) {
  return {
    id: identityId(i),
    name: i.name,
    type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
    location: i.location ?? 'eastus',
    tags: {},
    properties: { tenantId: i.tenantId, principalId: i.principalId, clientId: i.clientId },
  };
}

/** @param {import('../../support/world.mjs').UserAssignedIdentity} i @param {import('../../support/world.mjs').FederatedCredential} c */
function credentialBody(i, c) {
  return {
    id: `${identityId(i)}/federatedIdentityCredentials/${c.name}`,
    name: c.name,
    type: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
    properties: { issuer: c.issuer, subject: c.subject, audiences: c.audiences },
  };
}

/** PUT of an identity: 201 with new ids, or 200 for one that exists. @param {Req} r @param {string} s @param {string} rg @param {string} name @returns {Reply} */
function putIdentity(r, s, rg, name) {
  const world = r.world;
  const found = world.identities.find(
    (i) => same(i.subscriptionId, s) && same(i.resourceGroup, rg) && same(i.name, name),
  );
  if (found) return { status: 200, body: identityBody(found) };
  const location = /** @type {{ location?: string }} */ (JSON.parse(r.body || '{}')).location ?? 'eastus';
  const i = {
    subscriptionId: s,
    resourceGroup: rg,
    name,
    principalId: randomUUID(),
    clientId: randomUUID(),
    tenantId: world.tenantId,
    location,
  };
  world.identities.push(i);
  world.directoryObjectIds = [...(world.directoryObjectIds ?? []), i.principalId];
  r.save(world);
  return { status: 201, body: identityBody(i) };
}

/** GET (list) and PUT of federated credentials of an identity. @param {Req} r @param {import('../../support/world.mjs').UserAssignedIdentity} i @param {string | undefined} name @returns {Reply} */
function federatedCredentials(r, i, name) {
  i.federatedCredentials ??= [];
  const list = i.federatedCredentials;
  if (r.method === 'GET' && !name) return { status: 200, body: { value: list.map((c) => credentialBody(i, c)) } };
  const found = list.find((c) => same(c.name, name));
  if (r.method === 'GET')
    return found
      ? { status: 200, body: credentialBody(i, found) }
      : notFoundResource(
          `Microsoft.ManagedIdentity/userAssignedIdentities/${i.name}/federatedIdentityCredentials/${name}`,
          i.resourceGroup,
        );
  if (r.method !== 'PUT' || !name)
    return notFoundResource(
      `Microsoft.ManagedIdentity/userAssignedIdentities/${i.name}/federatedIdentityCredentials`,
      i.resourceGroup,
    );
  const p =
    /** @type {{ properties?: { issuer?: string, subject?: string, audiences?: string[] } }} */ (
      JSON.parse(r.body || '{}')
    ).properties ?? {};
  const c = { name, issuer: p.issuer ?? '', subject: p.subject ?? '', audiences: p.audiences ?? [] };
  if (found) Object.assign(found, c);
  else list.push(c);
  r.save(r.world);
  return { status: found ? 200 : 201, body: credentialBody(i, c) };
}

/** User-assigned identities (GET in a subscription or group, PUT) and their federated credentials; undefined for any other request. @param {Req} r @param {string} path @returns {Reply | undefined} */
export function userAssignedIdentities(r, path) {
  const f =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)\/federatedIdentityCredentials(?:\/([^/]+))?$/i.exec(
      path,
    );
  if (f) {
    const i = r.world.identities.find(
      (x) => same(x.subscriptionId, f[1]) && same(x.resourceGroup, f[2]) && same(x.name, f[3]),
    );
    return i
      ? federatedCredentials(r, i, f[4])
      : notFoundResource(`Microsoft.ManagedIdentity/userAssignedIdentities/${f[3]}`, f[2] ?? '');
  }
  const put =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i.exec(
      path,
    );
  if (r.method === 'PUT' && put)
    return resourceGroupExists(r.world, put[1] ?? '', put[2] ?? '')
      ? putIdentity(r, put[1] ?? '', put[2] ?? '', put[3] ?? '')
      : rgNotFound(put[2] ?? '');
  const g =
    /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities(?:\/([^/]+))?$/i.exec(
      path,
    );
  if (r.method !== 'GET' || !g) return undefined;
  const world = r.world;
  const [, s, rg, name] = g;
  if (rg && !resourceGroupExists(world, s ?? '', rg)) return rgNotFound(rg);
  const inScope = world.identities.filter((i) => same(i.subscriptionId, s) && (!rg || same(i.resourceGroup, rg)));
  if (!name) return { status: 200, body: { value: inScope.map(identityBody) } };
  const i = inScope.find((x) => same(x.name, name));
  return i
    ? { status: 200, body: identityBody(i) }
    : notFoundResource(`Microsoft.ManagedIdentity/userAssignedIdentities/${name}`, rg ?? '');
}
