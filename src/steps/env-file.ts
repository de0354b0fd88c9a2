// The .env plan: which keys get which values, which stale API keys go, whether git would publish it.
// Planned before any change, written after the role assignment (also when it was denied, so that
// `verify --wait` can finish the job once an admin acts).
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { API_KEY_NAMES, findApiKeys, mergeEnvFile, type MergeInput, type MergeResult } from '../env-file/merge.ts';
import { addToGitIgnore, gitIgnoreStatus, type GitIgnoreStatus } from '../env-file/gitignore.ts';
import { EnvFileChanged, readEnvFile, writeEnvFileAtomic, type EnvFileOnDisk } from '../env-file/write.ts';

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
  /** What to merge: applied again to the file's new text when it was edited since it was read. */
  input: Omit<MergeInput, 'existing'>;
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
    // Only the user's own yes comments it out: without a prompt (CI, --yes) it stays (README: --remove-api-key).
    if (ctx.prompter.interactive) remove = await ctx.prompter.confirm({ message: `Comment out ${apiKeysFound.join(', ')} in ${file.path}?`, default: false });
    if (!remove) ctx.out.detail('Left as it is. Pass --remove-api-key to comment it out.');
  }
  const input = { set: values, commentOut: remove ? apiKeysFound : [] };
  const merge = mergeEnvFile({ existing: file.text, ...input });
  const left = merge.apiKeysLeft.filter((k) => input.commentOut.includes(k));
  if (left.length > 0) ctx.out.warn(`${left.join(', ')} in ${file.path} stays: it sits inside a quoted value that Node or python-dotenv read across lines, so commenting it out would change that value. Remove it by hand.`);
  const gitignore = await gitIgnoreStatus(ctx.runner, file.path);
  return { file, input, merge, keys: values.map(([k]) => k), apiKeysFound, gitignore };
}

export interface EnvWriteOutcome {
  status: 'written' | 'unchanged';
  gitignoreAdded: string | undefined;
}

/** Tries to write this many times when the file keeps changing under us; then stops, writing nothing. */
const WRITE_ATTEMPTS = 3;

/**
 * Writes the planned merge. When the .env was edited since it was read (setup waited on Azure meanwhile),
 * the same keys are merged again into its new text, so the edit stays; plan.file and plan.merge then
 * describe what was written.
 */
export async function applyEnvFile(plan: EnvPlan): Promise<EnvWriteOutcome> {
  let status: EnvWriteOutcome['status'] = 'unchanged';
  for (let attempt = 1; plan.merge.changed; attempt++) {
    try {
      await writeEnvFileAtomic(plan.file, plan.merge.text);
      status = 'written';
      break;
    } catch (e) {
      if (!(e instanceof EnvFileChanged)) throw e;
      if (attempt >= WRITE_ATTEMPTS) throw changedTooOften(plan.file.path);
      plan.file = await readEnvFile(plan.file.path, '/');
      plan.merge = mergeEnvFile({ existing: plan.file.text, ...plan.input });
    }
  }
  let gitignoreAdded: string | undefined;
  if (plan.gitignore.repoRoot && plan.gitignore.pattern) {
    gitignoreAdded = await addToGitIgnore(plan.gitignore.repoRoot, plan.gitignore.pattern);
  }
  return { status, gitignoreAdded };
}

function changedTooOften(path: string): UsageError {
  return new UsageError(`${path} kept changing while setup was writing it: nothing was written, so no edit is lost.`, {
    code: 'env-file-busy',
    hint: 'Save your edits to the .env, then run setup again.',
  });
}

export { API_KEY_NAMES };
