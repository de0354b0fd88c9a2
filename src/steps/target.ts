// The steps setup, revoke and ci github begin with: the sign-in, the subscription, the Azure OpenAI
// resource, and (setup, revoke) the principal that holds or gets the role. The sign-in step starts the
// first wave of az calls, which run together: the token (sign-in health and object id), and the account,
// its deployments and the caller's permissions there when the flags already name them; later steps await
// the answers they need from the wave in the state.
import type { Context } from '../context.ts';
import type {
  Az,
  CognitiveAccount,
  Deployment,
  SignedInPrincipal,
  Subscription,
  UserAssignedIdentity,
} from '../az/az.ts';
import type { Permission } from '../azure/data-actions.ts';
import { readPermissions } from './effective-access.ts';
import { AzureError, UsageError } from '../errors.ts';
import { need, type Step } from './pipeline.ts';
import type { ScopeLevel } from '../azure/roles.ts';
import { ACCOUNT_TYPE, isGuid, resourceId } from '../contract/azure-ids.ts';
import { ENV_KEYS, SUBSCRIPTION_ID } from '../contract/env-vars.ts';
import {
  checkObjectId,
  checkResourceGroup,
  checkSubscription,
  parseAccountRef,
  parseAssigneeType,
  parseIdentityRef,
  type AccountRef,
  type AssigneeType,
} from '../azure/names.ts';
import { fromSources, type Resolved } from '../resolve.ts';
import { isSignInProblem, offerLogin, withTenantFromProfile } from './sign-in.ts';
import { profileNames } from '../az/profile.ts';
import { pickSubscription, subscriptionName, type ChosenSubscription } from './subscription.ts';
import { checkAccount, chooseAccount } from './resource.ts';
import {
  askPrincipal,
  askPrincipalType,
  identityAsPrincipal,
  lookUpIdentity,
  signedInAsPrincipal,
  type Principal,
} from './principal.ts';

export interface TargetFlags {
  subscription: string | undefined;
  resourceGroup: string | undefined;
  account: AccountRef | undefined;
  assignee: { objectId: string; type: AssigneeType | undefined } | undefined;
  managedIdentity: string | undefined;
}

export interface TargetOptions {
  subscription?: string | undefined;
  resourceGroup?: string | undefined;
  resource?: string | undefined;
  assignee?: string | undefined;
  assigneeType?: string | undefined;
  managedIdentity?: string | undefined;
}

/** Checks the flags that name the resource and the principal, before any az call (exit 2). */
export function parseTargetFlags(o: TargetOptions): TargetFlags {
  const account = o.resource === undefined ? undefined : parseAccountRef(o.resource);
  const subscription = o.subscription === undefined ? undefined : checkSubscription(o.subscription);
  if (account?.kind === 'id' && subscription && isGuid(subscription) && subscription !== account.subscriptionId) {
    throw new UsageError(
      `--resource is in subscription ${account.subscriptionId}, but --subscription says ${subscription}.`,
      { code: 'bad-value', hint: 'Drop --subscription: a resource id names its own.' },
    );
  }
  if (o.assignee !== undefined && o.managedIdentity !== undefined) {
    throw new UsageError('--assignee and --managed-identity both name the principal; pass one.', { code: 'bad-value' });
  }
  if (o.assigneeType !== undefined && o.assignee === undefined) {
    throw new UsageError('--assignee-type goes with --assignee <object-id>.', {
      code: 'bad-value',
      hint: 'Without --assignee the signed-in identity is the principal, with its own type.',
    });
  }
  if (o.managedIdentity !== undefined) parseIdentityRef(o.managedIdentity);
  return {
    subscription,
    resourceGroup: o.resourceGroup === undefined ? undefined : checkResourceGroup(o.resourceGroup),
    account,
    assignee:
      o.assignee === undefined
        ? undefined
        : {
            objectId: checkObjectId(o.assignee),
            type: o.assigneeType === undefined ? undefined : parseAssigneeType(o.assigneeType),
          },
    managedIdentity: o.managedIdentity,
  };
}

export interface Wave {
  signedIn: Promise<SignedInPrincipal>;
  subscriptions: Promise<Subscription[]> | undefined;
  account: Promise<CognitiveAccount> | undefined;
  deployments: Promise<Deployment[]> | undefined;
  identity: Promise<UserAssignedIdentity> | undefined;
  permissions: PrefetchedPermissions | undefined;
}

/** The signed-in identity's permissions at a scope, read in the first wave when the flags make the scope known. */
export interface PrefetchedPermissions {
  scope: string;
  value: Promise<Permission[]>;
}

/** A promise whose rejection waits until it is awaited, so a parallel lookup never goes unhandled. */
function held<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

function startWave(
  ctx: Pick<Context, 'interactive'>,
  az: Az,
  f: TargetFlags,
  subscription: string | undefined,
  o: WaveOptions,
): Wave {
  const opts = { subscription };
  // A name with its group, or an id (which holds both): then the account and its deployments load now.
  const named =
    f.account?.kind === 'id'
      ? { name: f.account.name, resourceGroup: f.account.resourceGroup }
      : f.account && f.resourceGroup
        ? { name: f.account.name, resourceGroup: f.resourceGroup }
        : undefined;
  const accountSubscription = f.account?.kind === 'id' ? { subscription: f.account.subscriptionId } : opts;
  return {
    signedIn: held(az.getAccessToken(opts)),
    subscriptions: ctx.interactive && subscription === undefined ? held(az.accountList()) : undefined,
    account:
      f.account?.kind === 'id'
        ? held(az.cognitiveAccountShow({ id: f.account.id }))
        : named
          ? held(az.cognitiveAccountShow(named, opts))
          : undefined,
    deployments: named && o.withDeployments ? held(az.deploymentList(named, accountSubscription)) : undefined,
    identity:
      f.managedIdentity !== undefined &&
      subscription !== undefined &&
      (f.managedIdentity.startsWith('/') || f.resourceGroup !== undefined)
        ? held(lookUpIdentity(az, f.managedIdentity, f.resourceGroup, subscription))
        : undefined,
    permissions: prefetchPermissions(az, named, accountSubscription.subscription, o.roleScope),
  };
}

/**
 * With a subscription id, a group and a name, the scope is known before any answer: reading the caller's
 * permissions there now (effective data actions, and whether it may write role assignments) takes one az call
 * off the critical path (sign-in, then create, instead of three deep).
 */
function prefetchPermissions(
  az: Az,
  named: { name: string; resourceGroup: string } | undefined,
  subscription: string | undefined,
  level: ScopeLevel | undefined,
): PrefetchedPermissions | undefined {
  if (!named || !subscription || !isGuid(subscription) || !level) return undefined;
  // Read at the account whatever the assignment's level: access is to the account (effective-access.ts).
  const scope = resourceId(subscription, named.resourceGroup, ACCOUNT_TYPE, named.name);
  return { scope, value: held(readPermissions(az, scope)) };
}

export interface WaveOptions {
  withDeployments: boolean;
  /** The scope level the command will check assignments at, so they can be listed in the first wave. */
  roleScope?: ScopeLevel | undefined;
}

/** What the target steps find, in the order they find it; every command's state extends it. */
export interface TargetState {
  /** The subscription the flags, the environment or the .env ask for. */
  requested?: Resolved<string> | undefined;
  /** The subscription the az calls name (none: az's current one). */
  subscriptionArg?: string | undefined;
  /** The subscription names az keeps, read before our az calls start: they rewrite the file while they run. */
  names?: (id: string) => string | undefined;
  /** The first wave of az calls: started by the sign-in step, awaited by the steps that need each answer. */
  wave?: Wave;
  signedIn?: SignedInPrincipal;
  me?: Principal;
  subscription?: ChosenSubscription;
  account?: CognitiveAccount;
  endpoint?: string;
  accountSource?: string;
  principal?: Principal;
}

/** The parts of the context the target steps use. */
export type TargetContext = Pick<Context, 'out' | 'env' | 'interactive' | 'prompter'> & {
  az: Az;
  flags: TargetFlags;
  dotenv: Record<string, string>;
};

/** The sign-in, the subscription and the resource: the steps setup, revoke and ci github begin with. */
export function targetSteps(o: WaveOptions): Array<Step<TargetContext, TargetState>> {
  return [signInStep(o), subscriptionStep(o), resourceStep()];
}

/** The first wave of az calls, and the sign-in it proves: on "not signed in" in a terminal, az login and again. */
function signInStep(o: WaveOptions): Step<TargetContext, TargetState> {
  return {
    id: 'sign-in',
    title: 'Check the Azure CLI sign-in (and, together, what the flags name)',
    async run(ctx) {
      const { flags: f, dotenv } = ctx;
      const requested = fromSources({
        flag: f.subscription,
        environment: ctx.env[SUBSCRIPTION_ID],
        envFile: dotenv[SUBSCRIPTION_ID],
      });
      const subscriptionArg = requested?.value ?? (f.account?.kind === 'id' ? f.account.subscriptionId : undefined);
      let names = await profileNames(ctx.env);
      let wave = startWave(ctx, ctx.az, f, subscriptionArg, o);
      for (;;) {
        try {
          const label = `Checking the Azure CLI sign-in${wave.account ? ' and the resource' : ''}`;
          const signedIn = await ctx.out.task(label, () => wave.signedIn);
          return { requested, subscriptionArg, names, wave, signedIn };
        } catch (e) {
          if (e instanceof AzureError && e.code === 'subscription-not-found' && requested && !isGuid(requested.value)) {
            // A name az does not know is a usage error; an unknown GUID is Azure's "not found" (exit 5).
            throw new UsageError(`--subscription '${requested.value}' is not a subscription the Azure CLI knows.`, {
              code: 'bad-subscription',
              hint: e.hint,
            });
          }
          if (!isSignInProblem(e)) throw e;
          await offerLogin(ctx, ctx.az, await withTenantFromProfile(e, ctx.env, subscriptionArg));
          names = await profileNames(ctx.env);
          wave = startWave(ctx, ctx.az, f, subscriptionArg, o);
        }
      }
    },
  };
}

/** The token says which subscription az used, and its tenant: no `az account show` needed. */
function subscriptionStep(o: WaveOptions): Step<TargetContext, TargetState> {
  return {
    id: 'subscription',
    title: 'Choose the subscription',
    async run(ctx, s) {
      let [wave, signedIn, subscriptionArg] = [need(s.wave, 'wave'), need(s.signedIn, 'sign-in'), s.subscriptionArg];
      let listed: Subscription | undefined;
      if (wave.subscriptions) {
        listed = await pickSubscription(ctx, await wave.subscriptions, signedIn.subscriptionId);
        if (listed && listed.id !== signedIn.subscriptionId) {
          // Perhaps another tenant, where the same person has another object id: ask again.
          subscriptionArg = listed.id;
          const again = startWave(ctx, ctx.az, ctx.flags, subscriptionArg, o);
          wave = again;
          signedIn = await ctx.out.task('Checking the sign-in for that subscription', () => again.signedIn);
        }
      }
      const subscriptionId = signedIn.subscriptionId ?? listed?.id;
      if (!subscriptionId)
        throw new AzureError('The Azure CLI reports no subscription.', {
          code: 'no-subscription',
          hint: 'Run `az account set --subscription <id>` or pass --subscription.',
        });
      const subscription: ChosenSubscription = {
        id: subscriptionId,
        name: subscriptionName(s.requested, listed) ?? s.names?.(subscriptionId) ?? null,
        tenantId: signedIn.tenantId ?? listed?.tenantId ?? '',
      };
      ctx.out.success(
        `Signed in as ${signedIn.claims.name ?? signedIn.claims.objectId} (${signedIn.claims.principalType}) · subscription ${subscription.name ? `${subscription.name} ` : ''}${subscription.id}`,
      );
      return { wave, signedIn, subscriptionArg, subscription, me: signedInAsPrincipal(signedIn) };
    },
  };
}

/** The Azure OpenAI account: from the first wave when the flags named it, else listed and chosen. */
function resourceStep(): Step<TargetContext, TargetState> {
  return {
    id: 'resource',
    title: 'Choose the Azure OpenAI resource',
    async run(ctx, s) {
      const wave = need(s.wave, 'wave');
      const { account, source } = wave.account
        ? { account: await wave.account, source: 'flag' }
        : await listAndChooseAccount(ctx, need(s.subscription, 'subscription').id);
      const { endpoint } = checkAccount(account);
      if (source !== 'prompt')
        ctx.out.success(
          `Resource ${account.name} (${account.kind}, ${account.location}) · ${endpoint}${source === 'flag' ? '' : ` · ${sourceWord(source)}`}`,
        );
      if (account.publicNetworkAccess === 'Disabled')
        ctx.out.warn(
          `${account.name} has public network access disabled: calls must come through its private endpoint.`,
        );
      return { account, endpoint, accountSource: source };
    },
  };
}

async function listAndChooseAccount(ctx: TargetContext, subscriptionId: string) {
  const f = ctx.flags;
  const endpointHint = f.account
    ? undefined
    : fromSources({ environment: ctx.env[ENV_KEYS.endpoint], envFile: ctx.dotenv[ENV_KEYS.endpoint] });
  const accounts = await ctx.out.task('Listing Azure OpenAI resources', () =>
    ctx.az.cognitiveAccountList({ subscription: subscriptionId }),
  );
  return chooseAccount(ctx, accounts, {
    ...(f.account ? { name: f.account.name } : {}),
    endpoint: endpointHint,
    subscriptionId,
  });
}

/** The principal that holds (or gets) the role. */
export function principalStep(): Step<TargetContext, TargetState> {
  return {
    id: 'principal',
    title: 'Choose the principal',
    async run(ctx, s) {
      return { principal: await resolvePrincipal(ctx, ctx.az, ctx.flags, s) };
    },
  };
}

/** The principal: --managed-identity, --assignee, a question (interactive), or the signed-in identity. */
async function resolvePrincipal(
  ctx: Pick<Context, 'out' | 'prompter' | 'interactive'>,
  az: Az,
  f: TargetFlags,
  s: Readonly<TargetState>,
): Promise<Principal> {
  const me = need(s.me, 'signed-in principal');
  const subscriptionId = need(s.subscription, 'subscription').id;
  if (f.managedIdentity !== undefined) {
    const mi = f.managedIdentity;
    return identityAsPrincipal(
      await (s.wave?.identity ??
        ctx.out.task('Looking up the managed identity', () => lookUpIdentity(az, mi, f.resourceGroup, subscriptionId))),
    );
  }
  if (f.assignee) {
    const objectId = f.assignee.objectId;
    const type = f.assignee.type ?? (await askPrincipalType(ctx, `What is ${objectId}?`));
    return objectId === me.objectId ? { ...me, type } : { objectId, type, name: null, kind: 'assignee' };
  }
  if (ctx.interactive) return askPrincipal(ctx, az, me, subscriptionId);
  return me;
}

export function sourceWord(source: string): string {
  return source === 'env-file'
    ? 'from .env'
    : source === 'environment'
      ? 'from the environment'
      : source === 'default'
        ? 'the only one'
        : 'chosen';
}
