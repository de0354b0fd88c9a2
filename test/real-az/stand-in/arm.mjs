// ARM (management.azure.com) for the real az: the caller's tenants and subscriptions, resource groups, and the
// resource providers az asks (authorization.mjs, cognitiveservices.mjs, identity.mjs), all behind a bearer token.
import { AZURE_TEXT, same, tenantInfo } from '../../support/world.mjs';
import { authenticated } from './bearer.mjs';
import { knownTenants } from './entra.mjs';
import { armError, mfaChallenge, rgNotFound } from './replies.mjs';
import { authorization, scopeSubscription } from './authorization.mjs';
import { cognitiveServices } from './cognitiveservices.mjs';
import { userAssignedIdentities } from './identity.mjs';

/** @typedef {import('../../support/world.mjs').World} World */
/** @typedef {import('./replies.mjs').Reply} Reply */
/** @typedef {import('./replies.mjs').Req} Req */

const ARM_AUDIENCES = [
  'https://management.core.windows.net/',
  'https://management.core.windows.net',
  'https://management.azure.com/',
  'https://management.azure.com',
];

/** @param {World} world @param {string} tid */
function subscriptionsFor(world, tid) {
  return world.subscriptions.filter((s) => same(s.tenantId, tid));
}

/** Body of GET /subscriptions (api-version 2019-11-01, the one az 2.45's SubscriptionClient uses). @param {import('../../support/world.mjs').Subscription} s */
function subscriptionBody(s) {
  return {
    id: `/subscriptions/${s.id}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: s.id,
    tenantId: s.tenantId,
    displayName: s.name,
    state: s.state ?? 'Enabled',
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
  };
}

/** @param {Req} r @returns {Reply} */
export function arm(r) {
  const q = authenticated(r, ARM_AUDIENCES, 'arm');
  if ('reply' in q) return q.reply;
  const { claims, path, filter } = q;
  const world = r.world;
  if (world.mfaForWrites && claims.idtyp === 'user' && ['PUT', 'PATCH', 'DELETE'].includes(r.method))
    return mfaChallenge(path);
  const m = (/** @type {RegExp} */ re) => re.exec(path);

  if (r.method === 'GET' && /^\/tenants$/i.test(path)) {
    const value = knownTenants(world).map((t) => {
      const info = tenantInfo(world, t);
      return {
        id: `/tenants/${t}`,
        tenantId: t,
        countryCode: 'US',
        displayName: info.displayName,
        domains: [info.defaultDomain],
        tenantCategory: same(t, claims.tid) ? 'Home' : 'ProjectedBy',
        defaultDomain: info.defaultDomain,
        tenantType: 'AAD',
      };
    });
    // An app or managed identity belongs to its own tenant only.
    const visible = claims.idtyp === 'user' ? value : value.filter((t) => same(t.tenantId, claims.tid));
    return { status: 200, body: { value: visible, count: { type: 'Total', value: visible.length } } };
  }
  if (r.method === 'GET' && /^\/subscriptions$/i.test(path)) {
    const value = subscriptionsFor(world, claims.tid).map(subscriptionBody);
    return { status: 200, body: { value, count: { type: 'Total', value: value.length } } };
  }
  // Everything below is inside one subscription the caller's tenant must hold.
  const subId = scopeSubscription(path);
  const sub = subId ? subscriptionsFor(world, claims.tid).find((s) => same(s.id, subId)) : undefined;
  if (subId && !sub) {
    // A subscription of another tenant (moved, or az's profile is stale): ARM names the tenant it belongs to.
    const elsewhere = world.subscriptions.find((s) => same(s.id, subId));
    if (elsewhere)
      return armError(401, 'InvalidAuthenticationTokenTenant', AZURE_TEXT.wrongIssuer(claims.tid, elsewhere.tenantId));
    return armError(404, 'SubscriptionNotFound', `The subscription '${subId}' could not be found.`);
  }

  if (/\/providers\/Microsoft\.Authorization\//i.test(path)) return authorization(r, claims, path, filter);

  if (r.method === 'GET' && m(/^\/subscriptions\/[^/]+$/i) && sub) return { status: 200, body: subscriptionBody(sub) };

  // Resource groups (az group show/list), so scopes and `-g` values can be checked.
  const g = r.method === 'GET' ? m(/^\/subscriptions\/([^/]+)\/resourcegroups(?:\/([^/]+))?$/i) : null;
  if (g) {
    const groups = [
      ...new Set(
        [...world.accounts, ...world.identities]
          .filter((x) => same(x.subscriptionId, g[1]))
          .map((x) => x.resourceGroup),
      ),
    ];
    const body = (/** @type {string} */ rg) => ({
      id: `/subscriptions/${g[1]}/resourceGroups/${rg}`,
      name: rg,
      type: 'Microsoft.Resources/resourceGroups',
      location: 'eastus',
      properties: { provisioningState: 'Succeeded' },
    });
    if (!g[2]) return { status: 200, body: { value: groups.map(body) } };
    const rg = groups.find((x) => same(x, g[2]));
    return rg ? { status: 200, body: body(rg) } : rgNotFound(g[2]);
  }

  // The resource providers az reads: Microsoft.CognitiveServices/accounts and Microsoft.ManagedIdentity/userAssignedIdentities.
  return (
    cognitiveServices(r, path) ??
    userAssignedIdentities(r, path) ??
    armError(404, 'InvalidResourceType', `stand-in: no ARM route for ${r.method} ${path}`)
  );
}
