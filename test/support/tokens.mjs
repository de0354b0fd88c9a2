// Access tokens of the pretend Azure: JWTs with real-looking claims and a signature nobody checks.
// The fake az, the real-az tier's token endpoint and the local Azure OpenAI server all use these.

const b64url = (/** @type {unknown} */ o) => Buffer.from(JSON.stringify(o)).toString('base64url');

/**
 * @param {{ audience: string, tenantId: string, objectId: string, type: 'user'|'servicePrincipal'|'managedIdentity',
 *   name?: string, appId?: string, lifetimeSeconds?: number, nowSeconds?: number, miResourceId?: string }} p
 */
export function mintToken(p) {
  const now = p.nowSeconds ?? Math.floor(Date.now() / 1000);
  const exp = now + (p.lifetimeSeconds ?? 3600);
  /** @type {Record<string, unknown>} */
  const claims = {
    aud: p.audience,
    iss: `https://sts.windows.net/${p.tenantId}/`,
    iat: now,
    nbf: now,
    exp,
    oid: p.objectId,
    tid: p.tenantId,
    sub: p.objectId,
    ver: '1.0',
  };
  if (p.type === 'user') {
    Object.assign(claims, {
      upn: p.name,
      unique_name: p.name,
      name: p.name,
      idtyp: 'user',
      scp: 'user_impersonation',
      appid: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
    });
  } else {
    Object.assign(claims, { appid: p.appId ?? p.name, idtyp: 'app' });
    if (p.miResourceId) claims.xms_mirid = p.miResourceId;
  }
  return {
    token: `${b64url({ typ: 'JWT', alg: 'RS256', kid: 'fake-key' })}.${b64url(claims)}.ZmFrZS1zaWduYXR1cmU`,
    expiresOn: exp,
  };
}

/** @param {string} token @returns {Record<string, any> | null} */
export function readClaims(token) {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}
