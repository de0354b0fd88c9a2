// setup's flags, all checked before any az call: a bad value is exit 2 and nothing runs.
import { UsageError } from '../errors.ts';
import { checkApiVersion, checkDeploymentName } from '../azure/names.ts';
import { parseRole, parseScopeLevel, type RoleDefinition, type ScopeLevel } from '../azure/roles.ts';
import { parseTargetFlags, type TargetFlags } from '../steps/target.ts';
import { parseDuration } from '../duration.ts';
import { DEFAULT_API_VERSION, parseApi, type Api } from '../azure/api-version.ts';
import type { Context } from '../context.ts';
import { fromSources } from '../resolve.ts';
import { ENV_KEYS } from '../steps/env-file.ts';

export interface SetupOptions {
  subscription?: string;
  resourceGroup?: string;
  resource?: string;
  deployment?: string;
  assignee?: string;
  assigneeType?: string;
  managedIdentity?: string;
  role?: string;
  scope?: string;
  envFile: string;
  apiVersion?: string;
  removeApiKey?: boolean;
  verify: boolean;
  wait?: string;
  dryRun?: boolean;
  handoff?: string;
  api?: string;
  activate?: boolean;
  justification?: string;
}

export interface SetupFlags extends TargetFlags {
  deployment: string | undefined;
  role: RoleDefinition | undefined;
  scope: ScopeLevel;
  apiVersion: string | undefined;
  waitMs: number | undefined;
  handoff: 'text' | 'markdown';
  api: Api;
}

/** Every flag is checked before any az call: a bad value is exit 2 and nothing runs. */
export function validateSetupOptions(o: SetupOptions): SetupFlags {
  if (o.handoff !== undefined && !['text', 'markdown'].includes(o.handoff)) {
    throw new UsageError(`--handoff '${o.handoff}' is not one of text, markdown.`, { code: 'bad-value' });
  }
  if (o.activate && !o.justification?.trim()) {
    throw new UsageError('--activate needs --justification "<why>": PIM records it with the activation.', {
      code: 'missing-input',
    });
  }
  return {
    ...parseTargetFlags(o),
    deployment: o.deployment === undefined ? undefined : checkDeploymentName(o.deployment),
    role: parseRole(o.role),
    scope: parseScopeLevel(o.scope),
    apiVersion: o.apiVersion === undefined ? undefined : checkApiVersion(o.apiVersion),
    waitMs: o.wait === undefined ? undefined : parseDuration(o.wait, '--wait'),
    handoff: o.handoff === 'markdown' ? 'markdown' : 'text',
    api: parseApi(o.api, o.apiVersion),
  };
}

/** --api-version, else the environment's or the .env's api version, else the default. */
export function resolvedApiVersion(
  ctx: Pick<Context, 'env'>,
  v: Pick<SetupFlags, 'apiVersion'>,
  dotenv: Record<string, string>,
): string {
  return (
    v.apiVersion ??
    fromSources({
      environment: ctx.env[ENV_KEYS.apiVersion],
      envFile: dotenv[ENV_KEYS.apiVersion] ?? dotenv[ENV_KEYS.version],
    })?.value ??
    DEFAULT_API_VERSION
  );
}
