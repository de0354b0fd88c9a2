// `az login` and `az logout` (profile/custom.py): who signs in, as a user, a service principal or a managed
// identity, and what login prints (the subscriptions, with cloudName).
import { randomUUID } from 'node:crypto';
import {
  IDS,
  baseWorld,
  directoryObjects,
  identityId,
  managedIdentitySignIn,
  same,
  saveWorld,
} from '../support/world.mjs';
import { currentWording, fail } from './errors.mjs';
import { flag, list, value } from './args.mjs';
import { accountList, cachedSubscriptions, worldPath } from './profile.mjs';

/** @typedef {import('../support/world.mjs').World} World */
/** @typedef {import('./args.mjs').Ctx} Ctx */
/** @typedef {import('./args.mjs').Command} Command */

/** profile/custom.py login: signs in and prints the subscriptions (cloudName). @param {Ctx} ctx */
function login(ctx) {
  const o = ctx.opts;
  const world = ctx.world;
  if ((o.password || o.servicePrincipal || o.tenant) && o.identity)
    fail("usage error: '--identity' is not applicable with other arguments");
  if (o.servicePrincipal && !o.username)
    fail('usage error: --service-principal --username NAME --password SECRET --tenant TENANT');
  if (o.username && !o.password && !o.identity)
    fail('Please specify both username and password in non-interactive mode.');
  // --claims-challenge came with 2.76 (Azure/azure-cli#31778): older az's parser rejects it.
  if (o.claimsChallenge && !currentWording(world))
    fail(`unrecognized arguments: --claims-challenge ${o.claimsChallenge}`, 2);
  world.signedIn = o.identity
    ? identityLogin(world, o.username)
    : o.servicePrincipal
      ? servicePrincipalLogin(world, o.username)
      : (world.loginAs ?? baseWorld().signedIn);
  // A new interactive sign-in satisfies MFA and refills the token cache.
  world.signInExpired = false;
  delete world.signInProblem;
  delete world.mfaForWrites;
  saveWorld(worldPath(), world);
  return accountList(world, cachedSubscriptions(world));
}

/** @param {World} world @param {string} appId @returns {NonNullable<World['signedIn']>} */
function servicePrincipalLogin(world, appId) {
  if (world.loginAs?.type === 'servicePrincipal') return world.loginAs;
  const known = directoryObjects(world).find((x) => x.servicePrincipalType === 'Application' && same(x.appId, appId));
  return {
    type: 'servicePrincipal',
    objectId: known?.id ?? (same(appId, IDS.spAppId) ? IDS.spObjectId : randomUUID()),
    name: appId,
    appId,
    displayName: known?.displayName ?? 'aoai-wizard-ci',
  };
}

/** `az login --identity [-u <client id | object id | resource id>]`. @param {World} world @param {string} [username] @returns {NonNullable<World['signedIn']>} */
function identityLogin(world, username) {
  if (!username) {
    return world.loginAs?.type === 'managedIdentity' ? world.loginAs : managedIdentitySignIn();
  }
  const i = world.identities.find(
    (x) => same(x.clientId, username) || same(x.principalId, username) || same(identityId(x), username),
  );
  if (!i) fail('Failed to connect to MSI. Please make sure MSI is configured correctly.');
  return managedIdentitySignIn(i);
}

/** profile/custom.py logout: _profile.py get_current_account_user has its own words for "nobody". @param {Ctx} ctx */
function logout(ctx) {
  if (!ctx.world.signedIn) fail('There are no active accounts.');
  ctx.world.signedIn = null;
  saveWorld(worldPath(), ctx.world);
  return null;
}

/** Help examples of az 2.45 (the *_help.py files), which parser errors recommend. */
const EXAMPLES = {
  login: [
    { command: 'az login', description: 'Log in interactively.' },
    {
      command: 'az login -u johndoe@contoso.com -p VerySecret',
      description:
        "Log in with user name and password. This doesn't work with Microsoft accounts or accounts that have two-factor authentication enabled. Use -p=secret if the first character of the password is '-'.",
    },
    {
      command:
        'az login --service-principal -u http://azure-cli-2016-08-05-14-31-15 -p VerySecret --tenant contoso.onmicrosoft.com',
      description:
        "Log in with a service principal using client secret. Use -p=secret if the first character of the password is '-'.",
    },
    {
      command:
        'az login --service-principal -u http://azure-cli-2016-08-05-14-31-15 -p ~/mycertfile.pem --tenant contoso.onmicrosoft.com',
      description: 'Log in with a service principal using client certificate.',
    },
    { command: 'az login --identity', description: "Log in using a VM's system-assigned managed identity." },
    {
      command:
        'az login --identity -u /subscriptions/<subscriptionId>/resourcegroups/myRG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/myID',
      description:
        "Log in using a VM's user-assigned managed identity. Client or object ids of the service identity also work.",
    },
  ],
};

/** @type {Command[]} */
export const LOGIN_COMMANDS = [
  {
    name: 'login',
    options: [
      value('username', ['--username', '-u']),
      value('password', ['--password', '-p']),
      flag('servicePrincipal', ['--service-principal']),
      value('tenant', ['--tenant', '-t']),
      flag('identity', ['--identity']),
      flag('allowNoSubscriptions', ['--allow-no-subscriptions']),
      flag('useDeviceCode', ['--use-device-code']),
      list('scopes', ['--scope']),
      value('federatedToken', ['--federated-token']),
      value('claimsChallenge', ['--claims-challenge']),
    ],
    run: login,
    examples: EXAMPLES.login,
  },
  { name: 'logout', options: [value('username', ['--username'])], run: logout },
];
