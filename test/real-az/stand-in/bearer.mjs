// Bearer tokens on ARM and Graph: who calls, from the token az sends (minted by entra.mjs or imds.mjs), or the
// 401 the service answers for a missing, misdirected or expired one.
import { readClaims } from '../../support/tokens.mjs';
import { graphInner } from './replies.mjs';

/** @typedef {import('./replies.mjs').Reply} Reply */
/** @typedef {import('./replies.mjs').Req} Req */

/** @param {Req} r @param {string[]} audiences @returns {{ claims: Record<string, any> } | { reply: Reply }} */
function caller(r, audiences, /** @type {'arm'|'graph'} */ kind) {
  const auth = (r.headers.authorization ?? '').toString();
  const token = auth.replace(/^Bearer\s+/i, '');
  const claims = auth.toLowerCase().startsWith('bearer ') ? readClaims(token) : null;
  const fail = (/** @type {string} */ code, /** @type {string} */ message) => ({
    reply: {
      status: 401,
      body: {
        error:
          kind === 'arm'
            ? { code, message }
            : { code: 'InvalidAuthenticationToken', message, innerError: graphInner() },
      },
      headers: {
        'WWW-Authenticate':
          'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"',
      },
    },
  });
  if (!claims)
    return fail(
      'AuthenticationFailed',
      kind === 'arm' ? "Authentication failed. The 'Authorization' header is missing." : 'Access token is empty.',
    );
  if (!audiences.includes(claims.aud)) {
    return fail(
      'InvalidAuthenticationTokenAudience',
      kind === 'arm'
        ? `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`
        : 'Access token validation failure. Invalid audience.',
    );
  }
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) {
    return fail(
      'ExpiredAuthenticationToken',
      kind === 'arm'
        ? 'The access token expiry UTC time is earlier than current UTC time.'
        : 'Lifetime validation failed, the token is expired.',
    );
  }
  return { claims };
}

/**
 * A request to ARM or Graph as the service reads it: who calls (or the 401 to answer), the path without its
 * trailing slashes, and the OData $filter.
 * @param {Req} r @param {string[]} audiences @param {'arm'|'graph'} kind
 * @returns {{ claims: Record<string, any>, path: string, filter: string } | { reply: Reply }}
 */
export function authenticated(r, audiences, kind) {
  const who = caller(r, audiences, kind);
  if ('reply' in who) return who;
  return {
    claims: who.claims,
    path: decodeURIComponent(r.url.pathname).replace(/\/+$/, ''),
    filter: r.url.searchParams.get('$filter') ?? '',
  };
}
