// setup's last step, the same verification as `aoai-keyless verify` with what setup knows: the role
// assignment it just created (a PermissionDenied then means "propagating") and the exact command.
import type { Context } from '../context.ts';
import { isCI } from '../env.ts';
import { createAz } from '../az/az.ts';
import type { AppError } from '../errors.ts';
import type { VerifyInput, VerifyReport } from './report.ts';
import { createAzureLookup } from './azure-lookup.ts';
import { toVerifyError, verifyWithProgress } from './render.ts';
import type { VerifyDeps } from './verify-keyless.ts';

/** What setup knows when it verifies (steps/verify-access.ts hands over its input, which holds these and more). */
export type SetupVerifyInput = Pick<
  VerifyInput,
  | 'endpoint'
  | 'deployment'
  | 'apiVersion'
  | 'api'
  | 'scope'
  | 'waitMs'
  | 'justAssigned'
  | 'roleAssignmentCommand'
  | 'credentialEnv'
>;

export async function verifySetup(
  ctx: Context,
  input: SetupVerifyInput,
  deps: VerifyDeps = {},
): Promise<{ report: VerifyReport; error?: AppError }> {
  const report = await verifyWithProgress(
    ctx.out,
    {
      endpoint: input.endpoint,
      deployment: input.deployment,
      apiVersion: input.apiVersion,
      api: input.api,
      scope: input.scope,
      waitMs: input.waitMs,
      justAssigned: input.justAssigned,
      roleAssignmentCommand: input.roleAssignmentCommand,
      credentialEnv: input.credentialEnv,
      sources: { endpoint: 'azure', deployment: 'azure', apiVersion: 'default', scope: 'default' },
    },
    { azure: createAzureLookup(createAz(ctx.runner, { ci: isCI(ctx.env) })), env: ctx.env, ...deps },
  );
  return report.ok ? { report } : { report, error: toVerifyError(report) };
}
