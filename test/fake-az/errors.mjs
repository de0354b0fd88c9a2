// How the fake az fails: errors as azure-cli-core prints them (azclierror.py print_error: `ERROR: <msg>` +
// recommendation lines), with az's exit codes: 0 ok, 1 error, 2 usage (parser.py), 3 ResourceNotFound on show
// commands (commands/arm.py show_exception_handler). A command throws an AzExit; the entry prints it.
// "az login" appears on stderr only for a sign-in problem: AzureCliCredential takes any stderr containing
// "az login" for "not signed in".
import { AZURE_TEXT } from '../support/world.mjs';

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

/** What az prints for an expired sign-in (see profile.mjs azureSession). @param {World} world @param {string[]} scopes */
export function expiredSignIn(world, scopes) {
  const me = /** @type {NonNullable<World['signedIn']>} */ (world.signedIn);
  if (me.type === 'user') {
    return `${AZURE_TEXT.refreshTokenExpired}\nInteractive authentication is needed. Please run:\naz login --scope ${scopes.join(' ')}`;
  }
  return `${AZURE_TEXT.clientSecretExpired(me.appId ?? me.name)}\nInteractive authentication is needed. Please run:\naz login`;
}
