// Entra ID's workload identity federation for the stand-in: a client_credentials request whose client is a
// user-assigned managed identity and whose client_assertion is a JWT from GitHub Actions. Entra ID checks the
// signature against the issuer's keys, then looks for a federated credential of that identity whose issuer,
// subject and audience equal the token's (learn.microsoft.com/entra/workload-id/workload-identity-federation).
// The issuer's key here is a local test key whose public half the test puts in the world (githubOidcPublicKey).
// Refusal text: AADSTS70021 "No matching federated identity record found for presented assertion. Assertion
// Issuer: '...'. Assertion Subject: '...'. Assertion Audience: '...'." (AZURE-FACTS E.7; Learn
// troubleshooting of workload identity federation, where users paste it).
import { createPublicKey, verify } from 'node:crypto';
import { same } from '../../support/world.mjs';

/** @typedef {import('../../support/world.mjs').World} World */

/** @param {string} part */
const json = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/**
 * The managed identity the assertion signs in as, or the AADSTS error (code and text) that refuses it.
 * @param {World & { githubOidcPublicKey?: string }} world @param {string} clientId @param {string} assertion
 * @returns {{ identity: import('../../support/world.mjs').UserAssignedIdentity } | { code: number, error: string, text: string }}
 */
export function federatedSignIn(world, clientId, assertion) {
  const identity = world.identities.find((i) => same(i.clientId, clientId));
  if (!identity) return { code: 700016, error: 'unauthorized_client', text: `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.` };
  const [h = '', p = '', s = ''] = assertion.split('.');
  const signed = world.githubOidcPublicKey !== undefined && verify('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey(world.githubOidcPublicKey), Buffer.from(s, 'base64url'));
  if (!signed) return { code: 700212, error: 'invalid_client', text: 'AADSTS700212: No matching federated identity record found for presented assertion audience.' };
  const claims = json(p);
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const match = (identity.federatedCredentials ?? []).find((c) => c.issuer === claims.iss && c.subject === claims.sub && c.audiences.some((a) => aud.includes(a)));
  if (match) return { identity };
  return {
    code: 70021,
    error: 'invalid_request',
    text: `AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '${claims.iss}'. Assertion Subject: '${claims.sub}'. Assertion Audience: '${aud.join(',')}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
  };
}
