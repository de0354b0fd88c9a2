// The trust between a GitHub Actions job and a user-assigned managed identity: a federated identity
// credential whose issuer, subject and audience equal the job token's iss, sub and aud. Entra ID compares
// them as exact strings (learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations).
import { AzureError } from '../errors.ts';
import type { FederatedCredential } from '../az/az.ts';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
/** The audience azure/login asks GitHub for, and Entra ID's recommended value. */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
/** "A maximum of 20 federated identity credentials can be added to an application or user-assigned managed identity." (Learn, same page). */
export const MAX_FEDERATED_CREDENTIALS = 20;

/** The credential that already trusts `subject` from GitHub for our audience, if any. */
export function findTrusting(
  credentials: readonly FederatedCredential[],
  subject: string,
): FederatedCredential | undefined {
  return credentials.find(
    (c) => c.issuer === GITHUB_ISSUER && c.subject === subject && c.audiences.includes(TOKEN_EXCHANGE_AUDIENCE),
  );
}

/**
 * A name for a new credential, from the subject: letters, digits, '-' and '_', starting with a letter or
 * digit, 3 to 120 characters (Microsoft.ManagedIdentity's rule for federatedIdentityCredentials names), and
 * not one of `taken`.
 */
export function credentialName(subject: string, taken: readonly string[]): string {
  const base = `github-${subject
    .replace(/^repo:/, '')
    // Stryker disable next-line Regex: a run of '-' becomes one on the next line anyway
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')}`.slice(0, 110);
  const used = new Set(taken.map((t) => t.toLowerCase()));
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    if (!used.has(name.toLowerCase())) return name;
  }
}

/** A new credential may be added: otherwise the clear error of the 20-per-identity limit, listing what is there. */
export function checkCredentialLimit(identityName: string, credentials: readonly FederatedCredential[]): void {
  if (credentials.length < MAX_FEDERATED_CREDENTIALS) return;
  throw new AzureError(
    `${identityName} already has ${credentials.length} federated credentials, Azure's limit for one identity.`,
    {
      code: 'federated-credential-limit',
      hint: `Delete one it no longer needs (az identity federated-credential delete --identity-name ${identityName} -g <group> --name <name>), or pass --identity with another identity.`,
      details: credentials.map((c) => `${c.name}: ${c.subject}`),
    },
  );
}
