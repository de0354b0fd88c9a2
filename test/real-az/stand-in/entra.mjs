// Entra ID (login.microsoftonline.com) for the real az: authority discovery, OpenID configuration, and the token
// endpoint MSAL Python calls for `az login -u/-p` (password), refreshes, and service principals (client credentials).
import { AZURE_TEXT, IDS, TRACE, ZERO_GUID as ZERO, baseWorld, same, tenantInfo } from '../../support/world.mjs';
import { mintToken } from '../../support/tokens.mjs';
import { federatedSignIn } from './federated.mjs';

/** @typedef {import('../../support/world.mjs').World} World */
/** @typedef {import('../../support/world.mjs').SignedIn} SignedIn */
/** @typedef {import('./replies.mjs').Reply} Reply */
/** @typedef {import('./replies.mjs').Req} Req */

const LOGIN = 'https://login.microsoftonline.com';

/** @param {World} world */
export function knownTenants(world) {
  const ids = new Set([world.tenantId.toLowerCase()]);
  for (const s of world.subscriptions) ids.add(s.tenantId.toLowerCase());
  return [...ids];
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
function aadError(
  /** @type {number} */ status,
  /** @type {string} */ error,
  /** @type {number} */ code,
  /** @type {string} */ description,
) {
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
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
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
  return {
    audience: first.replace(/\/\.default$/, '').replace(/\/user_impersonation$/, ''),
    scopes: scope
      .split(/\s+/)
      .filter((s) => s && !['openid', 'profile', 'offline_access'].includes(s))
      .join(' '),
  };
}

const b64url = (/** @type {unknown} */ o) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** An id token as AAD v2 issues it; MSAL Python (oauth2cli/oidc.py decode_id_token) checks aud == client_id and exp, never the signature. */
function idToken(
  /** @type {{ clientId: string, tenantId: string, objectId: string, name: string, displayName: string }} */ p,
) {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud: p.clientId,
    iss: `${LOGIN}/${p.tenantId}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    name: p.displayName,
    oid: p.objectId,
    preferred_username: p.name,
    sub: p.objectId,
    tid: p.tenantId,
    ver: '2.0',
  };
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
export function entra(r) {
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
          {
            preferred_network: 'login.microsoftonline.com',
            preferred_cache: 'login.windows.net',
            aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
          },
        ],
      },
    };
  }
  if (r.method === 'GET' && parts[0] === 'common' && parts[1] === 'userrealm') {
    // msal/authority.py user_realm_discovery: ROPC goes straight to the token endpoint for a "Managed" (cloud-only) account.
    const username = decodeURIComponent(parts[2] ?? '');
    return {
      status: 200,
      body: {
        ver: '1.0',
        account_type: 'Managed',
        domain_name: username.split('@')[1] ?? '',
        cloud_instance_name: 'microsoftonline.com',
        cloud_audience_urn: 'urn:federation:MicrosoftOnline',
      },
    };
  }
  const segment = parts[0] ?? '';
  const tenantId = resolveTenant(world, segment);
  const isOpenId =
    (parts[1] === 'v2.0' && parts[2] === '.well-known' && parts[3] === 'openid-configuration') ||
    (parts[1] === '.well-known' && parts[2] === 'openid-configuration');
  const isToken = parts[1] === 'oauth2' && ((parts[2] === 'v2.0' && parts[3] === 'token') || parts[2] === 'token');
  if (!isOpenId && !isToken)
    return {
      status: 404,
      body: { error: 'not_found', error_description: `stand-in: no Entra ID route for ${r.method} ${r.url.pathname}` },
    };
  if (!tenantId) {
    return aadError(
      400,
      'invalid_tenant',
      90002,
      `AADSTS90002: Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant. ${TRACE} Timestamp: 2025-11-01 10:00:00Z`,
    );
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
      const candidate = [signedIn, world.loginAs, signedIn ? undefined : baseWorld().signedIn].find(
        (c) => c?.type === 'user' && same(c.name, username),
      );
      if (!candidate)
        return failed(
          aadError(
            400,
            'invalid_grant',
            50126,
            `AADSTS50126: Error validating credentials due to invalid username or password. ${TRACE} Timestamp: 2025-11-01 10:00:00Z`,
          ),
        );
      who = candidate;
      // A new sign-in is a full one: it satisfies MFA (world.mfaForWrites) as an interactive `az login` would.
      if (identityKey(signedIn) !== identityKey(who) || world.signInExpired || world.mfaForWrites)
        r.save({ ...world, signedIn: who, signInExpired: false, mfaForWrites: false });
    } else {
      if (world.signInExpired) {
        return failed(aadError(400, 'invalid_grant', 700082, AZURE_TEXT.refreshTokenExpired));
      }
      // Conditional Access: MFA required (interaction_required, as pasted in Azure/azure-cli#6962), or a
      // sign-in frequency check (AADSTS70043, invalid_grant).
      if (world.signInProblem === 'mfa')
        return failed(aadError(400, 'interaction_required', 50076, AZURE_TEXT.mfaRequired));
      if (world.signInProblem === 'sign-in-frequency')
        return failed(aadError(400, 'invalid_grant', 70043, AZURE_TEXT.signInFrequency));
      // A silent refresh cannot satisfy a claims challenge for MFA: AAD answers interaction_required AADSTS50076
      // (body as pasted in Azure/azure-cli#6962, suberror basic_action).
      if (world.mfaForWrites && form.get('claims')) {
        return failed({
          ...aadError(400, 'interaction_required', 50076, AZURE_TEXT.mfaRequired),
          body: {
            ...aadError(400, 'interaction_required', 50076, AZURE_TEXT.mfaRequired).body,
            suberror: 'basic_action',
          },
        });
      }
      const rt = readRefreshToken(form.get('refresh_token') ?? '');
      if (!rt || !signedIn || signedIn.type !== 'user' || !same(signedIn.objectId, rt.oid)) {
        return failed(
          aadError(
            400,
            'invalid_grant',
            50173,
            `AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. ${TRACE} Timestamp: 2025-11-01 10:00:00Z`,
          ),
        );
      }
      who = signedIn;
    }
    const token = mintToken({
      audience,
      tenantId,
      objectId: who.objectId,
      type: 'user',
      name: who.name,
      lifetimeSeconds: lifetime,
    });
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
        id_token: idToken({
          clientId,
          tenantId,
          objectId: who.objectId,
          name: who.name,
          displayName: who.displayName ?? who.name,
        }),
        client_info: b64url({ uid: who.objectId, utid: tenantId }),
      },
      note,
    };
  }
  const fed =
    grant === 'client_credentials' && form.get('client_assertion')
      ? federatedSignIn(world, clientId, form.get('client_assertion') ?? '')
      : undefined;
  if (fed) {
    // `az login --service-principal -u <client id> --tenant <t> --federated-token <jwt>` (MSAL sends it as client_assertion).
    if ('standIn' in fed)
      return failed({
        status: 400,
        body: { error: 'invalid_client', error_description: fed.standIn },
        note: 'stand-in',
      });
    if ('text' in fed)
      return failed(aadError(400, fed.error, fed.code, `${fed.text} ${TRACE} Timestamp: 2025-11-01 10:00:00Z`));
    const mi = {
      type: /** @type {const} */ ('servicePrincipal'),
      objectId: fed.identity.principalId,
      name: fed.identity.clientId,
      appId: fed.identity.clientId,
      displayName: fed.identity.name,
    };
    if (identityKey(signedIn) !== identityKey(mi)) r.save({ ...world, signedIn: mi, signInExpired: false });
    const token = mintToken({
      audience,
      tenantId,
      objectId: mi.objectId,
      type: 'servicePrincipal',
      appId: mi.appId,
      name: mi.appId,
      lifetimeSeconds: lifetime,
    });
    return {
      status: 200,
      body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token.token },
      note,
    };
  }
  if (grant === 'client_credentials') {
    // `az login --service-principal -u <appId> -p <secret> --tenant <t>` and every token after it (MSAL keeps the secret).
    const known =
      [signedIn, world.loginAs].find((c) => c?.type === 'servicePrincipal' && same(c.appId ?? c.name, clientId)) ??
      (same(clientId, IDS.spAppId)
        ? {
            type: /** @type {const} */ ('servicePrincipal'),
            objectId: IDS.spObjectId,
            name: IDS.spAppId,
            appId: IDS.spAppId,
            displayName: 'aoai-wizard-ci',
          }
        : undefined);
    if (!known) {
      return failed(
        aadError(
          400,
          'unauthorized_client',
          700016,
          `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenantInfo(world, tenantId).displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant. ${TRACE} Timestamp: 2025-11-01 10:00:00Z`,
        ),
      );
    }
    if (world.signInExpired && identityKey(signedIn) === identityKey(known)) {
      return failed(
        aadError(401, 'invalid_client', 7000222, AZURE_TEXT.clientSecretExpired(known.appId ?? known.name)),
      );
    }
    if (identityKey(signedIn) !== identityKey(known)) r.save({ ...world, signedIn: known, signInExpired: false });
    const appId = known.appId ?? known.name;
    const token = mintToken({
      audience,
      tenantId,
      objectId: known.objectId,
      type: 'servicePrincipal',
      appId,
      name: appId,
      lifetimeSeconds: lifetime,
    });
    return {
      status: 200,
      body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token.token },
      note,
    };
  }
  return failed(
    aadError(
      400,
      'unsupported_grant_type',
      70003,
      `AADSTS70003: The app requested an unsupported grant type '${grant}'. ${TRACE} Timestamp: 2025-11-01 10:00:00Z`,
    ),
  );
}

/** Who a token is for, comparable. @param {SignedIn | null | undefined} s */
export const identityKey = (s) => (s ? `${s.type}|${s.objectId}`.toLowerCase() : '');
