// The .env plan: which keys get which values, which stale API keys go, whether git would publish it.
// Planned before any change, written after the role assignment (also when it was denied, so that
// `verify --wait` can finish the job once an admin acts).
import type { Context } from '../context.ts';
import type { Api } from '../azure/api-version.ts';
import { API_KEY_NAMES, findApiKeys, mergeEnvFile, type MergeResult } from '../env-file/merge.ts';
import { addToGitIgnore, gitIgnoreStatus, type GitIgnoreStatus } from '../env-file/gitignore.ts';
import { readEnvFile, writeEnvFileAtomic, type EnvFileOnDisk } from '../env-file/write.ts';

export const ENV_KEYS = {
  endpoint: 'AZURE_OPENAI_ENDPOINT',
  deployment: 'AZURE_OPENAI_DEPLOYMENT',
  /** The seed's name for the api version. */
  version: 'AZURE_OPENAI_VERSION',
  /** The name the openai package reads (src/azure.ts). */
  apiVersion: 'OPENAI_API_VERSION',
  clientId: 'AZURE_CLIENT_ID',
  scope: 'AZURE_OPENAI_SCOPE',
  /**
   * DefaultAzureCredential's chain selector, "dev" or "prod": @azure/identity 4.10.0, Python azure-identity
   * 1.23.0, .NET Azure.Identity 1.14.0, Java azure-identity 1.16.1 (each one's CHANGELOG, May 2025). We ship
   * @azure/identity 4.13; the snippets install the current releases.
   */
  tokenCredentials: 'AZURE_TOKEN_CREDENTIALS',
} as const;

export interface EnvPlan {
  file: EnvFileOnDisk;
  merge: MergeResult;
  keys: string[];
  apiKeysFound: string[];
  gitignore: GitIgnoreStatus;
}

export async function planEnvFile(
  ctx: Pick<Context, 'prompter' | 'out' | 'runner'>,
  file: EnvFileOnDisk,
  values: ReadonlyArray<readonly [string, string]>,
  opts: { removeApiKey: boolean; removeOwned?: readonly string[] },
): Promise<EnvPlan> {
  const apiKeysFound = findApiKeys(file.text);
  let remove = opts.removeApiKey;
  if (apiKeysFound.length > 0 && !remove) {
    ctx.out.warn(`${file.path} holds an API key (${apiKeysFound.join(', ')}). With a key in the environment the AzureOpenAI client refuses a token provider ("mutually exclusive").`);
    remove = await ctx.prompter.confirm({ message: `Comment out ${apiKeysFound.join(', ')} in ${file.path}?`, default: true });
    if (!remove) ctx.out.detail('Left as it is. Pass --remove-api-key to comment it out.');
  }
  const merge = mergeEnvFile({ existing: file.text, set: values, commentOut: remove ? apiKeysFound : [], removeOwned: opts.removeOwned ?? [] });
  const gitignore = await gitIgnoreStatus(ctx.runner, file.path);
  return { file, merge, keys: values.map(([k]) => k), apiKeysFound, gitignore };
}

export interface EnvWriteOutcome {
  status: 'written' | 'unchanged';
  gitignoreAdded: string | undefined;
}

export async function applyEnvFile(plan: EnvPlan): Promise<EnvWriteOutcome> {
  let status: EnvWriteOutcome['status'] = 'unchanged';
  if (plan.merge.changed) {
    await writeEnvFileAtomic(plan.file, plan.merge.text);
    status = 'written';
  }
  let gitignoreAdded: string | undefined;
  if (plan.gitignore.repoRoot && plan.gitignore.pattern) {
    gitignoreAdded = await addToGitIgnore(plan.gitignore.repoRoot, plan.gitignore.pattern);
  }
  return { status, gitignoreAdded };
}

export { API_KEY_NAMES };

export interface SetupEnvInput {
  endpoint: string;
  deployment: string;
  api: Api;
  apiVersion: string;
  /** A user-assigned managed identity's client id. */
  clientId?: string | undefined;
  /** The token scope, written only when it is not the public cloud's default. */
  scope: string;
  defaultScope: string;
  /** The .env is a signed-in developer's (not CI, not for a service principal or managed identity). */
  developer: boolean;
}

/**
 * Which keys setup writes, and which of its own earlier keys go. The v1 API takes no api version, so the
 * api-version keys are written only for --api classic (and removed from our block otherwise). A
 * developer's .env gets AZURE_TOKEN_CREDENTIALS=dev: DefaultAzureCredential then goes straight to the
 * developer tools (Azure CLI...) instead of first probing the managed-identity endpoint, which costs
 * up to a second where no IMDS answers (@azure/identity imdsMsi.ts: 1 s probe timeout). Never for a
 * managed identity or CI: "dev" drops EnvironmentCredential, WorkloadIdentity and ManagedIdentity.
 */
export function setupEnvValues(i: SetupEnvInput): { set: Array<[string, string]>; removeOwned: string[] } {
  const set: Array<[string, string]> = [
    [ENV_KEYS.endpoint, i.endpoint],
    [ENV_KEYS.deployment, i.deployment],
  ];
  const removeOwned: string[] = [];
  if (i.api === 'classic') set.push([ENV_KEYS.version, i.apiVersion], [ENV_KEYS.apiVersion, i.apiVersion]);
  else removeOwned.push(ENV_KEYS.version, ENV_KEYS.apiVersion);
  if (i.clientId) set.push([ENV_KEYS.clientId, i.clientId]);
  if (i.scope !== i.defaultScope) set.push([ENV_KEYS.scope, i.scope]);
  if (i.developer) set.push([ENV_KEYS.tokenCredentials, 'dev']);
  else removeOwned.push(ENV_KEYS.tokenCredentials);
  return { set, removeOwned };
}

/** One more key after the proof (the token audience verify found): merged and written, no question asked. */
export async function recordEnvValue(path: string, cwd: string, key: string, value: string): Promise<EnvWriteOutcome['status']> {
  const file = await readEnvFile(path, cwd);
  const merge = mergeEnvFile({ existing: file.text, set: [[key, value]] });
  if (!merge.changed) return 'unchanged';
  await writeEnvFileAtomic(file, merge.text);
  return 'written';
}
