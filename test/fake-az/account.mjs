// `az account list|get-access-token` (profile/custom.py and _profile.py), the account commands aoai-keyless runs:
// the profile's subscriptions and the access tokens az mints for the signed-in identity.
import { IDS, identityId, same } from '../support/world.mjs';
import { mintToken } from '../support/tokens.mjs';
import { fail, expiredSignIn, signInFails } from './errors.mjs';
import { ACCOUNT_SUBSCRIPTION, flag, list, value } from './args.mjs';
import { cloudOf } from './cloud.mjs';
import { olderThan } from './version.mjs';
import { accountList, cachedSubscriptions, currentSubscription, signedInIdentity } from './profile.mjs';

/** @typedef {import('../support/world.mjs').World} World */
/** @typedef {typeof import('./cloud.mjs').CLOUDS.AzureCloud} Cloud */
/** @typedef {import('./args.mjs').Ctx} Ctx */
/** @typedef {import('./args.mjs').Command} Command */

/** profile/custom.py list_subscriptions: [] plus a warning before `az login` (exit 0); non-Enabled ones only with --all. @param {Ctx} ctx */
function accountListCommand(ctx) {
  const subs = cachedSubscriptions(ctx.world);
  if (subs.length === 0) ctx.warnings.push('Please run "az login" to access your accounts.');
  const enabled = subs.filter((s) => s.state === 'Enabled');
  if (!ctx.opts.all && enabled.length !== subs.length) {
    ctx.warnings.push("A few accounts are skipped as they don't have 'Enabled' state. Use '--all' to display them.");
    return accountList(ctx.world, enabled);
  }
  return accountList(ctx.world, subs);
}

const RESOURCE_TYPES = /** @type {const} */ ({
  arm: 'activeDirectoryResourceId',
  'aad-graph': 'activeDirectoryGraphResourceId',
  'ms-graph': 'microsoftGraphResourceId',
  batch: 'batchResourceId',
  'data-lake': 'activeDirectoryDataLakeResourceId',
  media: 'mediaResourceId',
  'oss-rdbms': 'ossrdbmsResourceId',
});

/**
 * profile/custom.py get_access_token and _profile.py get_raw_token. expiresOn is local time (deprecated); expires_on
 * (epoch seconds) came in 2.54; `subscription` is omitted with --tenant.
 * @param {Ctx} ctx
 */
function getAccessToken(ctx) {
  const o = ctx.opts;
  const world = ctx.world;
  const cloud = cloudOf(world);
  const resource =
    o.resource ?? (o.resourceType ? cloud.endpoints[RESOURCE_TYPES[/** @type {'arm'} */ (o.resourceType)]] : undefined);
  // auth/util.py resource_to_scopes keeps a trailing slash: https://management.core.windows.net//.default
  const scopes = o.scopes?.length ? o.scopes : [`${resource ?? cloud.endpoints.activeDirectoryResourceId}/.default`];
  if (o.subscription && o.tenant) fail('Please specify only one of subscription and tenant, not both');
  const sub = currentSubscription(world, o.subscription);
  const me = /** @type {NonNullable<World['signedIn']>} */ (world.signedIn);
  if (me.type === 'managedIdentity' && o.tenant) fail("Tenant shouldn't be specified for managed identity account");
  const tenant = o.tenant ?? sub.tenantId;
  if (signInFails(world)) fail(expiredSignIn(world, scopes, tenant));
  const mi = signedInIdentity(world);
  const { token, expiresOn } = mintToken({
    audience: audienceOf(scopes[0] ?? '', cloud),
    tenantId: tenant,
    objectId: me.objectId,
    type: me.type,
    name: me.name,
    appId: me.type === 'managedIdentity' ? (me.appId ?? mi?.clientId ?? IDS.miClientId) : (me.appId ?? me.name),
    lifetimeSeconds: world.tokenLifetimeSeconds ?? 3600,
    ...(mi ? { miResourceId: identityId(mi) } : {}),
  });
  return {
    accessToken: token,
    expiresOn: localPythonTime(expiresOn),
    ...(olderThan(world, '2.54') ? {} : { expires_on: expiresOn }),
    ...(o.tenant ? {} : { subscription: sub.id }),
    tenant,
    tokenType: 'Bearer',
  };
}

/** auth/util.py scopes_to_resource, then AAD's aud: the resource's app id URI, which has no trailing slash except ARM's. */
function audienceOf(/** @type {string} */ scope, /** @type {Cloud} */ cloud) {
  const resource = scope.replace(/\/(\.default|user_impersonation)$/, '');
  return same(resource, cloud.endpoints.activeDirectoryResourceId) ? resource : resource.replace(/\/+$/, '');
}

/** datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M:%S.%f"): local time, as az prints expiresOn. */
function localPythonTime(/** @type {number} */ epochSeconds) {
  const d = new Date(epochSeconds * 1000);
  const p = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.000000`;
}

/** Help examples of az 2.45 (the *_help.py files), which parser errors recommend. */
const EXAMPLES = {
  getAccessToken: [
    { command: 'az account get-access-token', description: 'Get an access token for the current account' },
    {
      command: 'az account get-access-token --subscription 00000000-0000-0000-0000-000000000000',
      description: 'Get an access token for a specific subscription',
    },
    {
      command: 'az account get-access-token --tenant 00000000-0000-0000-0000-000000000000',
      description: 'Get an access token for a specific tenant',
    },
    {
      command: 'az account get-access-token --resource-type ms-graph',
      description: 'Get an access token to use with MS Graph API',
    },
  ],
};

/** @type {Command[]} (options in az's order: the "required" message lists them so) */
export const ACCOUNT_COMMANDS = [
  { name: 'account list', options: [flag('all', ['--all']), flag('refresh', ['--refresh'])], run: accountListCommand },
  {
    name: 'account get-access-token',
    options: [
      ACCOUNT_SUBSCRIPTION,
      value('resource', ['--resource']),
      list('scopes', ['--scope'], 0),
      value('resourceType', ['--resource-type'], { choices: Object.keys(RESOURCE_TYPES), lower: true }),
      value('tenant', ['--tenant', '-t']),
    ],
    run: getAccessToken,
    examples: EXAMPLES.getAccessToken,
  },
];
