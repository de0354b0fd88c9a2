// az's sign-in and subscription failures, in the wording of az 2.45 and of current az (2.6x-2.8x), each
// turned into a typed error whose next step is the exact command az gives (see re-sign-in.ts for the texts).
// The fixtures of every text, with the release and source file each comes from, are in
// test/fixtures/az-sign-in-texts.json; test/unit/classify-sign-in.test.ts runs them as a table.
import { type AppError, PrerequisiteError, UsageError } from '../errors.ts';
import type { AzFailure, ClassifyOptions } from './classify.ts';
import { buildReSignIn, claimsChallengeFromAzText, reSignInFromAzText, withTenant } from './re-sign-in.ts';

/** Resource Manager's token scope in the public cloud, as az's login command spells it (util.py resource_to_scopes). */
export const ARM_SCOPE = 'https://management.core.windows.net//.default';

export function loginHint(ci: boolean, command = 'az login'): string {
  return ci
    ? `Sign in before this step: in GitHub Actions use the azure/login action (OpenID Connect), elsewhere \`az login --service-principal\`. Locally: \`${command}\`.`
    : `Run \`${command}\`, then run this again.`;
}

/** The hint and copyable lines for a re-sign-in of one or more commands (`az logout` then `az login ...`). */
function reSignIn(commands: readonly string[], ci: boolean): { hint: string; details: string[] } {
  if (commands.length === 1) return { hint: loginHint(ci, commands[0]), details: [] };
  const then = 'then run this again.';
  return {
    hint: ci
      ? `Sign in again before this step (azure/login in GitHub Actions); locally run the commands above, ${then}`
      : `Run the commands above, ${then}`,
    details: [...commands],
  };
}

// _profile.py: "Please run 'az login' to setup account." / "No subscription found. Run 'az account set' ...";
// the lost token cache: msal_authentication.py (2.45) and msal_credentials.py (current) "User '<upn>' does not
// exist in MSAL token cache. Run `az login`."; auth/util.py check_result "Can't find token from MSAL cache."
const SIGNED_OUT = [
  /Please run 'az login'/,
  /No subscription found\. Run 'az account set'/,
  /does not exist in MSAL token cache/,
  /Can't find token from MSAL cache/,
];
// AADSTS50076 "you must use multi-factor authentication", AADSTS50079 "you must enroll in multi-factor
// authentication" (Azure CLI troubleshooting doc, MicrosoftDocs/azure-docs-cli#5403); ARM's deny of a write
// by the mandatory-MFA policy: RequestDisallowedByPolicy "... Reasons: MFA is required." (same doc).
const MFA = [
  /\bAADSTS5007[69]\b/,
  /multi-factor authentication/i,
  /RequestDisallowedByPolicy[\s\S]*MFA is required/,
  /MFA is required[\s\S]*RequestDisallowedByPolicy/,
];
const EXPIRED = [
  /\bAADSTS\d+/,
  /Interactive authentication is needed/,
  /Run the command below to authenticate interactively/,
  /Please explicitly log in with:/,
];

/** The sign-in and subscription failures; undefined for any other failure. */
export function classifySignInFailure(f: AzFailure, opts: ClassifyOptions): AppError | undefined {
  const text = f.stderr;
  if (MFA.some((re) => re.test(text)) || claimsChallengeFromAzText(text)) return mfaRequired(f, opts);
  if (SIGNED_OUT.some((re) => re.test(text))) {
    const lost = /MSAL (token )?cache/.test(text);
    return new PrerequisiteError(
      lost
        ? `The Azure CLI has lost its sign-in (its token cache no longer holds the account): ${firstSentence(f.message)}`
        : 'The Azure CLI is not signed in.',
      {
        code: 'not-signed-in',
        hint: loginHint(opts.ci, reSignInFromAzText(text)?.join(' && ') ?? 'az login'),
      },
    );
  }
  if (f.armCode === 'InvalidAuthenticationTokenTenant') return wrongTenant(f, opts);
  if (/Multiple subscriptions with the name '.*' found/.test(text)) {
    const name = /with the name '(.*)' found/.exec(text)?.[1] ?? '';
    return new UsageError(f.message, {
      code: 'subscription-ambiguous',
      hint: `Pass the subscription ID with --subscription; list them with \`az account list --query "[?name=='${name}'].{id:id, tenant:tenantId}" -o table\`.`,
    });
  }
  if (EXPIRED.some((re) => re.test(text))) {
    const commands = reSignInFromAzText(text) ?? ['az login'];
    return new PrerequisiteError(`The Azure CLI sign-in has expired or was refused: ${firstSentence(f.message)}`, {
      code: 'sign-in-expired',
      ...reSignIn(commands, opts.ci),
    });
  }
  return undefined;
}

/**
 * A write refused until the user signs in with MFA. The command is az's own when it printed one (current az's
 * warning carries tenant, scope and claims); az 2.45 prints `az logout` / `az login --scope ...` and logs the
 * tenant and claims it retried with; with neither (warnings hidden), it is rebuilt from the tenant we know.
 */
function mfaRequired(f: AzFailure, opts: ClassifyOptions): PrerequisiteError {
  const seen = claimsChallengeFromAzText(f.stderr);
  const printed = reSignInFromAzText(f.stderr);
  const tenant = seen?.tenant ?? opts.tenant;
  const commands = printed
    ? withTenant(printed, tenant)
    : buildReSignIn({
        tenant,
        scope: opts.armScope ?? ARM_SCOPE,
        claims: seen?.claims,
        claimsFlag: !seen,
      });
  const ci = opts.ci
    ? ' Workload identities (service principals, managed identities) are exempt: in CI sign in as one (azure/login with OpenID Connect).'
    : '';
  return new PrerequisiteError(
    `Azure requires multi-factor authentication for \`${opts.command}\`, and this Azure CLI sign-in has none: ${firstSentence(f.message)}`,
    {
      code: 'mfa-required',
      hint: `Sign in again with MFA using the commands above, then run this again.${ci}`,
      details: commands,
    },
  );
}

/** ARM's 401 InvalidAuthenticationTokenTenant names the tenant the subscription belongs to: sign in there. */
function wrongTenant(f: AzFailure, opts: ClassifyOptions): PrerequisiteError {
  const tenant =
    /must match (?:the tenant|one of the tenants) '[^']*?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?'/i.exec(
      f.stderr,
    )?.[1];
  return new PrerequisiteError(
    `The Azure CLI signed in to another tenant than the subscription's: ${firstSentence(f.message)}`,
    {
      code: 'wrong-tenant',
      hint: loginHint(
        opts.ci,
        tenant ? `az login --tenant "${tenant}"` : "az login --tenant <the subscription's tenant>",
      ),
    },
  );
}

export function firstSentence(s: string): string {
  const m = /^(.*?\.)(\s|$)/.exec(s);
  return (m?.[1] ?? s).trim();
}
