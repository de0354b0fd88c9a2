// What both az tiers give a test: the fake az (fake-az.ts) and the real Azure CLI against the local
// stand-in for Azure (real-az.ts). The e2e scenarios run against this interface, so one scenario runs
// in both tiers.
import type { World } from './world.mjs';

export interface AzCall {
  /** The arguments after `az`. */
  argv: string[];
  start: number;
  end: number;
  exitCode: number;
  cwd: string;
}

export interface AzHarness {
  dir: string;
  /** First on PATH in env(): holds `az`. */
  binDir: string;
  worldPath: string;
  /** FAKE_AZ_LOG: one JSON line per az call. */
  logPath: string;
  env(extra?: Record<string, string | undefined>): NodeJS.ProcessEnv;
  /** Every az call so far, in the order they finished. */
  calls(): AzCall[];
  world(): World;
  update(fn: (w: World) => void): void;
  cleanup(): Promise<void>;
}

/**
 * Inherited variables a test must not pass on: CI switches aoai-keyless to its CI behaviour; the AZURE_* and
 * IDENTITY/MSI ones would make DefaultAzureCredential use a secret, a workload identity or a managed-identity
 * endpoint (a real network call); the OpenAI ones would point the client elsewhere or clash with the token
 * provider (openai's AzureOpenAI refuses an api key together with azureADTokenProvider).
 */
export const INHERITED_AZURE_VARIABLES = [
  'CI',
  'GITHUB_ACTIONS',
  'AZURE_CLIENT_ID',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_USERNAME',
  'AZURE_PASSWORD',
  'AZURE_FEDERATED_TOKEN_FILE',
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'MSI_ENDPOINT',
  'MSI_SECRET',
  'IMDS_ENDPOINT',
  'AZURE_POD_IDENTITY_AUTHORITY_HOST',
  'AZURE_OPENAI_API_KEY',
  'AZURE_OPENAI_ENDPOINT',
  'AZURE_OPENAI_DEPLOYMENT',
  'OPENAI_API_VERSION',
  'OPENAI_BASE_URL',
  'OPENAI_API_KEY',
  'AZURE_LOG_LEVEL',
  'AZURE_SUBSCRIPTION_ID',
] as const;

/** Applies `extra` to `env`: a value sets, undefined deletes. */
export function applyExtra(env: NodeJS.ProcessEnv, extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
