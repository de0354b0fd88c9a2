// `aoai-keyless verify`: proves that this machine's identity can call the deployment without a key, the
// way the app will (DefaultAzureCredential + openai), and names the cause and the next step when not.
// Values: flag -> process environment -> the .env. Success returns the report (cli.ts prints it with
// --json); failure throws VerifyError (exit 6) with the report as its `result`.
import { readEnvFileForReading } from '../env-file/read.ts';
import type { Context } from '../context.ts';
import { isCI } from '../env.ts';
import { createAz } from '../az/az.ts';
import { createAzureLookup } from '../verify/azure-lookup.ts';
import type { VerifyReport } from '../verify/report.ts';
import { resolveVerifySettings, type SourcedValue, type VerifySettings } from '../verify/settings.ts';
import { toVerifyError, verifyWithProgress } from '../verify/render.ts';
import type { VerifyDeps } from '../verify/verify-keyless.ts';
import { inGitHubActionsWithIdToken, requestJobSubject, subjectMismatch } from '../verify/github-actions-subject.ts';

export interface VerifyOptions {
  envFile?: string | undefined;
  endpoint?: string | undefined;
  deployment?: string | undefined;
  apiVersion?: string | undefined;
  api?: string | undefined;
  wait?: string | undefined;
}

export async function verifyCommand(
  ctx: Context,
  opts: VerifyOptions,
  deps: VerifyDeps & { fetchJobToken?: Parameters<typeof requestJobSubject>[1] } = {},
): Promise<VerifyReport> {
  const envFileName = opts.envFile ?? '.env';
  const fileValues = (await readEnvFileForReading(envFileName, ctx.cwd)).values;
  const s = resolveVerifySettings({
    flags: {
      endpoint: opts.endpoint,
      deployment: opts.deployment,
      apiVersion: opts.apiVersion,
      api: opts.api,
      wait: opts.wait,
    },
    env: ctx.env,
    envFile: fileValues,
    envFileName,
  });
  printSettings(ctx, s, envFileName, fileValues !== undefined);

  const az = createAz(ctx.runner, { ci: isCI(ctx.env) });
  const report = await verifyWithProgress(
    ctx.out,
    {
      endpoint: s.endpoint.value,
      deployment: s.deployment.value,
      apiVersion: s.apiVersion.value,
      api: s.api,
      scope: s.scope.value,
      waitMs: s.waitMs,
      credentialEnv: s.credentialEnv,
      sources: {
        endpoint: s.endpoint.source,
        deployment: s.deployment.source,
        apiVersion: s.apiVersion.source,
        scope: s.scope.source,
      },
      warnings: s.warnings,
    },
    // az is asked only after a failure, for the account's id and deployments: verify itself never needs it.
    { azure: createAzureLookup(az), env: ctx.env, ...deps },
  );
  if (
    !report.ok &&
    inGitHubActionsWithIdToken(ctx.env) &&
    (report.error?.code === 'no-credential' || report.error?.code === 'bad-token')
  ) {
    await explainFederatedSignIn(report, ctx.env, deps.fetchJobToken);
  }
  if (!report.ok) throw toVerifyError(report);
  return report;
}

/** In GitHub Actions: the subject the job's token carries, beside the trusted ones; a mismatch becomes the diagnosis. */
async function explainFederatedSignIn(
  report: VerifyReport,
  env: NodeJS.ProcessEnv,
  fetchImpl?: Parameters<typeof requestJobSubject>[1],
): Promise<void> {
  const job = await requestJobSubject(env, fetchImpl);
  report.githubActions = job;
  const mismatch = subjectMismatch(job);
  if (mismatch) report.error = mismatch;
  else if (report.error && job.subject)
    report.error = {
      ...report.error,
      details: [
        ...(report.error.details ?? []),
        `GitHub sent the subject ${job.subject}${job.trustedSubjects.length > 0 ? ', one the identity trusts' : ''}`,
      ],
    };
}

function printSettings(ctx: Context, s: VerifySettings, envFileName: string, hadFile: boolean): void {
  const { out } = ctx;
  const from = (v: SourcedValue, flag: string): string =>
    v.source === 'flag'
      ? flag
      : v.source === 'env-file'
        ? `${v.key} in ${envFileName}`
        : v.source === 'environment'
          ? `${v.key} in the environment`
          : 'default';
  out.info(
    `Verifying keyless access to Azure OpenAI${hadFile ? '' : ` (no ${envFileName}: using flags and the environment)`}`,
  );
  out.detail(`endpoint    ${s.endpoint.value} (${from(s.endpoint, '--endpoint')})`);
  out.detail(`deployment  ${s.deployment.value} (${from(s.deployment, '--deployment')})`);
  out.detail(
    s.api === 'v1'
      ? 'api         v1 (<endpoint>/openai/v1/, no api version)'
      : `api         classic, api version ${s.apiVersion.value} (${from(s.apiVersion, '--api-version')})`,
  );
  out.detail(
    `scope       ${s.scope.value} (${s.scope.source === 'default' ? "the endpoint's cloud" : from(s.scope, '')})`,
  );
  const envKeys = Object.keys(s.credentialEnv);
  if (envKeys.length > 0)
    out.detail(`identity    ${envKeys.join(', ')} from ${envFileName} (as dotenv loads them for the app)`);
  for (const w of s.warnings) out.warn(w);
}
