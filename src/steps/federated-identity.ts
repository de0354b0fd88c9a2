// ci github's Azure side: a user-assigned managed identity (reused, or created in the account's location),
// and a federated credential on it that trusts the job's subject (reused when one already does). A managed
// identity needs no app registration, so no directory (Graph) permission is needed.
import type { ChangeStatus } from '../contract/documents.ts';
import type { Az, FederatedCredential, UserAssignedIdentity } from '../az/az.ts';
import { federatedCredentialCreateArgs } from '../az/az.ts';
import type { Context } from '../context.ts';
import { AzureError } from '../errors.ts';
import {
  checkCredentialLimit,
  credentialName,
  findTrusting,
  GITHUB_ISSUER,
  TOKEN_EXCHANGE_AUDIENCE,
} from '../azure/federated-credential.ts';

export type { ChangeStatus };

export interface IdentityOutcome {
  identity: UserAssignedIdentity | null;
  status: ChangeStatus;
  command: string[] | null;
}

export interface CredentialOutcome {
  credential: FederatedCredential;
  status: ChangeStatus;
  command: string[] | null;
}

/** A lookup whose "not found" (az exit 3) is an answer, not a failure. */
function orNull<T>(p: Promise<T>): Promise<T | null> {
  return p.catch((e: unknown) => {
    if (e instanceof AzureError && e.code === 'not-found') return null;
    throw e;
  });
}

export interface IdentityLookup {
  identity: UserAssignedIdentity | null;
  credentials: FederatedCredential[];
}

/** The identity and its federated credentials, looked up together (one round of az calls, not two). */
export async function lookUpIdentityAndCredentials(
  ctx: Context,
  az: Az,
  i: { name: string; resourceGroup: string; subscription: string },
): Promise<IdentityLookup> {
  const opts = { subscription: i.subscription };
  const [identity, credentials] = await ctx.out.task(
    `Looking up the managed identity ${i.name} and its federated credentials`,
    () =>
      Promise.all([
        orNull(az.identityShow({ name: i.name, resourceGroup: i.resourceGroup }, opts)),
        orNull(az.federatedCredentialList({ name: i.name, resourceGroup: i.resourceGroup }, opts)),
      ]),
  );
  return { identity, credentials: identity ? (credentials ?? []) : [] };
}

export async function ensureIdentity(
  ctx: Context,
  az: Az,
  i: { name: string; resourceGroup: string; location: string; subscription: string },
  found: UserAssignedIdentity | null,
  dryRun: boolean,
): Promise<IdentityOutcome> {
  if (found) return { identity: found, status: 'existing', command: null };
  const command = [
    'identity',
    'create',
    '--name',
    i.name,
    '--resource-group',
    i.resourceGroup,
    '--location',
    i.location,
  ];
  if (dryRun) return { identity: null, status: 'planned', command };
  const created = await ctx.out.task(`Creating the managed identity ${i.name} in ${i.location}`, () =>
    az.identityCreate(i, { subscription: i.subscription }),
  );
  return { identity: created, status: 'created', command };
}

/** What the credential step will do: reuse one that trusts the subject, or add one (the 20-per-identity limit checked here, before any change). */
export function planFederatedCredential(o: {
  identityName: string;
  resourceGroup: string;
  subject: string;
  existing: readonly FederatedCredential[];
}): CredentialOutcome & { trusted: string[] } {
  const trusted = o.existing.filter((c) => c.issuer === GITHUB_ISSUER).map((c) => c.subject);
  const match = findTrusting(o.existing, o.subject);
  if (match) return { credential: match, status: 'existing', command: null, trusted };
  checkCredentialLimit(o.identityName, o.existing);
  const wanted: FederatedCredential = {
    name: credentialName(
      o.subject,
      o.existing.map((c) => c.name),
    ),
    issuer: GITHUB_ISSUER,
    subject: o.subject,
    audiences: [TOKEN_EXCHANGE_AUDIENCE],
  };
  const command = federatedCredentialCreateArgs({
    ...wanted,
    identityName: o.identityName,
    resourceGroup: o.resourceGroup,
  });
  return { credential: wanted, status: 'planned', command, trusted: [...trusted, o.subject] };
}

/** Creates the planned credential (a dry run leaves it planned). */
export async function applyFederatedCredential(
  ctx: Context,
  az: Az,
  plan: CredentialOutcome & { trusted: string[] },
  o: { identityName: string; resourceGroup: string; subscription: string },
  dryRun: boolean,
): Promise<CredentialOutcome & { trusted: string[] }> {
  if (plan.status !== 'planned' || dryRun) return plan;
  const c = plan.credential;
  const created = await ctx.out.task(`Trusting ${c.subject}`, () =>
    az.federatedCredentialCreate(
      { ...c, identityName: o.identityName, resourceGroup: o.resourceGroup },
      { subscription: o.subscription },
    ),
  );
  return { ...plan, credential: created, status: 'created' };
}
