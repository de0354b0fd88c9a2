// What an Entra ID access token says about its principal, decoded locally. The signature is not
// checked: the token came from az or @azure/identity on this machine, and only its claims are shown.
// The token itself never leaves the function that decodes it.

export interface TokenClaims {
  objectId: string | undefined;
  tenantId: string | undefined;
  /** upn for a user, the app id for a service principal or managed identity. */
  name: string | undefined;
  appId: string | undefined;
  audience: string | undefined;
  expiresAt: Date | undefined;
  /** 'User' for a delegated (user) token, 'ServicePrincipal' for an app-only one. */
  principalType: 'User' | 'ServicePrincipal';
  /** Set for a managed identity: its resource id (xms_mirid). */
  managedIdentityResourceId: string | undefined;
}

export function decodeTokenClaims(token: string): TokenClaims | undefined {
  const payload = token.split('.')[1];
  // Stryker disable next-line ConditionalExpression: without the guard, decoding nothing throws below and returns undefined too
  if (!payload) return undefined;
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const s = (k: string): string | undefined => (typeof c[k] === 'string' && c[k] !== '' ? (c[k] as string) : undefined);
  // idtyp is an optional claim; without it a delegated token is the one that carries scp (scopes).
  const isUser = s('idtyp') === 'user' || (s('idtyp') === undefined && s('scp') !== undefined);
  const exp = typeof c['exp'] === 'number' ? new Date((c['exp'] as number) * 1000) : undefined;
  return {
    objectId: s('oid'),
    tenantId: s('tid'),
    name: isUser ? (s('upn') ?? s('unique_name') ?? s('preferred_username') ?? s('email')) : (s('appid') ?? s('azp')),
    appId: s('appid') ?? s('azp'),
    audience: s('aud'),
    expiresAt: exp,
    principalType: isUser ? 'User' : 'ServicePrincipal',
    managedIdentityResourceId: s('xms_mirid'),
  };
}
