// The .env plan: which keys get which values, which stale API keys go, whether git would publish it.
// Planned before any change, written after the role assignment (also when it was denied, so that
// `verify --wait` can finish the job once an admin acts).
import type { Context } from '../context.ts';
import { API_KEY_NAMES, findApiKeys, mergeEnvFile, type MergeResult } from '../env-file/merge.ts';
import { addToGitIgnore, gitIgnoreStatus, type GitIgnoreStatus } from '../env-file/gitignore.ts';
import { writeEnvFileAtomic, type EnvFileOnDisk } from '../env-file/write.ts';

export const ENV_KEYS = {
  endpoint: 'AZURE_OPENAI_ENDPOINT',
  deployment: 'AZURE_OPENAI_DEPLOYMENT',
  /** The seed's name for the api version. */
  version: 'AZURE_OPENAI_VERSION',
  /** The name the openai package reads (src/azure.ts). */
  apiVersion: 'OPENAI_API_VERSION',
  clientId: 'AZURE_CLIENT_ID',
  scope: 'AZURE_OPENAI_SCOPE',
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
  opts: { removeApiKey: boolean },
): Promise<EnvPlan> {
  const apiKeysFound = findApiKeys(file.text);
  let remove = opts.removeApiKey;
  if (apiKeysFound.length > 0 && !remove) {
    ctx.out.warn(`${file.path} holds an API key (${apiKeysFound.join(', ')}). With a key in the environment the AzureOpenAI client refuses a token provider ("mutually exclusive").`);
    remove = await ctx.prompter.confirm({ message: `Comment out ${apiKeysFound.join(', ')} in ${file.path}?`, default: true });
    if (!remove) ctx.out.detail('Left as it is. Pass --remove-api-key to comment it out.');
  }
  const merge = mergeEnvFile({ existing: file.text, set: values, commentOut: remove ? apiKeysFound : [] });
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
