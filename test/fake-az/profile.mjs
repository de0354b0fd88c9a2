// The pretend Azure as az sees it before it calls anything: the world file, the profile az keeps
// (azureProfile.json: the signed-in identity and its subscriptions) and the session every Azure call starts with.
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { same, tenantInfo } from '../support/world.mjs';
import { LOGIN_MESSAGE, expiredSignIn, fail, signInFails } from './errors.mjs';
import { cloudOf } from './cloud.mjs';
import { olderThan } from './version.mjs';

/** @typedef {import('../support/world.mjs').World} World */
/** @typedef {import('../support/world.mjs').Subscription} Subscription */
/** @typedef {import('./args.mjs').Ctx} Ctx */

/** The world file the fake az answers from and writes to. */
export function worldPath() {
  const path = process.env.FAKE_AZ_WORLD;
  // Worded without "not found" or "az login": AzureCliCredential would read those as "az is missing" / "not signed in".
  if (!path) fail('fake az: set FAKE_AZ_WORLD to the pretend-Azure world file (test/support/fake-az.ts does)');
  return path;
}

/** The profile's subscriptions (azureProfile.json): none before `az login`; one of them is the default. @param {World} world */
export function cachedSubscriptions(world) {
  if (!world.signedIn) return [];
  const anyDefault = world.subscriptions.some((s) => s.isDefault);
  return world.subscriptions.map((s, i) => ({
    ...s,
    state: s.state ?? 'Enabled',
    isDefault: anyDefault ? Boolean(s.isDefault) : i === 0,
  }));
}
export const matchSubscriptions = (/** @type {Subscription[]} */ subs, /** @type {string} */ v) =>
  subs.filter((s) => same(s.id, v) || same(s.name, v));

/**
 * Keeps $AZURE_CONFIG_DIR/azureProfile.json as az does (_profile.py writes it, UTF-8 with a BOM): the
 * cached subscriptions of the signed-in identity. Tools read it for names without calling az.
 * @param {World} world @param {string | undefined} [dir] the config folder (default $AZURE_CONFIG_DIR)
 */
export function writeProfile(world, dir = process.env.AZURE_CONFIG_DIR) {
  if (!dir) return;
  const user = world.signedIn
    ? { name: world.signedIn.name, type: world.signedIn.type === 'user' ? 'user' : 'servicePrincipal' }
    : undefined;
  const subscriptions = cachedSubscriptions(world).map((s) => ({
    environmentName: world.cloud ?? 'AzureCloud',
    homeTenantId: s.tenantId,
    id: s.id,
    isDefault: s.isDefault,
    managedByTenants: [],
    name: s.name,
    state: s.state,
    tenantId: s.tenantId,
    user,
  }));
  // As az saves it (_session.py Session.save: open(path, 'w', encoding='utf-8-sig') then json.dump): truncated at
  // open, the text written after through Python's 8 KiB buffer, in place. Not atomic, so a concurrent reader can
  // see an empty or partial file, as it can with the real az.
  const text = Buffer.from(
    `\uFEFF${JSON.stringify({ installationId: '00000000-0000-0000-0000-000000000000', subscriptions })}`,
    'utf8',
  );
  const fd = openSync(join(dir, 'azureProfile.json'), 'w');
  try {
    for (let at = 0; at < text.length; at += 8192) writeSync(fd, text, at, Math.min(8192, text.length - at));
  } finally {
    closeSync(fd);
  }
}

/** _profile.py get_subscription (takes an id or a name). @param {World} world @param {string} [wanted] */
export function currentSubscription(world, wanted) {
  const subs = cachedSubscriptions(world);
  if (subs.length === 0) fail(LOGIN_MESSAGE);
  const found = wanted ? matchSubscriptions(subs, wanted) : subs.filter((s) => s.isDefault);
  if (found.length === 0) {
    fail(
      wanted
        ? `Subscription '${wanted}' not found. Check the spelling and casing and try again.`
        : "No subscription found. Run 'az account set' to select a subscription.",
    );
  }
  if (found.length > 1) fail(`Multiple subscriptions with the name '${wanted}' found. Specify the subscription ID.`);
  return /** @type {Subscription & { isDefault: boolean, state: string }} */ (found[0]);
}

/**
 * What every command that calls Azure does first: the account (or az's sign-in error), then a token. With an
 * expired sign-in MSAL's refresh fails and auth/util.py aad_error_handler prints AAD's description and the login
 * command: `az login --scope <scopes>` for a user, bare `az login` for a service principal.
 * @param {Ctx} ctx @param {'arm'|'graph'} resource @param {string} [subscription]
 */
export function azureSession(ctx, resource = 'arm', subscription = ctx.opts.subscription) {
  const sub = currentSubscription(ctx.world, subscription);
  if (signInFails(ctx.world)) {
    const cloud = cloudOf(ctx.world);
    fail(
      expiredSignIn(
        ctx.world,
        [
          `${resource === 'arm' ? cloud.endpoints.activeDirectoryResourceId : cloud.endpoints.microsoftGraphResourceId}/.default`,
        ],
        sub.tenantId,
      ),
    );
  }
  return sub;
}

/** The user-assigned identity the signed-in managed identity is, if it is one. @param {World} world */
export function signedInIdentity(world) {
  const me = world.signedIn;
  if (me?.type !== 'managedIdentity' || me.name === 'systemAssignedIdentity') return undefined;
  return world.identities.find((i) => same(i.principalId, me.objectId) || same(i.clientId, me.appId));
}

/** _profile.py: the `user` of a profile entry; a managed identity is a servicePrincipal with assignedIdentityInfo. @param {World} world */
function profileUser(world) {
  const me = /** @type {NonNullable<World['signedIn']>} */ (world.signedIn);
  if (me.type === 'user') return { name: me.name, type: 'user' };
  if (me.type === 'servicePrincipal') return { name: me.appId ?? me.name, type: 'servicePrincipal' };
  const mi = signedInIdentity(world);
  return mi
    ? {
        assignedIdentityInfo: `MSIClient-${me.appId ?? mi.clientId}`,
        name: 'userAssignedIdentity',
        type: 'servicePrincipal',
      }
    : { assignedIdentityInfo: 'MSI', name: 'systemAssignedIdentity', type: 'servicePrincipal' };
}

/** A profile entry as `az account show` prints it. @param {World} world @param {Subscription & { isDefault: boolean, state: string }} s */
export function profileEntry(world, s) {
  /** @type {Record<string, unknown>} */
  const entry = {
    environmentName: world.cloud ?? 'AzureCloud',
    homeTenantId: s.tenantId,
    id: s.id,
    isDefault: s.isDefault,
    managedByTenants: [],
    name: s.name,
    state: s.state,
    tenantId: s.tenantId,
    user: profileUser(world),
  };
  // From the Tenants-List API, for user logins without --tenant; 2.45 wrote none (the version that added them is unknown).
  if (world.signedIn?.type === 'user' && !olderThan(world, '2.46')) {
    const t = tenantInfo(world, s.tenantId);
    Object.assign(entry, { tenantDefaultDomain: t.defaultDomain, tenantDisplayName: t.displayName });
  }
  return entry;
}

/** profile/custom.py list_subscriptions and login: the same entries with environmentName renamed cloudName. @param {World} world @param {ReturnType<typeof cachedSubscriptions>} subs */
export function accountList(world, subs) {
  return subs.map((s) => {
    const { environmentName, ...rest } = profileEntry(world, s);
    return { ...rest, cloudName: environmentName };
  });
}
