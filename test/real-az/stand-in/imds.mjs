// Managed identity for the real az: the instance metadata service (169.254.169.254) that `az login --identity`
// and every token after it ask, as a VM with the world's identities would answer.
import { IDS, identityId, managedIdentitySignIn, same } from '../../support/world.mjs';
import { mintToken } from '../../support/tokens.mjs';
import { identityKey } from './entra.mjs';

/** @typedef {import('../../support/world.mjs').SignedIn} SignedIn */
/** @typedef {import('./replies.mjs').Reply} Reply */
/** @typedef {import('./replies.mjs').Req} Req */

/** @param {Req} r @returns {Reply} */
export function imds(r) {
  // msrestazure azure_active_directory.py _ImdsTokenProvider: GET with `Metadata: true`, retries 404/410/429/5xx
  // (up to a minute), so every refusal here is a 400 as a VM without that identity answers.
  if (r.url.pathname !== '/metadata/identity/oauth2/token')
    return {
      status: 400,
      body: { error: 'invalid_request', error_description: 'stand-in: only /metadata/identity/oauth2/token is served' },
    };
  if ((r.headers.metadata ?? '').toString().toLowerCase() !== 'true')
    return {
      status: 400,
      body: { error: 'invalid_request', error_description: 'Required metadata header not specified' },
    };
  const world = r.world;
  const notFound = {
    status: 400,
    body: { error: 'invalid_request', error_description: 'Identity not found' },
    note: 'identity not found',
  };
  const q = r.url.searchParams;
  const askedClient = q.get('client_id');
  const askedObject = q.get('object_id') ?? q.get('principal_id');
  const askedResource = q.get('msi_res_id') ?? q.get('mi_res_id');
  // The machine's identities: the world's user-assigned ones, chosen by client id, object id or resource id, and a
  // system-assigned one: the signed-in (or world.loginAs) managed identity that is not user-assigned, else the default one (managedIdentitySignIn).
  const system =
    [world.signedIn, world.loginAs].find(
      (c) => c?.type === 'managedIdentity' && !world.identities.some((i) => same(i.clientId, c.appId)),
    ) ?? managedIdentitySignIn();
  /** @type {SignedIn | undefined} */
  let me;
  /** @type {import('../../support/world.mjs').UserAssignedIdentity | undefined} */
  let assigned;
  if (!askedClient && !askedObject && !askedResource) me = system;
  else {
    assigned = world.identities.find(
      (i) =>
        (!askedClient || same(i.clientId, askedClient)) &&
        (!askedObject || same(i.principalId, askedObject)) &&
        (!askedResource || same(identityId(i), askedResource)),
    );
    if (assigned) me = managedIdentitySignIn(assigned);
    else if (
      !askedResource &&
      ((askedClient && same(system.appId, askedClient)) || (askedObject && same(system.objectId, askedObject)))
    )
      me = system;
  }
  if (!me) return notFound;
  // Only az signed in with --identity, or `az login --identity` itself, asks IMDS: this identity is signed in now.
  if (identityKey(world.signedIn) !== identityKey(me)) r.save({ ...world, signedIn: me, signInExpired: false });
  const resource = q.get('resource') ?? '';
  const lifetime = world.tokenLifetimeSeconds ?? 86399;
  const token = mintToken({
    audience: resource,
    tenantId: assigned?.tenantId ?? world.tenantId,
    objectId: me.objectId,
    type: 'managedIdentity',
    appId: me.appId ?? IDS.miClientId,
    ...(assigned ? { miResourceId: identityId(assigned) } : {}),
    lifetimeSeconds: lifetime,
  });
  const now = Math.floor(Date.now() / 1000);
  return {
    status: 200,
    body: {
      access_token: token.token,
      client_id: me.appId ?? IDS.miClientId,
      expires_in: String(lifetime),
      expires_on: String(token.expiresOn),
      ext_expires_in: String(lifetime),
      not_before: String(now),
      resource,
      token_type: 'Bearer',
    },
    note: resource,
  };
}
