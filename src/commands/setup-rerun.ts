// setup's first step: a re-run on a project that is set up and working is settled by the data plane, with
// no lookup and no change (steps/configured-rerun.ts says why that is proof).
import type { Context } from '../context.ts';
import { findApiKeys, mergeEnvFile } from '../env-file/merge.ts';
import type { EnvFileOnDisk } from '../env-file/write.ts';
import { PUBLIC_CLOUD, tokenScope } from '../entra/clouds.ts';
import { isCI } from '../env.ts';
import type { Step } from '../steps/pipeline.ts';
import { proveConfiguredAccess, type RerunCandidate } from '../steps/configured-rerun.ts';
import { ENV_KEYS, planEnvFile, setupEnvValues } from '../steps/env-file.ts';
import { resolvedApiVersion, type SetupFlags, type SetupOptions } from './setup-options.ts';
import type { SetupContext, SetupState } from './setup-steps.ts';

/**
 * A re-run the data plane can settle: non-interactive, the signed-in identity, the .env naming the endpoint and
 * deployment, and no flag that asks for something else (another role, principal, resource or deployment).
 */
export function rerunCandidate(
  ctx: Pick<Context, 'interactive' | 'env'>,
  v: SetupFlags,
  o: SetupOptions,
  dotenv: Record<string, string>,
): RerunCandidate | undefined {
  if (
    ctx.interactive ||
    !o.verify ||
    o.dryRun ||
    o.activate ||
    o.removeApiKey ||
    v.role ||
    v.assignee ||
    v.managedIdentity ||
    v.scope !== 'resource'
  )
    return undefined;
  const endpoint = ctx.env[ENV_KEYS.endpoint] ?? dotenv[ENV_KEYS.endpoint];
  const deployment = ctx.env[ENV_KEYS.deployment] ?? dotenv[ENV_KEYS.deployment];
  if (!endpoint || !deployment || (v.deployment !== undefined && v.deployment !== deployment)) return undefined;
  // --resource must be the account the endpoint's host names (its custom subdomain).
  if (v.account && !endpointNames(endpoint, v.account.name)) return undefined;
  return {
    endpoint,
    deployment,
    apiVersion: resolvedApiVersion(ctx, v, dotenv),
    api: v.api,
    scope: tokenScope({ endpoint }),
  };
}

/** Does the endpoint name the account: its custom subdomain, or (a gateway serving several) its first path segment? */
function endpointNames(endpoint: string, account: string): boolean {
  try {
    const u = new URL(endpoint);
    const name = account.toLowerCase();
    return u.hostname.split('.')[0]?.toLowerCase() === name || u.pathname.split('/')[1]?.toLowerCase() === name;
  } catch {
    return false;
  }
}

/** What setup would write for a re-run candidate, for a developer's .env or another's. */
function rerunValues(c: RerunCandidate, developer: boolean): ReturnType<typeof setupEnvValues> {
  return setupEnvValues({
    endpoint: c.endpoint,
    deployment: c.deployment,
    api: c.api,
    apiVersion: c.apiVersion,
    clientId: undefined,
    scope: c.scope,
    defaultScope: PUBLIC_CLOUD.scope,
    developer,
  });
}

/** The cheap re-run: proven by a chat completion, the .env already as setup would write it. Nothing changes. */
export const configuredRerunStep: Step<SetupContext, SetupState> = {
  id: 'configured-rerun',
  title: 'Prove a configured re-run by a chat completion',
  when: (_ctx, s) => s.rerun !== undefined,
  async run(ctx, s) {
    const c = s.rerun;
    if (!c) return undefined;
    const proof = await proven(ctx, c, ctx.envFile);
    if (!proof) return undefined;
    const { report } = proof;
    const next = 'npx aoai-keyless snippet (client code that reads this .env and signs in with DefaultAzureCredential)';
    ctx.out.success(
      `Already set up: ${c.deployment} at ${c.endpoint} answered a chat completion for ${report.principal.name ?? report.principal.objectId} (${report.model ?? 'model unknown'}). Nothing to look up, nothing to change.`,
    );
    ctx.out.detail(`.env:   ${ctx.envFile.path} (unchanged)`);
    ctx.out.detail(`Next:   ${next}`);
    return { proof, next };
  },
};

/** The proof, when the .env is already as setup would write it for the identity the proof shows. */
async function proven(ctx: Context, c: RerunCandidate, envFile: EnvFileOnDisk) {
  // Whether the .env is a developer's depends on who the proof shows: before it, one of the two must fit.
  const ci = isCI(ctx.env);
  const fits = (developer: boolean): boolean =>
    !mergeEnvFile({ existing: envFile.text, ...rerunValues(c, developer && !ci) }).changed;
  if (!(fits(true) || fits(false)) || findApiKeys(envFile.text).length > 0) return undefined;
  const proof = await proveConfiguredAccess(ctx, c);
  if (!proof) return undefined;
  const { set: values, removeOwned } = rerunValues(c, proof.report.principal.type === 'User' && !ci);
  const plan = await planEnvFile(ctx, envFile, values, { removeApiKey: false, removeOwned });
  if (plan.merge.changed || plan.gitignore.pattern) return undefined;
  return { ...proof, keys: plan.keys, envPath: envFile.path };
}
