// A re-run on a project that is set up and working: the .env's endpoint and deployment answering a chat
// completion for this identity, through DefaultAzureCredential as the app signs in, is proof that access exists.
// Then there is nothing to look up and nothing to write: one az process (the credential's token; the
// subscription comes from az's own profile), where the full path needs five. Anything else (a 401, another
// credential than the Azure CLI's, a .env that would change) falls back to the full path.
import type { Context } from '../context.ts';
import { defaultSubscriptionFromProfile } from '../az/profile.ts';
import type { VerifyReport } from '../verify/report.ts';
import type { ChosenSubscription } from './subscription.ts';

export interface RerunCandidate {
  endpoint: string;
  deployment: string;
  apiVersion: string;
  api: 'classic' | 'v1';
  scope: string;
}

export interface RerunProof {
  report: VerifyReport;
  subscription: ChosenSubscription | null;
}

export async function proveConfiguredAccess(ctx: Context, c: RerunCandidate): Promise<RerunProof | undefined> {
  const [{ verifyKeyless }, subscription] = await Promise.all([
    import('../verify/verify-keyless.ts'),
    defaultSubscriptionFromProfile(ctx.env),
  ]);
  const report: VerifyReport | undefined = await verifyKeyless(
    {
      endpoint: c.endpoint,
      deployment: c.deployment,
      apiVersion: c.apiVersion,
      api: c.api,
      scope: c.scope,
      waitMs: 0,
      sources: { endpoint: 'env-file', deployment: 'env-file' },
    },
    { env: ctx.env },
  ).catch(() => undefined);
  // The proof is for setup's principal only when the Azure CLI's identity made the call.
  if (!report?.ok || report.credential !== 'AzureCliCredential') {
    ctx.out.detail(`${c.deployment} at ${c.endpoint} did not answer for you yet: checking access in Azure.`);
    return undefined;
  }
  return { report, subscription: subscription ?? null };
}
