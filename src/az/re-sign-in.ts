// The command az itself prints to sign in again, read from its own output, or rebuilt from what we know
// when az's text is not there. Kept exact: Conditional Access needs the tenant, the scope and (for a claims
// challenge) the claims, so a bare `az login` is never a silent fallback.
//
// The texts, by release (azure-cli src/azure-cli-core/azure/cli/core/auth/util.py):
// - 2.45-2.75 aad_error_handler: "Interactive authentication is needed. Please run:\n" + _generate_login_command,
//   which is `az login --scope <scope>` (a claims challenge prepends `az logout\n`); "Please explicitly log in
//   with:\n" for a broker error; check_result: "To re-authenticate, please run:\naz login" for an empty MSAL answer.
// - 2.76+ aad_error_handler: "Run the command below to authenticate interactively; additional arguments may be
//   added as needed:\n" + `az logout\naz login --tenant "<t>" --scope "<s>" [--claims-challenge "<base64>"]`;
//   during a claims challenge it is logged as a WARNING (hidden by --only-show-errors) instead of the error's
//   recommendation (Azure/azure-cli#31699, #31742).

/** The lead-ins az prints before the command lines, newest first. */
const LEAD_INS = [
  /Run the command below to authenticate interactively; additional arguments may be added as needed:/,
  /Interactive authentication is needed\. Please run:/,
  /Please explicitly log in with:/,
  /To re-authenticate, please run:/,
];

/** The `az logout` / `az login ...` lines az printed after its lead-in, exactly as printed. */
export function reSignInFromAzText(text: string): string[] | undefined {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  for (const lead of LEAD_INS) {
    const at = lines.findIndex((l) => lead.test(l));
    if (at < 0) continue;
    const commands: string[] = [];
    for (const l of lines.slice(at + 1)) {
      const t = l.trim();
      if (!/^az (login|logout)\b/.test(t)) break;
      commands.push(t);
    }
    if (commands.length > 0) return commands;
  }
  return undefined;
}

/** az 2.45 logs the claims of a challenge it retries with (msal_authentication.py UserCredential.get_token). */
const CLAIMS_WARNING = /Acquiring new access token silently for tenant (\S+) with claims challenge: (\{.*\})\s*$/m;

export interface ClaimsChallengeSeen {
  tenant: string;
  /** The claims JSON as az logged it. */
  claims: string;
}

export function claimsChallengeFromAzText(text: string): ClaimsChallengeSeen | undefined {
  const m = CLAIMS_WARNING.exec(text);
  return m?.[1] && m[2] ? { tenant: m[1], claims: m[2] } : undefined;
}

/**
 * The command current az would print (util.py _generate_login_command): `az logout`, then `az login` with the
 * tenant, the scope and the base64 claims, each double-quoted. `claimsFlag` is false for an az without
 * `az login --claims-challenge` (before 2.76), which would reject the flag.
 */
export function buildReSignIn(p: {
  tenant?: string | undefined;
  scope?: string | undefined;
  claims?: string | undefined;
  claimsFlag?: boolean;
}): string[] {
  const login = ['az login'];
  if (p.tenant) login.push(`--tenant "${p.tenant}"`);
  if (p.scope) login.push(`--scope "${p.scope}"`);
  if (p.claims && p.claimsFlag !== false)
    login.push(`--claims-challenge "${Buffer.from(p.claims, 'utf8').toString('base64')}"`);
  return ['az logout', login.join(' ')];
}

/**
 * The arguments of a printed `az logout` / `az login ...` line, quotes removed as a shell would (az quotes each
 * value with plain double quotes and no escapes), for running it with the terminal handed over. Anything else:
 * undefined, so no other command is ever run from az's text.
 */
export function signInArgv(commandLine: string): string[] | undefined {
  const words = [...commandLine.trim().matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
  if (words[0] !== 'az' || (words[1] !== 'login' && words[1] !== 'logout')) return undefined;
  if (words[1] === 'logout' && words.length > 2) return undefined;
  return words.slice(1);
}

/** Adds the tenant to a 2.45-style `az login --scope ...` that lacks it: MFA state is per tenant (Azure/azure-cli#31742). */
export function withTenant(commands: readonly string[], tenant: string | undefined): string[] {
  if (!tenant) return [...commands];
  return commands.map((c) =>
    /^az login\b/.test(c) && !/--tenant\b/.test(c) ? c.replace(/^az login/, `az login --tenant "${tenant}"`) : c,
  );
}
