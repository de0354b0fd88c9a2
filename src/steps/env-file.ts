// The .env plan: which keys get which values, which stale API keys go, whether git would publish it.
// Planned before any change, written after the role assignment (also when it was denied, so that
// `verify --wait` can finish the job once an admin acts).
import { ENV_KEYS } from '../contract/env-vars.ts';
import type { Context } from '../context.ts';
import type { Api } from '../azure/api-version.ts';
import { UsageError } from '../errors.ts';
import { API_KEY_NAMES, findApiKeys, mergeEnvFile, type MergeInput, type MergeResult } from '../env-file/merge.ts';
import { addToGitIgnore, gitIgnoreStatus, type GitIgnoreStatus } from '../env-file/gitignore.ts';
import { EnvFileChanged, readEnvFile, writeEnvFileAtomic, type EnvFileOnDisk } from '../env-file/write.ts';

export { ENV_KEYS };

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
  opts: { removeApiKey: boolean; removeOwned?: readonly string[] },
): Promise<EnvPlan> {
  const apiKeysFound = findApiKeys(file.text);
  let remove = opts.removeApiKey;
  if (apiKeysFound.length > 0 && !remove) {
    ctx.out.warn(
      `${file.path} holds an API key (${apiKeysFound.join(', ')}). With a key in the environment the AzureOpenAI client refuses a token provider ("mutually exclusive").`,
    );
    // Only the user's own yes comments it out: without a prompt (CI, --yes) it stays (README: --remove-api-key).
    if (ctx.prompter.interactive)
      remove = await ctx.prompter.confirm({
        message: `Comment out ${apiKeysFound.join(', ')} in ${file.path}?`,
        default: false,
      });
    if (!remove) ctx.out.detail('Left as it is. Pass --remove-api-key to comment it out.');
  }
  const input = { set: values, commentOut: remove ? apiKeysFound : [], removeOwned: opts.removeOwned ?? [] };
  const merge = mergeEnvFile({ existing: file.text, ...input });
  const left = merge.apiKeysLeft.filter((k) => input.commentOut.includes(k));
  if (left.length > 0)
    ctx.out.warn(
      `${left.join(', ')} in ${file.path} stays: it sits inside a quoted value that Node or python-dotenv read across lines, so commenting it out would change that value. Remove it by hand.`,
    );
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
export async function recordEnvValue(
  path: string,
  cwd: string,
  key: string,
  value: string,
): Promise<EnvWriteOutcome['status']> {
  const file = await readEnvFile(path, cwd);
  const merge = mergeEnvFile({ existing: file.text, set: [[key, value]] });
  if (!merge.changed) return 'unchanged';
  await writeEnvFileAtomic(file, merge.text);
  return 'written';
}
