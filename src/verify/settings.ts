// The values of a verification, each with where it came from: flag -> process environment -> the .env,
// read the way dotenv.config() loads it into the app (never over a variable already set).
import { UsageError } from '../errors.ts';
import { ENV_KEYS, IDENTITY_KEYS, OPENAI_PACKAGE_KEYS, VERIFY_KEYS } from '../contract/env-vars.ts';
import { fromSources, type Resolved } from '../resolve.ts';
import { cloudOfEndpoint, tokenScope } from '../entra/clouds.ts';
import type { Api, ValueSource } from './report.ts';
import { parseDuration } from '../duration.ts';
import { DEFAULT_API_VERSION, parseApi } from '../azure/api-version.ts';

export { parseApi };

/** What verify reads for each value, first name first. */
export const KEYS = VERIFY_KEYS;

export interface VerifyFlags {
  endpoint?: string | undefined;
  deployment?: string | undefined;
  apiVersion?: string | undefined;
  api?: string | undefined;
  wait?: string | undefined;
}

export interface SourcedValue extends Resolved<string> {
  source: ValueSource;
  /** The variable it was read from (absent for flags and defaults). */
  key?: string | undefined;
}

export interface VerifySettings {
  endpoint: SourcedValue;
  deployment: SourcedValue;
  apiVersion: SourcedValue;
  scope: SourcedValue;
  api: Api;
  waitMs: number;
  /** Identity variables of the .env that are not set in the environment: what dotenv would add for the app. */
  credentialEnv: Record<string, string>;
  warnings: string[];
}

const IDENTITY = new Set(IDENTITY_KEYS);

export function isIdentityKey(key: string): boolean {
  return IDENTITY.has(key);
}

type Env = Record<string, string | undefined>;

function pick(keys: readonly string[], flag: string | undefined, env: Env, file: Env): SourcedValue | undefined {
  if (flag !== undefined && flag.trim() !== '') return { value: flag.trim(), source: 'flag' };
  for (const [source, vars] of [
    ['environment', env],
    ['env-file', file],
  ] as const) {
    for (const key of keys) {
      const r = fromSources(
        source === 'environment' ? { environment: vars[key]?.trim() } : { envFile: vars[key]?.trim() },
      );
      if (r) return { value: r.value, source, key };
    }
  }
  return undefined;
}

export function resolveVerifySettings(input: {
  flags: VerifyFlags;
  env: Env;
  envFile: Env | undefined;
  envFileName: string;
}): VerifySettings {
  const { flags, env } = input;
  const file = input.envFile ?? {};
  const where = (v: SourcedValue, flag: string): string =>
    v.source === 'flag'
      ? flag
      : v.source === 'env-file'
        ? `${v.key} in ${input.envFileName}`
        : `${v.key} in the environment`;

  const api = parseApi(flags.api, flags.apiVersion);
  const waitMs = flags.wait === undefined ? 0 : parseDuration(flags.wait, '--wait');

  const endpoint = pick(KEYS.endpoint, flags.endpoint, env, file);
  if (!endpoint) throw missing('the Azure OpenAI endpoint', '--endpoint', ENV_KEYS.endpoint, input.envFileName);
  endpoint.value = validateEndpoint(endpoint.value, where(endpoint, '--endpoint'));

  const deployment = pick(KEYS.deployment, flags.deployment, env, file);
  if (!deployment) throw missing('the deployment name', '--deployment', ENV_KEYS.deployment, input.envFileName);

  const apiVersion: SourcedValue = pick(KEYS.apiVersion, flags.apiVersion, env, file) ?? {
    value: DEFAULT_API_VERSION,
    source: 'default',
  };
  if (api === 'classic') validateApiVersion(apiVersion.value, where(apiVersion, '--api-version'));

  const explicitScope = pick(KEYS.scope, undefined, env, file);
  const scope: SourcedValue = explicitScope ?? { value: tokenScope({ endpoint: endpoint.value }), source: 'default' };

  const warnings: string[] = [];
  if (api === 'v1' && apiVersion.source !== 'default' && apiVersion.source !== 'flag') {
    warnings.push(
      `${where(apiVersion, '--api-version')} is for the classic route; the v1 API takes no api version, so it is not used. To use it: --api classic.`,
    );
  }
  warnings.push(...conflictingKeys(env, file, input.envFileName));
  if (explicitScope === undefined && cloudOfEndpoint(endpoint.value) === undefined) {
    warnings.push(
      `${new URL(endpoint.value).host} is not an Azure OpenAI host of a known cloud: using the public cloud scope ${scope.value} (set ${ENV_KEYS.scope} to change it).`,
    );
  }

  const credentialEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(file)) {
    if (value !== undefined && isIdentityKey(key) && env[key] === undefined) credentialEnv[key] = value;
  }

  return { endpoint, deployment, apiVersion, scope, api, waitMs, credentialEnv, warnings };
}

/** Keys that make the user's client refuse a token (verify itself ignores them): one warning each. */
function conflictingKeys(env: Env, file: Env, envFileName: string): string[] {
  const warnings: string[] = [];
  for (const [key, why] of [
    [
      OPENAI_PACKAGE_KEYS.apiKey,
      'new AzureOpenAI({ azureADTokenProvider }) throws "The `apiKey` and `azureADTokenProvider` arguments are mutually exclusive"',
    ],
    [OPENAI_PACKAGE_KEYS.baseUrl, 'new AzureOpenAI({ endpoint }) throws "baseURL and endpoint are mutually exclusive"'],
  ] as const) {
    const inEnv = env[key] !== undefined && env[key] !== '';
    const inFile = file[key] !== undefined && file[key] !== '';
    if (inEnv || inFile) {
      const at = [inEnv ? 'the environment' : '', inFile ? envFileName : ''].filter(Boolean).join(' and ');
      warnings.push(
        `${key} is set in ${at}: verify ignores it and stays keyless, but with it your app's ${why}. Remove it.`,
      );
    }
  }
  return warnings;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** A URL, https (http only to loopback: a local test server); no credentials, query or /openai path in it. */
export function validateEndpoint(value: string, where: string): string {
  const bad = (
    why: string,
    hint = 'Use the endpoint az reports, e.g. https://<account>.openai.azure.com/',
  ): UsageError =>
    new UsageError(`The endpoint ${JSON.stringify(value)} (${where}) ${why}.`, { code: 'bad-endpoint', hint });
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad('is not a URL');
  }
  if (url.protocol === 'http:') {
    if (!LOOPBACK.test(url.hostname))
      throw bad('uses http://: tokens are only sent over https', `Use https://${url.host}${url.pathname}`);
  } else if (url.protocol !== 'https:') {
    throw bad(`uses ${url.protocol}//, not https://`);
  }
  if (url.username || url.password) throw bad('holds a user name or password');
  if (url.search || url.hash) throw bad('has a query or fragment', `Use just ${url.origin}${url.pathname}`);
  const openaiAt = url.pathname.search(/\/openai(\/|$)/i);
  if (openaiAt >= 0) {
    // openai appends /openai itself (src/azure.ts); a pasted request URL would double it.
    throw bad('includes the /openai path', `Use ${url.origin}${url.pathname.slice(0, openaiAt) || '/'}`);
  }
  return `${url.origin}${url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`}`;
}

const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

function validateApiVersion(value: string, where: string): void {
  if (API_VERSION.test(value)) return;
  throw new UsageError(`The api version ${JSON.stringify(value)} (${where}) is not a dated Azure OpenAI api-version.`, {
    code: 'bad-api-version',
    hint: `Use ${DEFAULT_API_VERSION} (serves every current chat model), another dated version, or --api v1 (no api version).`,
  });
}

function missing(what: string, flag: string, key: string, envFileName: string): UsageError {
  return new UsageError(`No value for ${what}.`, {
    code: 'missing-input',
    hint: `Pass ${flag} <value>, or set ${key} in the environment or in ${envFileName}.`,
  });
}
