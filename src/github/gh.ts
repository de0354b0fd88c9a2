// Named calls of GitHub's CLI, gh (2.4x and later: `gh variable` came in 2.21). Like az.ts: an argument
// array, never a shell; JSON read without trusting its shape. Outputs and flags from cli/cli's source:
// `gh api` prints the response body on stdout and, for a status above 299, `gh: <message> (HTTP <code>)`
// on stderr with exit 1 (pkg/cmd/api/api.go); `gh auth status` exits 1 when signed out
// (pkg/cmd/auth/status/status.go); `gh variable list --json name,value [--env E]` and
// `gh variable set NAME --body V [--env E]` (pkg/cmd/variable/{list,set}); `-R OWNER/REPO` everywhere.
import type { GhState } from '../contract/documents.ts';
import type { ProcessRunner } from '../context.ts';
import { AzureError, InternalError, PrerequisiteError } from '../errors.ts';
import { asArray, asObject, optString, parseJson, type Json, type JsonObject } from '../az/json.ts';

export const GH = 'gh';
const GH_TIMEOUT_MS = 60_000;

export type { GhState };

export interface Gh {
  state(): Promise<GhState>;
  currentRepository(): Promise<string | undefined>;
  /** GET of a REST path; undefined for a 404. */
  get(path: string): Promise<JsonObject | undefined>;
  put(path: string): Promise<void>;
  variableList(repo: string, environment?: string): Promise<Map<string, string>>;
  variableSet(repo: string, name: string, value: string, environment?: string): Promise<void>;
}

export function createGh(runner: ProcessRunner): Gh {
  async function run(args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    return runner.run(GH, args, { timeoutMs: GH_TIMEOUT_MS });
  }
  async function ok(args: readonly string[]): Promise<string> {
    const r = await run(args);
    if (r.exitCode !== 0) throw ghFailure(args, r.stderr);
    return r.stdout;
  }
  return {
    async state() {
      try {
        const r = await run(['auth', 'status', '--hostname', 'github.com']);
        return r.exitCode === 0 ? 'ready' : 'signed-out';
      } catch (e) {
        if (e instanceof PrerequisiteError && e.code === 'gh-not-installed') return 'not-installed';
        throw e;
      }
    },
    async currentRepository() {
      const r = await run(['repo', 'view', '--json', 'nameWithOwner']);
      if (r.exitCode !== 0) return undefined;
      return optString(asObject(parseJson(r.stdout, 'gh repo view'), 'gh repo view'), 'nameWithOwner');
    },
    async get(path) {
      const r = await run(['api', path]);
      if (r.exitCode !== 0 && /\(HTTP 404\)/.test(r.stderr)) return undefined;
      if (r.exitCode !== 0) throw ghFailure(['api', path], r.stderr);
      return asObject(parseJson(r.stdout, `gh api ${path}`), `gh api ${path}`);
    },
    async put(path) {
      await ok(['api', '--method', 'PUT', path]);
    },
    async variableList(repo, environment) {
      const out = await ok([
        'variable',
        'list',
        '--json',
        'name,value',
        '--repo',
        repo,
        ...(environment ? ['--env', environment] : []),
      ]);
      return new Map(
        asArray(parseJson(out, 'gh variable list') as Json, 'gh variable list').map((v) => {
          const o = asObject(v, 'gh variable list item');
          return [optString(o, 'name') ?? '', typeof o['value'] === 'string' ? o['value'] : ''];
        }),
      );
    },
    async variableSet(repo, name, value, environment) {
      await ok(variableSetArgs(repo, name, value, environment));
    },
  };
}

/** `gh variable set` as it runs (and as --dry-run and the no-gh path print it). */
export function variableSetArgs(repo: string, name: string, value: string, environment?: string): string[] {
  return ['variable', 'set', name, '--body', value, '--repo', repo, ...(environment ? ['--env', environment] : [])];
}

function ghFailure(args: readonly string[], stderr: string): Error {
  const message =
    stderr
      .split('\n')
      .map((l) => l.replace(/^gh: /, '').trim())
      .filter(Boolean)
      .join(' ') || 'no message';
  const command = `gh ${args.slice(0, 3).join(' ')}`;
  if (/HTTP 40[13]|authentication|gh auth login/i.test(message)) {
    return new PrerequisiteError(`\`${command}\` was refused by GitHub: ${message}`, {
      code: 'gh-not-allowed',
      hint: 'Run `gh auth status`; you need admin rights on the repository (`gh auth refresh -s repo`).',
    });
  }
  if (/HTTP 404/.test(message))
    return new AzureError(`GitHub found nothing for \`${command}\`: ${message}`, {
      code: 'github-not-found',
      hint: 'Check --repo OWNER/REPO (and --environment).',
    });
  return new InternalError(`\`${command}\` failed: ${message}`, {
    code: 'gh-failed',
    hint: 'Run the command yourself to see what gh says.',
  });
}
