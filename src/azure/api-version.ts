// Which Azure OpenAI API aoai-keyless uses, and the api-version of the classic route.
//
// The v1 API (<endpoint>/openai/v1/, the plain OpenAI client, no api-version) is generally available
// since August 2025 and serves every chat model of an account, OpenAI's and the others (DeepSeek,
// Grok...): learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle ("API evolution",
// "Model support"). It is the default.
//
// The classic route (/openai/deployments/<name>/chat/completions?api-version=...) stays for `--api
// classic`. Its default must serve every current chat model: the latest GA version, 2024-10-21, does
// not serve reasoning models (Azure answers 400 "Model {modelName} is enabled only for api versions
// 2024-12-01-preview and later": Azure/azure-sdk-for-java#43923, Azure/azure-sdk-for-python#40759),
// so the default is the newest dated inference version on the lifecycle page's changelog,
// 2025-04-01-preview ("Changes between v1 preview release and 2025-04-01-preview": every later change
// went to v1 only), which serves the o-series and gpt-5 (its changelog: reasoning summary for o3 and
// o4-mini).
import type { Api } from '../contract/documents.ts';
import { UsageError } from '../errors.ts';

export type { Api };

export const DEFAULT_API: Api = 'v1';

export const DEFAULT_API_VERSION = '2025-04-01-preview';

/** --api, else classic when an --api-version flag asks for one, else v1 (the v1 API takes no api-version). */
export function parseApi(value: string | undefined, apiVersionFlag?: string): Api {
  if (value === undefined) return apiVersionFlag !== undefined ? 'classic' : DEFAULT_API;
  const v = value.trim().toLowerCase();
  if (v === 'classic' || v === 'v1') return v;
  throw new UsageError(`--api ${JSON.stringify(value)} is not one of v1, classic.`, {
    code: 'bad-api',
    hint: '--api v1 (the default: OpenAI client on <endpoint>/openai/v1/, no api version) or --api classic (AzureOpenAI with an api version).',
  });
}
