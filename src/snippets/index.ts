// The languages `aoai-keyless snippet` writes, and the one function that renders any of them. Every
// snippet authenticates with Microsoft Entra ID (DefaultAzureCredential or a role assignment for it):
// none ever holds, reads or mentions a key.
import { InternalError, UsageError } from '../errors.ts';
import type { HandoffRequest } from '../azure/handoff.ts';
import { csharpSnippet } from './csharp.ts';
import { githubActionsSnippet } from './github-actions.ts';
import { goSnippet } from './go.ts';
import { infrastructureSnippet } from './infrastructure.ts';
import { javaSnippet } from './java.ts';
import { javaScriptSnippet } from './javascript.ts';
import { pythonSnippet } from './python.ts';

export const LANGS = [
  'js',
  'ts',
  'python',
  'csharp',
  'go',
  'java',
  'azcli',
  'powershell',
  'bicep',
  'github-actions',
] as const;
export type Lang = (typeof LANGS)[number];

/** The languages that print the role assignment instead of client code: they need a principal and a scope. */
export const INFRASTRUCTURE_LANGS = ['azcli', 'powershell', 'bicep'] as const satisfies readonly Lang[];
export type InfrastructureLang = (typeof INFRASTRUCTURE_LANGS)[number];

// Names people type for the same thing; the canonical name is what --json reports.
const ALIASES: Record<string, Lang> = {
  javascript: 'js',
  node: 'js',
  typescript: 'ts',
  py: 'python',
  'c#': 'csharp',
  cs: 'csharp',
  dotnet: 'csharp',
  golang: 'go',
  az: 'azcli',
  cli: 'azcli',
  pwsh: 'powershell',
  ps: 'powershell',
  github: 'github-actions',
  gha: 'github-actions',
  actions: 'github-actions',
};

export interface Snippet {
  /** The install line for its packages (null where there is nothing to install). */
  install: string | null;
  code: string;
  /** A file name to save it as, for the hint. */
  saveAs: string;
  /** How to run it, for the hint. */
  run: string;
}

export interface SnippetInput {
  /** The .env as the user named it (--env-file): the JavaScript and Python snippets load it. */
  envFile: string;
  /** The values of that .env (empty when it does not exist). */
  env: Readonly<Record<string, string>>;
  /** Who gets the role where: required for azcli, powershell and bicep. */
  roleAssignment?: HandoffRequest | undefined;
}

export function parseLang(value: string | undefined): Lang {
  if (value === undefined) return 'js';
  const v = value.trim().toLowerCase();
  const lang = (LANGS as readonly string[]).includes(v) ? (v as Lang) : ALIASES[v];
  if (lang) return lang;
  throw new UsageError(`--lang ${JSON.stringify(value)} is not one of ${LANGS.join(', ')}.`, {
    code: 'bad-lang',
    hint: `Pick one: ${LANGS.join(' | ')} (default js).`,
  });
}

export function isInfrastructureLang(lang: Lang): lang is InfrastructureLang {
  return (INFRASTRUCTURE_LANGS as readonly string[]).includes(lang);
}

export function renderSnippet(lang: Lang, input: SnippetInput): Snippet {
  switch (lang) {
    case 'js':
      return javaScriptSnippet({ envFile: input.envFile, typescript: false });
    case 'ts':
      return javaScriptSnippet({ envFile: input.envFile, typescript: true });
    case 'python':
      return pythonSnippet({ envFile: input.envFile });
    case 'csharp':
      return csharpSnippet({ envFile: input.envFile });
    case 'go':
      return goSnippet({ envFile: input.envFile });
    case 'java':
      return javaSnippet({ envFile: input.envFile });
    case 'github-actions':
      return githubActionsSnippet({ env: input.env });
    case 'azcli':
    case 'powershell':
    case 'bicep':
      if (!input.roleAssignment)
        throw new InternalError(`--lang ${lang} was rendered without a role assignment.`, { code: 'bug' });
      return infrastructureSnippet(lang, input.roleAssignment);
  }
}
