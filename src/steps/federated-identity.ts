// ci github's Azure side: a user-assigned managed identity (reused, or created in the account's location),
// and a federated credential on it that trusts the job's subject (reused when one already does). A managed
// identity needs no app registration, so no directory (Graph) permission is needed.
import type { Az, FederatedCredential, UserAssignedIdentity } from '../az/az.ts';
import { federatedCredentialCreateArgs } from '../az/az.ts';
import type { Context } from '../context.ts';
import { AzureError } from '../errors.ts';
import { checkCredentialLimit, credentialName, findTrusting, GITHUB_ISSUER, TOKEN_EXCHANGE_AUDIENCE } from '../azure/federated-credential.ts';

export type ChangeStatus = 'created' | 'existing' | 'planned';

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

export async function ensureIdentity(
  ctx: Context,
  az: Az,
  i: { name: string; resourceGroup: string; location: string; subscription: string },
  dryRun: boolean,
): Promise<IdentityOutcome> {
  const found = await ctx.out.task(`Looking up the managed identity ${i.name}`, () =>
    az.identityShow({ name: i.name, resourceGroup: i.resourceGroup }, { subscription: i.subscription }).catch((e: unknown) => {
      if (e instanceof AzureError && e.code === 'not-found') return null;
      throw e;
    }),
  );
  if (found) return { identity: found, status: 'existing', command: null };
  const command = ['identity', 'create', '--name', i.name, '--resource-group', i.resourceGroup, '--location', i.location];
  if (dryRun) return { identity: null, status: 'planned', command };
  const created = await ctx.out.task(`Creating the managed identity ${i.name} in ${i.location}`, () => az.identityCreate(i, { subscription: i.subscription }));
  return { identity: created, status: 'created', command };
}

export async function ensureFederatedCredential(
  ctx: Context,
  az: Az,
  o: { identityName: string; resourceGroup: string; subscription: string; subject: string; identityExists: boolean },
  dryRun: boolean,
): Promise<CredentialOutcome & { trusted: string[] }> {
  const existing = o.identityExists
    ? await ctx.out.task('Listing its federated credentials', () => az.federatedCredentialList({ name: o.identityName, resourceGroup: o.resourceGroup }, { subscription: o.subscription }))
    : [];
  const trusted = existing.filter((c) => c.issuer === GITHUB_ISSUER).map((c) => c.subject);
  const match = findTrusting(existing, o.subject);
  if (match) return { credential: match, status: 'existing', command: null, trusted };
  checkCredentialLimit(o.identityName, existing);
  const wanted: FederatedCredential = { name: credentialName(o.subject, existing.map((c) => c.name)), issuer: GITHUB_ISSUER, subject: o.subject, audiences: [TOKEN_EXCHANGE_AUDIENCE] };
  const command = federatedCredentialCreateArgs({ ...wanted, identityName: o.identityName, resourceGroup: o.resourceGroup });
  if (dryRun) return { credential: wanted, status: 'planned', command, trusted: [...trusted, o.subject] };
  const created = await ctx.out.task(`Trusting ${o.subject}`, () => az.federatedCredentialCreate({ ...wanted, identityName: o.identityName, resourceGroup: o.resourceGroup }, { subscription: o.subscription }));
  return { credential: created, status: 'created', command, trusted: [...trusted, o.subject] };
}
