// `aoai-keyless setup`: the wizard, as the steps of setup-steps.ts. Every question is asked, and every lookup
// made, before the first change; then the role assignment, then the .env, then the proof by a chat completion.
// Independent az calls run together: the sign-in check, the account and its deployments are one wave.
import { SCHEMA_VERSION, type SetupDocument } from '../contract/documents.ts';
import type { Context } from '../context.ts';
import { createAz } from '../az/az.ts';
import { withResult } from '../errors.ts';
import { azCliCommand } from '../azure/handoff.ts';
import { parseEnvFile, envValues } from '../env-file/parse.ts';
import { readEnvFile } from '../env-file/write.ts';
import { roleAssignmentDocument } from '../steps/role-assignment.ts';
import type { SetupVerification } from '../steps/verify-access.ts';
import { plannedLines, runSteps, startRun, type PipelineRun, type StepRecord } from '../steps/pipeline.ts';
import { isCI } from '../env.ts';
import { validateSetupOptions, type SetupOptions } from './setup-options.ts';
import { rerunCandidate } from './setup-rerun.ts';
import { setupSteps, type SetupContext, type SetupState } from './setup-steps.ts';

export type { SetupOptions } from './setup-options.ts';
export { validateSetupOptions } from './setup-options.ts';
export { DEFAULT_PROPAGATION_WAIT_MS } from './setup-steps.ts';

/** setup's --json document: src/contract/documents.ts. */
export type SetupResult = SetupDocument & { steps: StepRecord[] };

const NEXT_SNIPPET =
  'npx aoai-keyless snippet (client code that reads this .env and signs in with DefaultAzureCredential)';

export async function setupCommand(ctx: Context, options: SetupOptions): Promise<SetupResult> {
  const flags = validateSetupOptions(options);
  const envFile = await readEnvFile(options.envFile, ctx.cwd);
  const dotenv = envValues(parseEnvFile(envFile.text ?? ''));
  const az = createAz(ctx.runner, { ci: isCI(ctx.env) });
  const setup: SetupContext = { ...ctx, az, flags, options, envFile, dotenv };
  const dryRun = options.dryRun === true;
  const run = startRun<SetupState>({ rerun: rerunCandidate(ctx, flags, options, dotenv) });
  try {
    await runSteps(setup, setupSteps(flags), run, { dryRun, now: ctx.now, finished: (s) => s.proof !== undefined });
  } catch (e) {
    throw withResult(e, setupDocument(run, dryRun, false));
  }
  if (run.state.proof) return setupDocument(run, dryRun, true);
  if (dryRun) {
    ctx.out.heading('Dry run: nothing was changed. The plan:');
    for (const line of plannedLines(run)) ctx.out.detail(line);
    return setupDocument(run, dryRun, true);
  }
  run.state = { ...run.state, next: run.state.verification?.report ? NEXT_SNIPPET : 'npx aoai-keyless verify' };
  const result = setupDocument(run, dryRun, true);
  summary(ctx, result, run.state.verification);
  return result;
}

/** The --json document: what the steps found and did, read from the state (nothing else writes it). */
function setupDocument(run: PipelineRun<SetupState>, dryRun: boolean, ok: boolean): SetupResult {
  const s = run.state;
  if (s.proof) return provenDocument(s, s.proof, run.steps);
  const deployment = s.chosenDeployment?.deployment;
  const principal = s.principal;
  const role = s.role ? roleAssignmentDocument(s.role) : null;
  return {
    schemaVersion: SCHEMA_VERSION,
    ok,
    command: 'setup',
    dryRun,
    subscription: s.subscription ?? null,
    principal: principal
      ? {
          objectId: principal.objectId,
          type: principal.type,
          name: principal.name,
          tenantId: s.subscription?.tenantId ?? null,
          ...(principal.clientId ? { clientId: principal.clientId } : {}),
        }
      : null,
    resource: s.account && s.endpoint ? { ...resourceOf(s.account), endpoint: s.endpoint } : null,
    deployment: deployment
      ? { name: deployment.name, model: deployment.model ?? null, format: deployment.format ?? null }
      : null,
    roleAssignment: role,
    envFile: s.envFile ?? null,
    verify: s.verification?.report ?? null,
    ...(dryRun && ok ? { plan: dryRunPlan(s) } : {}),
    ...(s.next === undefined ? {} : { next: s.next }),
    steps: run.steps,
  };
}

function resourceOf(a: NonNullable<SetupState['account']>) {
  return { id: a.id, name: a.name, resourceGroup: a.resourceGroup, kind: a.kind, location: a.location };
}

/** The dry run's plan as --json gives it: the az command to run (when one is needed) and the .env lines. */
function dryRunPlan(s: SetupState): { commands: string[]; envFile: string[] } {
  const needed = s.role?.status === 'planned' || s.role?.status === 'denied';
  return {
    commands: needed && s.handoff ? [azCliCommand(s.handoff)] : [],
    envFile: (s.values ?? []).map(([k, val]) => `${k}=${val}`),
  };
}

function provenDocument(s: SetupState, proof: NonNullable<SetupState['proof']>, steps: StepRecord[]): SetupResult {
  const { report } = proof;
  const rerun = s.rerun;
  return {
    schemaVersion: SCHEMA_VERSION,
    ok: true,
    command: 'setup',
    dryRun: false,
    subscription: proof.subscription,
    principal: {
      objectId: report.principal.objectId ?? '',
      type: report.principal.type ?? 'User',
      name: report.principal.name,
      tenantId: report.principal.tenantId ?? proof.subscription?.tenantId ?? null,
    },
    resource: null,
    deployment: { name: rerun?.deployment ?? '', model: report.model, format: null },
    roleAssignment: {
      status: 'existing',
      checkedWith: 'data-plane',
      id: null,
      role: null,
      roleId: null,
      scope: null,
      accessFrom: [],
    },
    envFile: {
      path: proof.envPath,
      keys: proof.keys,
      removed: [],
      status: 'unchanged',
      apiKeysCommentedOut: [],
      gitignoreUpdated: null,
    },
    verify: report as unknown as SetupResult['verify'],
    next: NEXT_SNIPPET,
    steps,
  };
}

function summary(ctx: Context, r: SetupResult, verification: SetupVerification | undefined): void {
  const { out } = ctx;
  out.heading('Done: keyless access to Azure OpenAI');
  out.detail(
    `Who:    ${r.principal?.name ?? r.principal?.objectId} (${r.principal?.type}, object id ${r.principal?.objectId})`,
  );
  const role = r.roleAssignment && 'role' in r.roleAssignment ? r.roleAssignment : null;
  out.detail(`Role:   ${role?.role} at ${role?.scope} (${role?.status})`);
  out.detail(`.env:   ${r.envFile?.path} (${r.envFile?.status}): ${r.envFile?.keys.join(', ')}`);
  if (verification?.report?.ok)
    out.detail(
      `Proof:  a chat completion from ${verification.report.model ?? r.deployment?.name} via ${verification.report.credential ?? 'DefaultAzureCredential'}`,
    );
  else if (verification?.skippedBecause) out.detail(`Proof:  skipped: ${verification.skippedBecause}`);
  out.detail(`Next:   ${r.next}`);
}
