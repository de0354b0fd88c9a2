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
 * The managed identity the assertion signs in as, the AADSTS70021 refusal, or undefined when the client is no
 * managed identity of the world (entra.mjs then answers as for any unknown client: AADSTS700016).
 * @param {World & { githubOidcPublicKey?: string }} world @param {string} clientId @param {string} assertion
 * @returns {{ identity: import('../../support/world.mjs').UserAssignedIdentity } | { code: number, error: string, text: string } | { standIn: string } | undefined}
 */
export function federatedSignIn(world, clientId, assertion) {
  const identity = world.identities.find((i) => same(i.clientId, clientId));
  if (!identity) return undefined;
  const [h = '', p = '', s = ''] = assertion.split('.');
  const signed =
    world.githubOidcPublicKey !== undefined &&
    verify(
      'RSA-SHA256',
      Buffer.from(`${h}.${p}`),
      createPublicKey(world.githubOidcPublicKey),
      Buffer.from(s, 'base64url'),
    );
  // Not Entra's words (no recorded answer for a bad signature): the stand-in says what it is.
  if (!signed)
    return { standIn: 'stand-in: the assertion is not signed by the test key of GitHub (world.githubOidcPublicKey)' };
  const claims = json(p);
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const match = (identity.federatedCredentials ?? []).find(
    (c) => c.issuer === claims.iss && c.subject === claims.sub && c.audiences.some((a) => aud.includes(a)),
  );
  if (match) return { identity };
  return {
    code: 70021,
    error: 'invalid_request',
    text: `AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '${claims.iss}'. Assertion Subject: '${claims.sub}'. Assertion Audience: '${aud.join(',')}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
  };
}
