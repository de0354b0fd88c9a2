// Who gets the role: the signed-in identity (a user on a laptop, a service principal in CI) by default,
// a user-assigned managed identity (--managed-identity), or any principal by object id (--assignee with
// --assignee-type). The object id always comes from a token claim or ARM, never from a Graph lookup.
import { isGuid } from '../contract/azure-ids.ts';
import type { Az, SignedInPrincipal, UserAssignedIdentity } from '../az/az.ts';
import type { Context } from '../context.ts';
import { AzureError, MissingInputError } from '../errors.ts';
import { checkObjectId, parseIdentityRef, type AssigneeType } from '../azure/names.ts';

export interface Principal {
  objectId: string;
  type: AssigneeType;
  name: string | null;
  /** How it was chosen: the signed-in identity is the only one verify can prove on this machine. */
  kind: 'signed-in' | 'managed-identity' | 'assignee';
  /** A user-assigned managed identity's client id: DefaultAzureCredential needs it as AZURE_CLIENT_ID. */
  clientId?: string;
}

export function signedInAsPrincipal(p: SignedInPrincipal): Principal {
  const c = p.claims;
  const userAssignedMi =
    c.managedIdentityResourceId !== undefined && /\/userAssignedIdentities\//i.test(c.managedIdentityResourceId);
  return {
    objectId: (c.objectId ?? '').toLowerCase(),
    type: c.principalType,
    name: c.name ?? null,
    kind: 'signed-in',
    ...(userAssignedMi && c.appId ? { clientId: c.appId } : {}),
  };
}

export function identityAsPrincipal(i: UserAssignedIdentity): Principal {
  // A managed identity is a service principal in Entra ID: its principalId is the object id that gets
  // the role; its clientId is what the app passes to pick it.
  return {
    objectId: i.principalId.toLowerCase(),
    type: 'ServicePrincipal',
    name: i.name,
    kind: 'managed-identity',
    clientId: i.clientId,
  };
}

export async function lookUpIdentity(
  az: Az,
  value: string,
  resourceGroup: string | undefined,
  subscription: string,
): Promise<UserAssignedIdentity> {
  const ref = parseIdentityRef(value);
  if (ref.kind === 'id') return az.identityShow({ id: ref.id });
  if (resourceGroup) return az.identityShow({ name: ref.name, resourceGroup }, { subscription });
  const all = await az.identityList({ subscription });
  const named = all.filter((i) => i.name.toLowerCase() === ref.name.toLowerCase());
  if (named.length === 1 && named[0]) return named[0];
  throw new AzureError(
    named.length === 0
      ? `No user-assigned managed identity named ${ref.name} in subscription ${subscription}.`
      : `Several managed identities are named ${ref.name}.`,
    {
      code: named.length === 0 ? 'managed-identity-not-found' : 'managed-identity-ambiguous',
      hint:
        named.length === 0
          ? 'Check the name, or pass its resource id with --managed-identity.'
          : 'Pass its resource id with --managed-identity.',
      details: (named.length === 0 ? all : named).map((i) => i.id),
    },
  );
}

/** Interactive, with no principal flag: me, a managed identity, or another principal by object id. */
export async function askPrincipal(
  ctx: Pick<Context, 'prompter'>,
  az: Az,
  me: Principal,
  subscription: string,
): Promise<Principal> {
  const choice = await ctx.prompter.select({
    message: 'Who gets access?',
    what: 'The principal',
    flag: '--assignee',
    default: 'me' as const,
    choices: [
      { name: `Me: ${me.name ?? me.objectId} (${me.type})`, value: 'me' as const },
      { name: 'A user-assigned managed identity (for an app running in Azure)', value: 'mi' as const },
      { name: 'Another principal or an Entra group, by object id', value: 'other' as const },
    ],
  });
  if (choice === 'me') return me;
  if (choice === 'mi') {
    const identities = await az.identityList({ subscription });
    if (identities.length === 0)
      throw new AzureError(`Subscription ${subscription} has no user-assigned managed identity.`, {
        code: 'managed-identity-not-found',
        hint: 'Create one with `az identity create --name <name> --resource-group <group>`.',
      });
    const id = await ctx.prompter.select({
      message: 'Managed identity',
      what: 'The managed identity',
      flag: '--managed-identity',
      choices: identities.map((i) => ({
        name: `${i.name}  (${i.resourceGroup})  client id ${i.clientId}`,
        value: i.id,
      })),
    });
    const picked = identities.find((i) => i.id === id);
    if (!picked) throw new MissingInputError('--managed-identity', 'The managed identity');
    return identityAsPrincipal(picked);
  }
  const objectId = checkObjectId(
    await ctx.prompter.input({
      message: 'Object id of the user, service principal or group',
      flag: '--assignee',
      what: 'The object id',
      validate: (v) => (isGuid(v.trim()) ? true : 'An object id is a GUID'),
    }),
  );
  return { objectId, type: await askPrincipalType(ctx, 'Principal type'), name: null, kind: 'assignee' };
}

/** The principal type of an object id: asked, because finding it out would take a Graph call. */
export function askPrincipalType(ctx: Pick<Context, 'prompter'>, message: string): Promise<AssigneeType> {
  return ctx.prompter.select({
    message,
    what: 'The principal type of --assignee',
    flag: '--assignee-type',
    choices: [
      { name: 'User', value: 'User' as const },
      { name: 'Group (everyone in it gets access)', value: 'Group' as const },
      { name: 'Service principal (an app or managed identity)', value: 'ServicePrincipal' as const },
    ],
  });
}
