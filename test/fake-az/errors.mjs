// How the fake az fails: errors as azure-cli-core prints them (azclierror.py print_error: `ERROR: <msg>` +
// recommendation lines), with az's exit codes: 0 ok, 1 error, 2 usage (parser.py), 3 ResourceNotFound on show
// commands (commands/arm.py show_exception_handler). A command throws an AzExit; the entry prints it.
// "az login" appears on stderr only for a sign-in problem: AzureCliCredential takes any stderr containing
// "az login" for "not signed in".
import { AZURE_TEXT } from '../support/world.mjs';
import { olderThan } from './version.mjs';

/** @typedef {import('../support/world.mjs').World} World */

/** azure-cli-core _profile.py _AZ_LOGIN_MESSAGE */
export const LOGIN_MESSAGE = "Please run 'az login' to setup account.";

export class AzExit {
  /** @param {number} exitCode @param {string} stderr */
  constructor(exitCode, stderr) {
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/** azclierror.py print_error: `ERROR: <msg>`, then recommendations. @returns {never} */
export function fail(/** @type {string} */ message, exitCode = 1, trailer = '') {
  throw new AzExit(exitCode, `ERROR: ${message}\n${trailer}`);
}

/** An ARM error through azure-core's HttpResponseError: `(Code) Message`, then `Code:` and `Message:` lines. @returns {never} */
export function armFail(/** @type {string} */ code, /** @type {string} */ message, exitCode = 1) {
  fail(`(${code}) ${message}\nCode: ${code}\nMessage: ${message}`, exitCode);
}

/** Does the world's az word its re-sign-in as current az (2.76+), or as 2.45-2.75? @param {World} world */
export const currentWording = (world) => !olderThan(world, '2.76');

/**
 * The re-sign-in recommendation az prints after an Entra ID refusal (auth/util.py aad_error_handler and
 * _generate_login_command). 2.45-2.75: "Interactive authentication is needed. Please run:" + `az login --scope <s>`
 * (a claims challenge prepends `az logout`); a service principal passes no scopes. 2.76+: "Run the command below to
 * authenticate interactively; additional arguments may be added as needed:" + `az logout` + `az login --tenant "<t>"
 * --scope "<s>" [--claims-challenge "<base64>"]`, a service principal's bare (Azure/azure-cli#31699, #31742, #31745).
 * @param {World} world @param {{ user: boolean, tenant: string, scopes: string[], claims?: string }} p
 */
export function reSignInText(world, p) {
  if (currentWording(world)) {
    const login = ['az login'];
    if (p.user) login.push(`--tenant "${p.tenant}"`, '--scope', ...p.scopes.map((s) => `"${s}"`));
    if (p.user && p.claims) login.push('--claims-challenge', `"${Buffer.from(p.claims).toString('base64')}"`);
    return `${RE_SIGN_IN.current}\naz logout\n${login.join(' ')}`;
  }
  const login = p.user ? `az login --scope ${p.scopes.join(' ')}` : 'az login';
  return `${RE_SIGN_IN.old}\n${p.claims ? 'az logout\n' : ''}${login}`;
}

export const RE_SIGN_IN = {
  old: 'Interactive authentication is needed. Please run:',
  current: 'Run the command below to authenticate interactively; additional arguments may be added as needed:',
};

/**
 * What az prints when a token request fails: an expired sign-in (AADSTS700082 user / AADSTS7000222 service principal),
 * or world.signInProblem: MFA required by Conditional Access (AADSTS50076), a sign-in-frequency check (AADSTS70043),
 * a lost token cache (msal_authentication.py / msal_credentials.py UserCredential: the account is not in the
 * MSAL cache), or an empty answer from the cache (auth/util.py check_result).
 * @param {World} world @param {string[]} scopes @param {string} tenant
 */
export function expiredSignIn(world, scopes, tenant = world.tenantId) {
  const me = /** @type {NonNullable<World['signedIn']>} */ (world.signedIn);
  const user = me.type === 'user';
  const problem = world.signInProblem;
  if (problem === 'lost-token-cache') return `User '${me.name}' does not exist in MSAL token cache. Run \`az login\`.`;
  if (problem === 'empty-token-cache')
    return "Can't find token from MSAL cache.\nTo re-authenticate, please run:\naz login";
  const description =
    problem === 'mfa'
      ? AZURE_TEXT.mfaRequired
      : problem === 'sign-in-frequency'
        ? AZURE_TEXT.signInFrequency
        : user
          ? AZURE_TEXT.refreshTokenExpired
          : AZURE_TEXT.clientSecretExpired(me.appId ?? me.name);
  return `${description}\n${reSignInText(world, { user, tenant, scopes })}`;
}

/** Does a token request fail? @param {World} world */
export const signInFails = (world) => Boolean(world.signInExpired || world.signInProblem);

/**
 * A Resource Manager write from a user signed in without MFA (mandatory MFA, 2025): ARM answers 401 with a claims
 * challenge (Azure/azure-sdk-for-python#41739), az retries silently with the claims and MSAL gets AADSTS50076.
 * Current az then logs the re-sign-in (with --claims-challenge) as a WARNING and reports ARM's deny
 * (RequestDisallowedByPolicy, testing guide of Azure/azure-cli#31699); az 2.45 warns the tenant and claims it
 * retries with (msal_authentication.py get_token) and fails with AADSTS50076 and `az logout` + `az login --scope`.
 * @param {import('./args.mjs').Ctx} ctx @param {string} tenant @param {string} resourceName @returns {never}
 */
export function mfaRequiredForWrite(ctx, tenant, resourceName) {
  const scopes = ['https://management.core.windows.net//.default'];
  if (currentWording(ctx.world)) {
    ctx.warnings.push(reSignInText(ctx.world, { user: true, tenant, scopes, claims: MFA_CLAIMS }));
    armFail('RequestDisallowedByPolicy', AZURE_TEXT.mfaDeny(resourceName));
  }
  ctx.warnings.push(`Acquiring new access token silently for tenant ${tenant} with claims challenge: ${MFA_CLAIMS}`);
  fail(`${AZURE_TEXT.mfaRequired}\n${reSignInText(ctx.world, { user: true, tenant, scopes, claims: MFA_CLAIMS })}`);
}

/** The claims ARM's MFA challenge asks for (Azure/azure-sdk-for-python#41739: base64 of this JSON). */
export const MFA_CLAIMS = '{"access_token":{"acrs":{"essential":true,"values":["p1"]}}}';
