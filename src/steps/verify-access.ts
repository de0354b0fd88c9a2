// The last step of setup: prove access with a chat completion through DefaultAzureCredential, as the
// user's app will. Only the signed-in identity can be proven here: a managed identity, another
// principal or a group gets verified where it signs in (`aoai-keyless verify` in the app or CI).
import type { Context } from '../context.ts';
import type { AppError } from '../errors.ts';
import type { Principal } from './principal.ts';
import type { VerifyReport } from '../verify/report.ts';

export interface SetupVerificationInput {
  enabled: boolean;
  principal: Principal;
  me: Principal;
  chat: boolean;
  endpoint: string;
  deployment: string;
  apiVersion: string;
  api: 'classic' | 'v1';
  scope: string;
  envFile: string;
  justAssigned: boolean;
  waitMs: number;
  roleAssignmentCommand: string;
  credentialEnv: Record<string, string>;
}

export interface SetupVerification {
  report: VerifyReport | null;
  skippedBecause?: string;
  error?: AppError;
}

export async function runSetupVerification(ctx: Context, input: SetupVerificationInput): Promise<SetupVerification> {
  if (!input.enabled)
    return { report: null, skippedBecause: '--no-verify was given; run `aoai-keyless verify` to check' };
  if (!input.chat) return { report: null, skippedBecause: `${input.deployment} is not a chat deployment` };
  if (input.principal.objectId !== input.me.objectId) {
    return {
      report: null,
      skippedBecause: `the role went to ${input.principal.name ?? input.principal.objectId}, not to the signed-in identity; run \`npx aoai-keyless verify\` where that identity signs in`,
    };
  }
  const { verifySetup } = await import('../verify/setup-bridge.ts');
  return verifySetup(ctx, input);
}
