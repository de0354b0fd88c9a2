// What every client snippet shares: the variables it reads and their defaults, the prompt, the docs.
// Every client snippet calls the v1 API (<endpoint>/openai/v1/, no api version) with its language's plain
// OpenAI client and a DefaultAzureCredential token, as Microsoft's own samples for each language do
// (learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle, "Code changes" and "Model support";
// source MicrosoftDocs/azure-ai-docs articles/foundry/openai/includes/api-version-lifecycle-content.md).
// The v1 API serves every chat deployment of the account, OpenAI's models and the others (DeepSeek...).
import { PUBLIC_CLOUD } from '../entra/clouds.ts';
/** The public cloud's token audience; AZURE_OPENAI_SCOPE (written by setup for another cloud) overrides it. */
export const DEFAULT_SCOPE = PUBLIC_CLOUD.scope;
export const PROMPT = 'Say hello in one short sentence.';
/** Microsoft's keyless guide: role, DefaultAzureCredential and a client per language. */
export const KEYLESS_DOCS = 'https://learn.microsoft.com/azure/developer/ai/keyless-connections';
/** Microsoft's v1 API page, with the Entra ID client of every language. */
export const V1_DOCS = 'https://learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle';
/** The comment above the scope line, in every language. */
export const SCOPE_COMMENT =
  "The token audience: the public cloud's, unless AZURE_OPENAI_SCOPE names another (Azure Government, China, Foundry's https://ai.azure.com/.default).";
/** The comment above the client, in every language. */
export const V1_COMMENT = 'The v1 API: <endpoint>/openai/v1/, no api version; the deployment name goes in `model`.';

export const SIGN_IN_NOTE = [
  'DefaultAzureCredential finds the identity: `az login` on a laptop, azure/login in CI, a managed identity on',
  'Azure (AZURE_CLIENT_ID picks a user-assigned one). That identity needs "Cognitive Services OpenAI User":',
  '`npx aoai-keyless setup` assigns it and writes the .env.',
];

/** Prefixes each line with a comment marker (no trailing space on empty lines). */
export function commentLines(marker: string, lines: readonly string[]): string[] {
  return lines.map((l) => (l === '' ? marker : `${marker} ${l}`));
}

/**
 * A POSIX shell line that exports the .env into the current shell, for the languages that read only the
 * environment. `. name` without a slash searches PATH, so a bare file name gets ./ in front.
 */
export function exportEnvCommand(envFile: string): string {
  const path =
    envFile.startsWith('/') || envFile.startsWith('./') || envFile.startsWith('../') ? envFile : `./${envFile}`;
  const quoted = /^[\w./@%+=:,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
  return `set -a; . ${quoted}; set +a`;
}

/**
 * The end of the header of a language that reads only the environment (C#, Go, Java): export the .env,
 * run, how the identity is found, and where the docs are.
 */
export function environmentRunNotes(envFile: string, run: string, docs: readonly string[]): string[] {
  return [
    `  ${exportEnvCommand(envFile)}   # it reads the environment, not the .env file`,
    `  ${run}`,
    ...SIGN_IN_NOTE,
    `Docs: ${KEYLESS_DOCS}`,
    ...docs.map((d) => `      ${d}`),
  ];
}
