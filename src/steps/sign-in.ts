// Preflight: az is installed and signed in, and the sign-in still yields tokens. `az account show`
// succeeds even when the refresh token has expired (_profile.py never asks for a token there), so the
// check is a token request; its claims also say who the principal is (oid), with no Graph call.
import type { Az, SignedInPrincipal } from '../az/az.ts';
import type { Context } from '../context.ts';
import { PrerequisiteError } from '../errors.ts';

export function isSignInProblem(e: unknown): e is PrerequisiteError {
  return e instanceof PrerequisiteError && (e.code === 'not-signed-in' || e.code === 'sign-in-expired');
}

/**
 * Interactive only: offers `az login` with the terminal handed over. Returns true when az signed in,
 * so the caller repeats its lookups; rethrows the sign-in problem otherwise.
 */
export async function offerLogin(ctx: Pick<Context, 'prompter' | 'out' | 'interactive'>, az: Az, problem: PrerequisiteError, tenant?: string): Promise<true> {
  if (!ctx.interactive) throw problem;
  ctx.out.warn(problem.message);
  const yes = await ctx.prompter.confirm({ message: 'Run `az login` now?', default: true });
  if (!yes) throw problem;
  const exitCode = await az.login(tenant === undefined ? {} : { tenant });
  if (exitCode !== 0) {
    throw new PrerequisiteError(`\`az login\` ended with exit code ${exitCode}.`, { code: 'not-signed-in', hint: 'Run `az login` yourself, then run this again.' });
  }
  return true;
}

export type { SignedInPrincipal };
