// Preflight: az is installed and signed in, and the sign-in still yields tokens. `az account show`
// succeeds even when the refresh token has expired (_profile.py never asks for a token there), so the
// check is a token request; its claims also say who the principal is (oid), with no Graph call.
import type { Az, SignedInPrincipal } from '../az/az.ts';
import { signInArgv, withTenant } from '../az/re-sign-in.ts';
import { tenantFromProfile } from '../az/profile.ts';
import type { Context } from '../context.ts';
import { PrerequisiteError } from '../errors.ts';

const SIGN_IN_CODES = new Set(['not-signed-in', 'sign-in-expired', 'mfa-required', 'wrong-tenant']);

export function isSignInProblem(e: unknown): e is PrerequisiteError {
  return e instanceof PrerequisiteError && SIGN_IN_CODES.has(e.code);
}

/**
 * The commands that mend a sign-in problem, as az gave them: the copyable lines of the error (`az logout`,
 * `az login --tenant ... --scope ...`), else the one command of its hint, else `az login [--tenant]`.
 */
export function signInCommands(problem: PrerequisiteError, tenant?: string): string[] {
  const lines = problem.details.filter((l) => signInArgv(l));
  if (lines.length > 0) return lines;
  const inHint = /`(az login[^`]*)`/.exec(problem.hint ?? '')?.[1];
  if (inHint && signInArgv(inHint)) return [inHint];
  return [tenant ? `az login --tenant "${tenant}"` : 'az login'];
}

/**
 * An MFA refusal whose `az login` lacks the tenant (az before 2.76 prints `az login --scope ...` only) gets the
 * tenant az keeps for the subscription: MFA state is per tenant. Any other problem is returned as it is.
 */
export async function withTenantFromProfile(
  problem: PrerequisiteError,
  env: NodeJS.ProcessEnv,
  subscription: string | undefined,
): Promise<PrerequisiteError> {
  if (problem.code !== 'mfa-required' || problem.details.some((l) => /^az login\b.*--tenant\b/.test(l))) return problem;
  const tenant = await tenantFromProfile(env, subscription);
  if (!tenant) return problem;
  return new PrerequisiteError(problem.message, {
    code: problem.code,
    hint: problem.hint,
    details: withTenant(problem.details, tenant),
  });
}

/**
 * Interactive only: offers to run az's own re-sign-in commands with the terminal handed over. True when they
 * ran and signed in, false when declined or not interactive; throws when az login itself failed.
 */
export async function reSignIn(
  ctx: Pick<Context, 'prompter' | 'out' | 'interactive'>,
  az: Az,
  problem: PrerequisiteError,
  tenant?: string,
): Promise<boolean> {
  if (!ctx.interactive) return false;
  const commands = signInCommands(problem, tenant);
  ctx.out.warn(problem.message);
  const shown = commands.length === 1 ? `\`${commands[0]}\`` : commands.map((c) => `\`${c}\``).join(' then ');
  const yes = await ctx.prompter.confirm({ message: `Run ${shown} now?`, default: true });
  if (!yes) return false;
  for (const command of commands) {
    const exitCode = await az.signInCommand(signInArgv(command) ?? ['login']);
    // `az logout` fails harmlessly when nobody is signed in ("There are no active accounts.").
    if (exitCode !== 0 && !/^az logout$/.test(command)) {
      throw new PrerequisiteError(`\`${command}\` ended with exit code ${exitCode}.`, {
        code: 'not-signed-in',
        hint: `Run \`${command}\` yourself, then run this again.`,
      });
    }
  }
  return true;
}

/** Interactive only: reSignIn, or the problem itself when declined or not interactive. */
export async function offerLogin(
  ctx: Pick<Context, 'prompter' | 'out' | 'interactive'>,
  az: Az,
  problem: PrerequisiteError,
  tenant?: string,
): Promise<true> {
  if (!(await reSignIn(ctx, az, problem, tenant))) throw problem;
  return true;
}

export type { SignedInPrincipal };
