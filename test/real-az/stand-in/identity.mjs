// Microsoft.ManagedIdentity on ARM: user-assigned identities (az identity list|show), as ARM sends them.
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

/** GET of user-assigned identities, in a subscription or a resource group; undefined for any other request. @param {Req} r @param {string} path @returns {Reply | undefined} */
export function userAssignedIdentities(r, path) {
  const g = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities(?:\/([^/]+))?$/i.exec(path);
  if (r.method !== 'GET' || !g) return undefined;
  const world = r.world;
  const [, s, rg, name] = g;
  if (rg && !resourceGroupExists(world, s ?? '', rg)) return rgNotFound(rg);
  const inScope = world.identities.filter((i) => same(i.subscriptionId, s) && (!rg || same(i.resourceGroup, rg)));
  if (!name) return { status: 200, body: { value: inScope.map(identityBody) } };
  const i = inScope.find((x) => same(x.name, name));
  return i ? { status: 200, body: identityBody(i) } : notFoundResource(`Microsoft.ManagedIdentity/userAssignedIdentities/${name}`, rg ?? '');
}
