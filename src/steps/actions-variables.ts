// ci github's repository side: the Actions variables the workflow reads (none is a secret: ids and an
// endpoint), set with `gh variable set` at the repository's level or the environment's. Existing values
// are read first so that a re-run sets nothing (gh variable set always writes: POST, then PATCH on 409;
// cli/cli pkg/cmd/variable/set/http.go).
import type { VariableStatus } from '../contract/documents.ts';
import type { Context } from '../context.ts';
import type { Gh } from '../github/gh.ts';
import { variableSetArgs } from '../github/gh.ts';

export type { VariableStatus };

export interface VariablesOutcome {
  level: 'repository' | 'environment';
  environment: string | null;
  values: Record<string, string>;
  status: Record<string, VariableStatus>;
  /** The gh commands run, or to run by hand. */
  commands: string[][];
}

export async function applyVariables(
  ctx: Context,
  gh: Gh,
  o: {
    repo: string;
    environment: string | undefined;
    values: Record<string, string>;
    mode: 'apply' | 'dry-run' | 'manual';
  },
): Promise<VariablesOutcome> {
  const env = o.environment;
  const result: VariablesOutcome = {
    level: env ? 'environment' : 'repository',
    environment: env ?? null,
    values: o.values,
    status: {},
    commands: [],
  };
  const names = Object.keys(o.values);
  if (o.mode === 'manual') {
    for (const name of names) result.status[name] = 'manual';
    result.commands = names.map((n) => variableSetArgs(o.repo, n, o.values[n] ?? '', env));
    return result;
  }
  const envExists = env
    ? (await gh.get(`repos/${o.repo}/environments/${encodeURIComponent(env)}`)) !== undefined
    : true;
  const current = envExists ? await gh.variableList(o.repo, env) : new Map<string, string>();
  if (env && !envExists)
    result.commands.push(['api', '--method', 'PUT', `repos/${o.repo}/environments/${encodeURIComponent(env)}`]);
  for (const name of names) {
    const value = o.values[name] ?? '';
    if (current.get(name) === value) result.status[name] = 'unchanged';
    else {
      result.status[name] = o.mode === 'dry-run' ? 'planned' : 'set';
      result.commands.push(variableSetArgs(o.repo, name, value, env));
    }
  }
  if (o.mode === 'apply') await runCommands(ctx, gh, o.repo, env, envExists, result);
  return result;
}

async function runCommands(
  ctx: Context,
  gh: Gh,
  repo: string,
  env: string | undefined,
  envExists: boolean,
  r: VariablesOutcome,
): Promise<void> {
  if (env && !envExists)
    await ctx.out.task(`Creating the environment ${env}`, () =>
      gh.put(`repos/${repo}/environments/${encodeURIComponent(env)}`),
    );
  const toSet = Object.entries(r.status)
    .filter(([, s]) => s === 'set')
    .map(([n]) => n);
  if (toSet.length === 0) return;
  await ctx.out.task(`Setting ${toSet.join(', ')}${env ? ` for environment ${env}` : ''}`, async () => {
    for (const name of toSet) await gh.variableSet(repo, name, r.values[name] ?? '', env);
  });
}

/** A command line to show: gh and its arguments, quoted where a shell would need it. */
export function commandLine(program: string, args: readonly string[]): string {
  return [program, ...args.map((a) => (/^[\w.:/@=,+-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`))].join(' ');
}
