#!/usr/bin/env node
// A stand-in for Azure on 127.0.0.1 that the real Azure CLI talks to in the real-az test tier.
// The az wrapper's Python shim (test/real-az/shim/realaz_shim.py) sends every HTTP request az makes,
// whatever its host, here, with the original host in `x-stand-in-host`. The stand-in answers as
// Entra ID (login.microsoftonline.com), IMDS (169.254.169.254), ARM (management.azure.com) and
// Microsoft Graph (graph.microsoft.com) would, from the pretend-Azure world file shared with the
// fake az and the local Azure OpenAI server. The world is re-read on every request and written
// atomically, so a role assignment created here is what the data plane later lets through.
//
// Run as a process: `node stand-in.mjs --world <world.json> --log <requests.jsonl> [--port-file <f>]`; it prints
// `{"port":N}` on its first stdout line (and writes it to the port file). Each request is appended to the log
// as one JSON line. It stops on SIGTERM or when its stdin closes (its parent went away).
import http from 'node:http';
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { loadWorld, saveWorld, accountId, accountEndpoint, identityId, roleGuid, baseWorld, ROLE_IDS, IDS } from '../support/world.mjs';
import { mintToken, readClaims } from '../support/tokens.mjs';

const LOGIN = 'https://login.microsoftonline.com';
const ARM_AUDIENCES = ['https://management.core.windows.net/', 'https://management.core.windows.net', 'https://management.azure.com/', 'https://management.azure.com'];
const GRAPH_AUDIENCES = ['https://graph.microsoft.com/', 'https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'];
const ZERO = '00000000-0000-0000-0000-000000000000';
/** AAD and ARM stamp these on every error text; fixed values keep az's output comparable with recorded transcripts. */
const TRACE = `Trace ID: ${ZERO} Correlation ID: ${ZERO}`;

/** @typedef {import('../support/world.mjs').World} World */
/** @typedef {import('../support/world.mjs').SignedIn} SignedIn */
/** @typedef {{ status: number, body?: unknown, headers?: Record<string, string>, note?: string }} Reply */
/** @typedef {{ method: string, host: string, path: string, url: URL, headers: http.IncomingHttpHeaders, body: string, world: World, save: (w: World) => void }} Req */

// ---------------------------------------------------------------------------------------------
// Entra ID (login.microsoftonline.com)
// ---------------------------------------------------------------------------------------------

/** @param {World} world */
function knownTenants(world) {
  const ids = new Set([world.tenantId.toLowerCase()]);
  for (const s of world.subscriptions) ids.add(s.tenantId.toLowerCase());
  return [...ids];
}

/** Display name and default domain: the home tenant is Contoso, as in the recorded az transcripts. @param {World} world @param {string} tenantId */
function tenantInfo(world, tenantId) {
  if (tenantId.toLowerCase() === world.tenantId.toLowerCase()) return { displayName: 'Contoso', defaultDomain: 'contoso.onmicrosoft.com' };
  const short = tenantId.slice(0, 8);
  return { displayName: `Tenant ${short}`, defaultDomain: `tenant${short}.onmicrosoft.com` };
}

/** The tenant id an authority path segment names: a GUID, a verified domain, or organizations/common (the home tenant). @param {World} world @param {string} segment */
function resolveTenant(world, segment) {
  const s = segment.toLowerCase();
  if (s === 'organizations' || s === 'common') return world.tenantId;
  const guid = knownTenants(world).find((t) => t === s);
  if (guid) return guid;
  const byDomain = knownTenants(world).find((t) => tenantInfo(world, t).defaultDomain === s);
  return byDomain ?? null;
}

/** AAD's OAuth error body (`{"error","error_description","error_codes",...}`), as MSAL Python hands it to az's `aad_error_handler`. */
function aadError(/** @type {number} */ status, /** @type {string} */ error, /** @type {number} */ code, /** @type {string} */ description) {
  return {
    status,
    body: {
      error,
      error_description: description,
      error_codes: [code],
      timestamp: '2025-11-01 10:00:00Z',
      trace_id: ZERO,
      correlation_id: ZERO,
      error_uri: `${LOGIN}/error?code=${code}`,
    },
    note: `AADSTS${code}`,
  };
}

/** @param {string} tenantSegment @param {string} tenantId */
function openIdConfiguration(tenantSegment, tenantId) {
  // Shape of https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration; MSAL Python
  // (msal/authority.py tenant_discovery) needs token_endpoint, authorization_endpoint and device_authorization_endpoint.
  const base = `${LOGIN}/${tenantSegment}`;
  const generic = ['organizations', 'common'].includes(tenantSegment.toLowerCase());
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${LOGIN}/${generic ? '{tenantid}' : tenantId}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

/** The audience AAD puts in an access token for the first non-OIDC scope: "https://management.core.windows.net//.default" -> "https://management.core.windows.net/". @param {string} scope */
function audienceOf(scope) {
  const first = scope.split(/\s+/).find((s) => s && !['openid', 'profile', 'offline_access'].includes(s)) ?? '';
  return { audience: first.replace(/\/\.default$/, '').replace(/\/user_impersonation$/, ''), scopes: scope.split(/\s+/).filter((s) => s && !['openid', 'profile', 'offline_access'].includes(s)).join(' ') };
}

const b64url = (/** @type {unknown} */ o) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** An id token as AAD v2 issues it; MSAL Python (oauth2cli/oidc.py decode_id_token) checks aud == client_id and exp, never the signature. */
function idToken(/** @type {{ clientId: string, tenantId: string, objectId: string, name: string, displayName: string }} */ p) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { aud: p.clientId, iss: `${LOGIN}/${p.tenantId}/v2.0`, iat: now, nbf: now, exp: now + 3600, name: p.displayName, oid: p.objectId, preferred_username: p.name, sub: p.objectId, tid: p.tenantId, ver: '2.0' };
  return `${b64url({ typ: 'JWT', alg: 'RS256', kid: 'fake-key' })}.${b64url(claims)}.ZmFrZS1zaWduYXR1cmU`;
}

/** Refresh tokens are opaque to MSAL; this one carries who it was issued to, so a refresh mints for the same identity. */
function refreshToken(/** @type {{ objectId: string, name: string }} */ who) {
  return `stand-in-rt.${Buffer.from(JSON.stringify({ oid: who.objectId, name: who.name })).toString('base64url')}`;
}
/** @param {string} rt @returns {{ oid: string, name: string } | null} */
function readRefreshToken(rt) {
  if (!rt.startsWith('stand-in-rt.')) return null;
  try {
    return JSON.parse(Buffer.from(rt.slice('stand-in-rt.'.length), 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

/** @param {Req} r @returns {Reply} */
function entra(r) {
  const world = r.world;
  const parts = r.url.pathname.split('/').filter(Boolean);
  if (r.method === 'GET' && parts[0] === 'common' && parts[1] === 'discovery' && parts[2] === 'instance') {
    // msal/application.py _get_authority_aliases asks for this before looking in the token cache.
    return {
      status: 200,
      body: {
        tenant_discovery_endpoint: `${LOGIN}/common/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [
          { preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'] },
        ],
      },
    };
  }
  if (r.method === 'GET' && parts[0] === 'common' && parts[1] === 'userrealm') {
    // msal/authority.py user_realm_discovery: ROPC goes straight to the token endpoint for a "Managed" (cloud-only) account.
    const username = decodeURIComponent(parts[2] ?? '');
    return { status: 200, body: { ver: '1.0', account_type: 'Managed', domain_name: username.split('@')[1] ?? '', cloud_instance_name: 'microsoftonline.com', cloud_audience_urn: 'urn:federation:MicrosoftOnline' } };
  }
  const segment = parts[0] ?? '';
  const tenantId = resolveTenant(world, segment);
  const isOpenId = (parts[1] === 'v2.0' && parts[2] === '.well-known' && parts[3] === 'openid-configuration') || (parts[1] === '.well-known' && parts[2] === 'openid-configuration');
  const isToken = parts[1] === 'oauth2' && ((parts[2] === 'v2.0' && parts[3] === 'token') || parts[2] === 'token');
  if (!isOpenId && !isToken) return { status: 404, body: { error: 'not_found', error_description: `stand-in: no Entra ID route for ${r.method} ${r.url.pathname}` } };
  if (!tenantId) {
    return aadError(400, 'invalid_tenant', 90002, `AADSTS90002: Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant. ${TRACE} Timestamp: 2025-11-01 10:00:00Z`);
  }
  if (isOpenId) return { status: 200, body: openIdConfiguration(segment, tenantId) };
  if (r.method !== 'POST') return { status: 405, body: { error: 'invalid_request' } };

  const form = new URLSearchParams(r.body);
  const grant = form.get('grant_type') ?? '';
  const clientId = form.get('client_id') ?? '';
  const { audience, scopes } = audienceOf(form.get('scope') ?? '');
  const signedIn = world.signedIn;
  const lifetime = world.tokenLifetimeSeconds ?? 3599;
  const note = `${grant} ${scopes}`;
  const failed = (/** @type {Reply} */ reply) => ({ ...reply, note: `${note} ${reply.note}` });

  if (grant === 'password' || grant === 'refresh_token') {
    /** @type {SignedIn} */
    let who;
    if (grant === 'password') {
      // `az login -u <upn> -p <password>`: the world's user, or whom `az login` signs in (world.loginAs, as the fake az).
      const username = form.get('username') ?? '';
      const candidate = [signedIn, world.loginAs, signedIn ? undefined : baseWorld().signedIn].find((c) => c?.type === 'user' && same(c.name, username));
      if (!candidate) return failed(aadError(400, 'invalid_grant', 50126, `AADSTS50126: Error validating credentials due to invalid username or password. ${TRACE} Timestamp: 2025-11-01 10:00:00Z`));
      who = candidate;
      if (identityKey(signedIn) !== identityKey(who) || world.signInExpired) r.save({ ...world, signedIn: who, signInExpired: false });
    } else {
      if (world.signInExpired) {
        return failed(aadError(400, 'invalid_grant', 700082, `AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2025-01-01T00:00:00.0000000Z and was inactive for 90.00:00:00. ${TRACE} Timestamp: 2025-04-01 00:00:00Z`));
      }
      const rt = readRefreshToken(form.get('refresh_token') ?? '');
      if (!rt || !signedIn || signedIn.type !== 'user' || !same(signedIn.objectId, rt.oid)) {
        return failed(aadError(400, 'invalid_grant', 50173, `AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. ${TRACE} Timestamp: 2025-11-01 10:00:00Z`));
      }
      who = signedIn;
    }
    const token = mintToken({ audience, tenantId, objectId: who.objectId, type: 'user', name: who.name, lifetimeSeconds: lifetime });
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        // MSAL caches the token under the scopes of the answer; echoing the request's keeps cache look-ups hitting.
        scope: scopes,
        expires_in: lifetime,
        ext_expires_in: lifetime,
        access_token: token.token,
        refresh_token: refreshToken(who),
        id_token: idToken({ clientId, tenantId, objectId: who.objectId, name: who.name, displayName: who.displayName ?? who.name }),
        client_info: b64url({ uid: who.objectId, utid: tenantId }),
      },
      note,
    };
  }
  if (grant === 'client_credentials') {
    // `az login --service-principal -u <appId> -p <secret> --tenant <t>` and every token after it (MSAL keeps the secret).
    const known = [signedIn, world.loginAs].find((c) => c?.type === 'servicePrincipal' && same(c.appId ?? c.name, clientId))
      ?? (same(clientId, IDS.spAppId) ? { type: /** @type {const} */ ('servicePrincipal'), objectId: IDS.spObjectId, name: IDS.spAppId, appId: IDS.spAppId, displayName: 'aoai-wizard-ci' } : undefined);
    if (!known) {
      return failed(aadError(400, 'unauthorized_client', 700016, `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenantInfo(world, tenantId).displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant. ${TRACE} Timestamp: 2025-11-01 10:00:00Z`));
    }
    if (world.signInExpired && identityKey(signedIn) === identityKey(known)) {
      return failed(aadError(401, 'invalid_client', 7000222, `AADSTS7000222: The provided client secret keys for app '${known.appId ?? known.name}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds. ${TRACE} Timestamp: 2025-11-01 10:00:00Z`));
    }
    if (identityKey(signedIn) !== identityKey(known)) r.save({ ...world, signedIn: known, signInExpired: false });
    const appId = known.appId ?? known.name;
    const token = mintToken({ audience, tenantId, objectId: known.objectId, type: 'servicePrincipal', appId, name: appId, lifetimeSeconds: lifetime });
    return { status: 200, body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token.token }, note };
  }
  return failed(aadError(400, 'unsupported_grant_type', 70003, `AADSTS70003: The app requested an unsupported grant type '${grant}'. ${TRACE} Timestamp: 2025-11-01 10:00:00Z`));
}

/** Who a token is for, comparable. @param {SignedIn | null | undefined} s */
const identityKey = (s) => (s ? `${s.type}|${s.objectId}`.toLowerCase() : '');

// ---------------------------------------------------------------------------------------------
// Managed identity: the instance metadata service (169.254.169.254)
// ---------------------------------------------------------------------------------------------

/** @param {Req} r @returns {Reply} */
function imds(r) {
  // msrestazure azure_active_directory.py _ImdsTokenProvider: GET with `Metadata: true`, retries 404/410/429/5xx
  // (up to a minute), so every refusal here is a 400 as a VM without that identity answers.
  if (r.url.pathname !== '/metadata/identity/oauth2/token') return { status: 400, body: { error: 'invalid_request', error_description: 'stand-in: only /metadata/identity/oauth2/token is served' } };
  if ((r.headers.metadata ?? '').toString().toLowerCase() !== 'true') return { status: 400, body: { error: 'invalid_request', error_description: 'Required metadata header not specified' } };
  const world = r.world;
  const notFound = { status: 400, body: { error: 'invalid_request', error_description: 'Identity not found' }, note: 'identity not found' };
  const q = r.url.searchParams;
  const askedClient = q.get('client_id');
  const askedObject = q.get('object_id') ?? q.get('principal_id');
  const askedResource = q.get('msi_res_id') ?? q.get('mi_res_id');
  // The machine's identities: the world's user-assigned ones, chosen by client id, object id or resource id, and a
  // system-assigned one: the signed-in (or world.loginAs) managed identity that is not user-assigned, else the fake az's default.
  const system = [world.signedIn, world.loginAs].find((c) => c?.type === 'managedIdentity' && !world.identities.some((i) => same(i.clientId, c.appId)))
    ?? { type: /** @type {const} */ ('managedIdentity'), objectId: IDS.miPrincipalId, name: 'systemAssignedIdentity', appId: IDS.miClientId };
  /** @type {SignedIn | undefined} */
  let me;
  /** @type {import('../support/world.mjs').UserAssignedIdentity | undefined} */
  let assigned;
  if (!askedClient && !askedObject && !askedResource) me = system;
  else {
    assigned = world.identities.find((i) => (!askedClient || same(i.clientId, askedClient)) && (!askedObject || same(i.principalId, askedObject)) && (!askedResource || same(identityId(i), askedResource)));
    if (assigned) me = { type: 'managedIdentity', objectId: assigned.principalId, name: 'userAssignedIdentity', appId: assigned.clientId, displayName: assigned.name };
    else if (!askedResource && ((askedClient && same(system.appId, askedClient)) || (askedObject && same(system.objectId, askedObject)))) me = system;
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
    body: { access_token: token.token, client_id: me.appId ?? IDS.miClientId, expires_in: String(lifetime), expires_on: String(token.expiresOn), ext_expires_in: String(lifetime), not_before: String(now), resource, token_type: 'Bearer' },
    note: resource,
  };
}

// ---------------------------------------------------------------------------------------------
// Bearer tokens on ARM and Graph
// ---------------------------------------------------------------------------------------------

/** @param {Req} r @param {string[]} audiences @returns {{ claims: Record<string, any> } | { reply: Reply }} */
function caller(r, audiences, /** @type {'arm'|'graph'} */ kind) {
  const auth = (r.headers.authorization ?? '').toString();
  const token = auth.replace(/^Bearer\s+/i, '');
  const claims = auth.toLowerCase().startsWith('bearer ') ? readClaims(token) : null;
  const fail = (/** @type {string} */ code, /** @type {string} */ message) =>
    ({ reply: { status: 401, body: { error: kind === 'arm' ? { code, message } : { code: 'InvalidAuthenticationToken', message, innerError: graphInner() } }, headers: { 'WWW-Authenticate': 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"' } } });
  if (!claims) return fail('AuthenticationFailed', kind === 'arm' ? "Authentication failed. The 'Authorization' header is missing." : 'Access token is empty.');
  if (!audiences.includes(claims.aud)) {
    return fail('InvalidAuthenticationTokenAudience', kind === 'arm'
      ? `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`
      : 'Access token validation failure. Invalid audience.');
  }
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) {
    return fail('ExpiredAuthenticationToken', kind === 'arm' ? 'The access token expiry UTC time is earlier than current UTC time.' : 'Lifetime validation failed, the token is expired.');
  }
  return { claims };
}

function graphInner() {
  return { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': ZERO, 'client-request-id': ZERO };
}

// ---------------------------------------------------------------------------------------------
// ARM (management.azure.com)
// ---------------------------------------------------------------------------------------------

/** ARM's error envelope; azure-core formats it as "(Code) Message\nCode: ...\nMessage: ..." for az. */
function armError(/** @type {number} */ status, /** @type {string} */ code, /** @type {string} */ message) {
  return { status, body: { error: { code, message } }, note: code };
}
const notFoundResource = (/** @type {string} */ type, /** @type {string} */ rg) =>
  armError(404, 'ResourceNotFound', `The Resource '${type}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
const rgNotFound = (/** @type {string} */ rg) => armError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
const same = (/** @type {string|undefined|null} */ a, /** @type {string|undefined|null} */ b) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
const trimScope = (/** @type {string} */ s) => s.replace(/\/+$/, '');

/** @param {World} world @param {string} sub @param {string} rg */
function rgExists(world, sub, rg) {
  return world.accounts.some((a) => same(a.subscriptionId, sub) && same(a.resourceGroup, rg)) || world.identities.some((i) => same(i.subscriptionId, sub) && same(i.resourceGroup, rg));
}

/** @param {World} world @param {string} tid */
function subscriptionsFor(world, tid) {
  return world.subscriptions.filter((s) => same(s.tenantId, tid));
}

/** Body of GET /subscriptions (api-version 2019-11-01, the one az 2.45's SubscriptionClient uses). @param {import('../support/world.mjs').Subscription} s */
function subscriptionBody(s) {
  return {
    id: `/subscriptions/${s.id}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: s.id,
    tenantId: s.tenantId,
    displayName: s.name,
    state: s.state ?? 'Enabled',
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  };
}

// Values copied from the recorded Microsoft.CognitiveServices/accounts bodies in azure-cli's
// command_modules/cognitiveservices/tests/latest/recordings/test_cognitiveservices_deployment.yaml,
// so az's output lines up with recorded transcripts of the same account.
const ACCOUNT_ETAG = '"5c02bc5b-0000-2300-0000-6900d7b60000"';
const DEPLOYMENT_ETAG = '"21313ed5-3ec9-497d-ad67-93abe1fbf1bd"';
/** @param {string} when */
const systemData = (when) => ({ createdBy: 'alice@contoso.com', createdByType: 'User', createdAt: when, lastModifiedBy: 'alice@contoso.com', lastModifiedByType: 'User', lastModifiedAt: when });

/** @param {import('../support/world.mjs').CognitiveAccount} a */
function accountBody(a) {
  const endpoint = accountEndpoint(a);
  const openAi = a.kind === 'AIServices' && a.customSubDomainName ? `https://${a.customSubDomainName}.openai.azure.com/` : endpoint;
  const endpoints = {
    'OpenAI Language Model Instance API': openAi,
    'OpenAI Dall-E API': openAi,
    'OpenAI Whisper API': openAi,
    'OpenAI Realtime API': openAi,
    'Token Service API': endpoint,
    'Azure OpenAI Legacy API - Latest moniker': openAi,
  };
  /** @type {Record<string, unknown>} */
  const properties = {
    endpoint,
    internalId: 'cf714d22a3c34a0ea5f5ed6bdde25ee1',
    dateCreated: '2025-10-28T14:48:21.7749336Z',
    callRateLimit: {
      rules: [
        { key: 'openai', renewalPeriod: 1, count: 30, matchPatterns: [{ path: 'openai/*', method: '*' }] },
        { key: 'default', renewalPeriod: 1, count: 30, matchPatterns: [{ path: '*', method: '*' }] },
      ],
    },
    apiProperties: {},
    allowProjectManagement: false,
    isMigrated: false,
    privateEndpointConnections: [],
    publicNetworkAccess: a.publicNetworkAccess ?? 'Enabled',
    capabilities: [{ name: 'VirtualNetworks' }, { name: 'CustomerManagedKey' }, { name: 'MaxFineTuneCount', value: '500' }],
    endpoints,
    provisioningState: 'Succeeded',
  };
  // An account created without a custom subdomain (the old portal default) has neither key in ARM.
  if (a.customSubDomainName) properties.customSubDomainName = a.customSubDomainName;
  const disableLocalAuth = a.disableLocalAuth !== undefined ? a.disableLocalAuth : a.customSubDomainName ? true : null;
  if (disableLocalAuth !== null) properties.disableLocalAuth = disableLocalAuth;
  return {
    id: accountId(a),
    name: a.name,
    type: 'Microsoft.CognitiveServices/accounts',
    etag: ACCOUNT_ETAG,
    location: a.location,
    sku: { name: 'S0' },
    kind: a.kind,
    systemData: systemData('2025-10-28T14:48:20.805895Z'),
    properties,
  };
}

/** @param {import('../support/world.mjs').CognitiveAccount} a @param {import('../support/world.mjs').Deployment} d */
function deploymentBody(a, d) {
  const chat = d.chat !== false;
  return {
    id: `${accountId(a)}/deployments/${d.name}`,
    type: 'Microsoft.CognitiveServices/accounts/deployments',
    name: d.name,
    sku: { name: d.sku ?? 'GlobalStandard', capacity: 10 },
    properties: {
      model: { format: d.format ?? 'OpenAI', name: d.model, ...(d.version ? { version: d.version } : {}) },
      versionUpgradeOption: 'OnceNewDefaultVersionAvailable',
      currentCapacity: 10,
      capabilities: chat
        ? { chatCompletion: 'true', assistants: 'true', maxContextToken: '128000', maxOutputToken: '16384' }
        : { embeddings: 'true', embeddingsMaxInputs: '2048' },
      provisioningState: 'Succeeded',
      rateLimits: [
        { key: 'request', renewalPeriod: 10, count: 10 },
        { key: 'token', renewalPeriod: 60, count: 10000 },
      ],
    },
    systemData: systemData('2025-10-28T14:48:25.393632Z'),
    etag: DEPLOYMENT_ETAG,
  };
}

/** userAssignedIdentities body (Microsoft.ManagedIdentity 2022-01-31-preview / 2023-01-31). @param {import('../support/world.mjs').UserAssignedIdentity} i */
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
function scopeSubscription(scope) {
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
const roleNameOf = (/** @type {string} */ guid) => Object.entries(ROLE_IDS).find(([, id]) => id === guid)?.[0];

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
 * @param {import('../support/world.mjs').RoleAssignment} ra
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

/** Object ids the directory knows: the signed-in identity, the world's managed identities and directoryObjectIds. @param {World} world */
function directory(world) {
  /** @type {Array<Record<string, any>>} */
  const objects = [];
  const add = (/** @type {Record<string, any>} */ o) => {
    if (!objects.some((x) => same(x.id, o.id))) objects.push(o);
  };
  const me = world.signedIn;
  if (me?.type === 'user') add(userObject(me.objectId, me.name, me.displayName ?? me.name));
  if (me?.type === 'servicePrincipal') add(spObject({ id: me.objectId, appId: me.appId ?? me.name, displayName: me.displayName ?? 'aoai-wizard-ci', type: 'Application', names: [me.appId ?? me.name] }));
  for (const i of world.identities) add(spObject({ id: i.principalId, appId: i.clientId, displayName: i.name, type: 'ManagedIdentity', names: [i.clientId, identityId(i)] }));
  if (me?.type === 'managedIdentity') add(spObject({ id: me.objectId, appId: me.appId ?? IDS.miClientId, displayName: me.displayName ?? me.name, type: 'ManagedIdentity', names: [me.appId ?? IDS.miClientId] }));
  // The well-known ids of IDS are what they are, others what world.principalTypes says, else groups.
  for (const id of world.directoryObjectIds ?? []) {
    const type = world.principalTypes?.[id];
    const short = id.slice(0, 8);
    if (same(id, IDS.spObjectId) && (type ?? 'ServicePrincipal') === 'ServicePrincipal') add(spObject({ id, appId: IDS.spAppId, displayName: 'aoai-wizard-ci', type: 'Application', names: [IDS.spAppId] }));
    else if (same(id, IDS.userObjectId) && (type ?? 'User') === 'User') add(userObject(id, 'alice@contoso.com', 'Alice Example'));
    else if (type === 'User') add(userObject(id, `user-${short}@contoso.com`, `User ${short}`));
    else if (type === 'ServicePrincipal') add(spObject({ id, appId: id, displayName: `app-${short}`, type: 'Application', names: [id] }));
    else add({ '@odata.type': '#microsoft.graph.group', id, displayName: same(id, IDS.groupObjectId) ? 'aoai-users' : `group-${short}`, mail: null, securityEnabled: true, mailEnabled: false, description: null });
  }
  return objects;
}

/** Graph v1.0 user with the default $select properties. */
function userObject(/** @type {string} */ id, /** @type {string} */ upn, /** @type {string} */ displayName) {
  const [givenName, ...rest] = displayName.split(' ');
  return { '@odata.type': '#microsoft.graph.user', businessPhones: [], displayName, givenName: givenName ?? null, jobTitle: null, mail: upn, mobilePhone: null, officeLocation: null, preferredLanguage: null, surname: rest.join(' ') || null, userPrincipalName: upn, id };
}
/** Graph v1.0 servicePrincipal. @param {{ id: string, appId: string, displayName: string, type: string, names: string[] }} p */
function spObject(p) {
  return {
    '@odata.type': '#microsoft.graph.servicePrincipal',
    id: p.id, deletedDateTime: null, accountEnabled: true, alternativeNames: p.type === 'ManagedIdentity' ? [] : [], appDescription: null, appDisplayName: p.type === 'ManagedIdentity' ? null : p.displayName, appId: p.appId,
    applicationTemplateId: null, appOwnerOrganizationId: p.type === 'ManagedIdentity' ? null : IDS.tenant, appRoleAssignmentRequired: false, createdDateTime: '2025-10-01T12:00:00Z', description: null,
    disabledByMicrosoftStatus: null, displayName: p.displayName, homepage: null, loginUrl: null, logoutUrl: null, notes: null, notificationEmailAddresses: [],
    preferredSingleSignOnMode: null, preferredTokenSigningKeyThumbprint: null, replyUrls: [], servicePrincipalNames: p.names, servicePrincipalType: p.type,
    signInAudience: p.type === 'ManagedIdentity' ? null : 'AzureADMyOrg', tags: [], tokenEncryptionKeyId: null, samlSingleSignOnSettings: null, addIns: [], appRoles: [],
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null }, keyCredentials: [], oauth2PermissionScopes: [], passwordCredentials: [],
    resourceSpecificApplicationPermissions: [], verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
  };
}

/** @param {Req} r @returns {Reply} */
function arm(r) {
  const who = caller(r, ARM_AUDIENCES, 'arm');
  if ('reply' in who) return who.reply;
  const claims = who.claims;
  const world = r.world;
  const path = decodeURIComponent(r.url.pathname).replace(/\/+$/, '');
  const filter = r.url.searchParams.get('$filter') ?? '';
  const m = (/** @type {RegExp} */ re) => re.exec(path);
  let g;

  if (r.method === 'GET' && /^\/tenants$/i.test(path)) {
    const value = knownTenants(world).map((t) => {
      const info = tenantInfo(world, t);
      return { id: `/tenants/${t}`, tenantId: t, countryCode: 'US', displayName: info.displayName, domains: [info.defaultDomain], tenantCategory: same(t, claims.tid) ? 'Home' : 'ProjectedBy', defaultDomain: info.defaultDomain, tenantType: 'AAD' };
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
  if (subId && !sub) return armError(404, 'SubscriptionNotFound', `The subscription '${subId}' could not be found.`);

  if (/\/providers\/Microsoft\.Authorization\//i.test(path)) return authorization(r, claims, path, filter);

  if (r.method === 'GET' && (g = m(/^\/subscriptions\/[^/]+$/i)) && sub) return { status: 200, body: subscriptionBody(sub) };

  // Resource groups (az group show/list), so scopes and `-g` values can be checked.
  if (r.method === 'GET' && (g = m(/^\/subscriptions\/([^/]+)\/resourcegroups(?:\/([^/]+))?$/i))) {
    const groups = [...new Set([...world.accounts, ...world.identities].filter((x) => same(x.subscriptionId, g?.[1])).map((x) => x.resourceGroup))];
    const body = (/** @type {string} */ rg) => ({ id: `/subscriptions/${g?.[1]}/resourceGroups/${rg}`, name: rg, type: 'Microsoft.Resources/resourceGroups', location: 'eastus', properties: { provisioningState: 'Succeeded' } });
    if (!g[2]) return { status: 200, body: { value: groups.map(body) } };
    const rg = groups.find((x) => same(x, g?.[2]));
    return rg ? { status: 200, body: body(rg) } : rgNotFound(g[2]);
  }

  // Microsoft.CognitiveServices/accounts (az cognitiveservices account list|show, ... deployment list|show)
  if (r.method === 'GET' && (g = m(/^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/providers\/Microsoft\.CognitiveServices\/accounts(?:\/([^/]+)(?:\/(deployments)(?:\/([^/]+))?)?)?$/i))) {
    const [, s, rg, name, deployments, deployment] = g;
    if (rg && !rgExists(world, s ?? '', rg)) return rgNotFound(rg);
    const inScope = world.accounts.filter((a) => same(a.subscriptionId, s) && (!rg || same(a.resourceGroup, rg)));
    if (!name) return { status: 200, body: { value: inScope.map(accountBody) } };
    const account = inScope.find((a) => same(a.name, name));
    if (!account) return notFoundResource(`Microsoft.CognitiveServices/accounts/${name}`, rg ?? '');
    if (!deployments) return { status: 200, body: accountBody(account) };
    if (!deployment) return { status: 200, body: { value: account.deployments.map((d) => deploymentBody(account, d)) } };
    const d = account.deployments.find((x) => same(x.name, deployment));
    // Approximation: the RP's text for a missing child resource follows ARM's ResourceNotFound wording.
    return d ? { status: 200, body: deploymentBody(account, d) } : notFoundResource(`Microsoft.CognitiveServices/accounts/${account.name}/deployments/${deployment}`, rg ?? '');
  }

  // Microsoft.ManagedIdentity/userAssignedIdentities (az identity list|show)
  if (r.method === 'GET' && (g = m(/^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities(?:\/([^/]+))?$/i))) {
    const [, s, rg, name] = g;
    if (rg && !rgExists(world, s ?? '', rg)) return rgNotFound(rg);
    const inScope = world.identities.filter((i) => same(i.subscriptionId, s) && (!rg || same(i.resourceGroup, rg)));
    if (!name) return { status: 200, body: { value: inScope.map(identityBody) } };
    const i = inScope.find((x) => same(x.name, name));
    return i ? { status: 200, body: identityBody(i) } : notFoundResource(`Microsoft.ManagedIdentity/userAssignedIdentities/${name}`, rg ?? '');
  }
  return armError(404, 'InvalidResourceType', `stand-in: no ARM route for ${r.method} ${path}`);
}

/** Microsoft.Authorization: roleDefinitions and roleAssignments at any scope. */
function authorization(/** @type {Req} */ r, /** @type {Record<string, any>} */ claims, /** @type {string} */ path, /** @type {string} */ filter) {
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
    const names = Object.keys(ROLE_IDS).filter((n) => wanted === undefined || same(n, wanted));
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
  const known = directory(world).some((o) => same(o.id, principalId)) || world.identities.some((i) => same(i.principalId, principalId));
  if (!known) {
    // Note the double space before "See": the service's text, as users have pasted it (e.g. Azure-Samples/azure-search-openai-demo#9).
    return armError(400, 'PrincipalNotFound', `Principal ${principalId.replace(/-/g, '')} does not exist in the directory ${claims.tid}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`);
  }
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
  return { status: 201, body: roleAssignmentBody(created, { forCreate: true }), note: `created ${created.id}` };
}

// ---------------------------------------------------------------------------------------------
// Microsoft Graph (graph.microsoft.com/v1.0)
// ---------------------------------------------------------------------------------------------

const GRAPH = 'https://graph.microsoft.com/v1.0';
const graphError = (/** @type {number} */ status, /** @type {string} */ code, /** @type {string} */ message) => ({ status, body: { error: { code, message, innerError: graphInner() } }, note: code });
const notInDirectory = (/** @type {string} */ id) => graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
/** An entity as Graph returns it alone: with its @odata.context and without @odata.type. */
const entity = (/** @type {string} */ set, /** @type {Record<string, any>} */ o) => {
  const { '@odata.type': _type, ...rest } = o;
  return { '@odata.context': `${GRAPH}/$metadata#${set}/$entity`, ...rest };
};
const collection = (/** @type {string} */ set, /** @type {Array<Record<string, any>>} */ items) => ({ '@odata.context': `${GRAPH}/$metadata#${set}`, value: items.map(({ '@odata.type': _type, ...rest }) => rest) });

/** @param {Req} r @returns {Reply} */
function graph(r) {
  const who = caller(r, GRAPH_AUDIENCES, 'graph');
  if ('reply' in who) return who.reply;
  const claims = who.claims;
  const world = r.world;
  const path = decodeURIComponent(r.url.pathname).replace(/\/+$/, '');
  const filter = r.url.searchParams.get('$filter') ?? '';
  const objects = directory(world);
  const users = objects.filter((o) => o['@odata.type'] === '#microsoft.graph.user');
  const sps = objects.filter((o) => o['@odata.type'] === '#microsoft.graph.servicePrincipal');
  let g;

  if (r.method === 'GET' && /^\/v1\.0\/me$/i.test(path)) {
    // An app-only token (service principal, managed identity) has no "me".
    if (claims.idtyp !== 'user') return graphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
    const me = users.find((u) => same(u.id, claims.oid));
    return me ? { status: 200, body: entity('users', me) } : notInDirectory(claims.oid);
  }
  if (r.method === 'GET' && /^\/v1\.0\/users$/i.test(path)) {
    const upn = /userPrincipalName\s+eq\s+'([^']*)'/i.exec(filter)?.[1];
    const mail = /mail\s+eq\s+'([^']*)'/i.exec(filter)?.[1];
    return { status: 200, body: collection('users', users.filter((u) => (!upn || same(u.userPrincipalName, upn)) && (!mail || same(u.mail, mail)))) };
  }
  if (r.method === 'GET' && (g = /^\/v1\.0\/users\/([^/]+)$/i.exec(path))) {
    const u = users.find((x) => same(x.id, g?.[1]) || same(x.userPrincipalName, g?.[1]));
    return u ? { status: 200, body: entity('users', u) } : notInDirectory(g[1] ?? '');
  }
  if (r.method === 'GET' && /^\/v1\.0\/servicePrincipals$/i.test(path)) {
    const spn = /servicePrincipalNames\/any\(\w+:\w+\s+eq\s+'([^']*)'\)/i.exec(filter)?.[1];
    const appId = /appId\s+eq\s+'([^']*)'/i.exec(filter)?.[1];
    const displayName = /displayName\s+eq\s+'([^']*)'/i.exec(filter)?.[1];
    const hits = sps.filter((s) => (!spn || s.servicePrincipalNames.some((/** @type {string} */ n) => same(n, spn))) && (!appId || same(s.appId, appId)) && (!displayName || same(s.displayName, displayName)));
    return { status: 200, body: collection('servicePrincipals', hits) };
  }
  if (r.method === 'GET' && (g = /^\/v1\.0\/servicePrincipals\/([^/]+)$/i.exec(path))) {
    const s = sps.find((x) => same(x.id, g?.[1]));
    return s ? { status: 200, body: entity('servicePrincipals', s) } : notInDirectory(g[1] ?? '');
  }
  if (r.method === 'GET' && (g = /^\/v1\.0\/directoryObjects\/([^/]+)$/i.exec(path))) {
    const o = objects.find((x) => same(x.id, g?.[1]));
    return o ? { status: 200, body: { '@odata.context': `${GRAPH}/$metadata#directoryObjects/$entity`, ...o } } : notInDirectory(g[1] ?? '');
  }
  if (r.method === 'POST' && /^\/v1\.0\/directoryObjects\/getByIds$/i.test(path)) {
    // az fills principalName in `role assignment list` from this (role/custom.py _get_object_stubs).
    /** @type {{ ids?: string[], types?: string[] }} */
    let body = {};
    try {
      body = JSON.parse(r.body || '{}');
    } catch {
      return graphError(400, 'BadRequest', 'Unable to read JSON request payload.');
    }
    const types = (body.types ?? []).map((t) => `#microsoft.graph.${t}`.toLowerCase());
    const value = objects.filter((o) => (body.ids ?? []).some((id) => same(id, o.id)) && (types.length === 0 || types.includes(o['@odata.type'].toLowerCase())));
    return { status: 200, body: { '@odata.context': `${GRAPH}/$metadata#directoryObjects`, value } };
  }
  return graphError(400, 'BadRequest', `stand-in: no Graph route for ${r.method} ${path}`);
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

/** @param {Req} r @returns {Reply} */
function route(r) {
  const host = r.host.toLowerCase().replace(/:(443|80)$/, '');
  if (host === 'login.microsoftonline.com' || host === 'login.windows.net') return entra(r);
  if (host === '169.254.169.254') return imds(r);
  if (host === 'management.azure.com') return arm(r);
  if (host === 'graph.microsoft.com') return graph(r);
  // az asks this service for "did you mean" examples when a command fails (azure/cli/core/command_recommender.py);
  // offline it falls back to its own text, which is what an empty answer gives too.
  if (host === 'app.aladdin.microsoft.com') return { status: 200, body: [] };
  // `az login` checks connectivity (HEAD https://azure.microsoft.com, azure/cli/core/util.py check_connectivity) and then
  // the latest version on GitHub (get_latest_from_github); a 404 there is "unknown", which prints nothing.
  if (host === 'azure.microsoft.com') return { status: 200 };
  if (host === 'raw.githubusercontent.com') return { status: 404, body: { message: 'stand-in: no version information' } };
  return { status: 502, body: { error: { code: 'StandInUnknownHost', message: `stand-in: nothing answers for ${host}` } }, note: 'unknown host' };
}

/**
 * @param {{ worldPath: string, logPath?: string, port?: number }} o
 * @returns {Promise<{ port: number, url: string, close: () => Promise<void> }>}
 */
export function startStandIn(o) {
  const server = http.createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const started = Date.now();
      const host = (req.headers['x-stand-in-host'] ?? req.headers.host ?? '').toString().toLowerCase().replace(/:(443|80)$/, '');
      const scheme = (req.headers['x-stand-in-scheme'] ?? 'http').toString();
      const url = new URL(req.url ?? '/', `${scheme}://${host || 'localhost'}`);
      /** @type {Reply} */
      let reply;
      try {
        const world = loadWorld(o.worldPath);
        reply = route({ method: req.method ?? 'GET', host, path: url.pathname, url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), world, save: (w) => saveWorld(o.worldPath, w) });
      } catch (err) {
        reply = { status: 500, body: { error: { code: 'StandInError', message: String(err instanceof Error ? err.stack : err) } }, note: 'stand-in error' };
      }
      const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        'x-ms-request-id': randomUUID(),
        'x-ms-correlation-request-id': randomUUID(),
        ...reply.headers,
      });
      res.end(payload);
      if (o.logPath) {
        const entry = { time: started, method: req.method, host, url: url.href, path: url.pathname, status: reply.status, ...(reply.note ? { note: reply.note } : {}) };
        appendFileSync(o.logPath, `${JSON.stringify(entry)}\n`);
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({ port, url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (/** @type {string} */ name) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const worldPath = arg('--world');
  if (!worldPath) {
    console.error('usage: stand-in.mjs --world <world.json> [--log <requests.jsonl>] [--port N] [--port-file <file>]');
    process.exit(2);
  }
  const logPath = arg('--log');
  const s = await startStandIn({ worldPath, ...(logPath ? { logPath } : {}), port: Number(arg('--port') ?? 0) });
  const portFile = arg('--port-file');
  if (portFile) {
    // Written whole (rename), so a harness polling for the file never reads half of it.
    writeFileSync(`${portFile}.tmp`, JSON.stringify({ port: s.port }));
    renameSync(`${portFile}.tmp`, portFile);
  }
  process.stdout.write(`${JSON.stringify({ port: s.port })}\n`);
  // The harness owns this process: stop when it says so or when it goes away.
  const stop = () => s.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}
