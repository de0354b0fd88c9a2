// The step pipeline every changing command runs (setup, revoke, ci github), after create-astro's ordered
// steps over one context. A step takes only the part of the context it uses and returns a patch of the
// state. Questions and lookups run first, in order; changes are queued and applied after every question is
// answered, so a Ctrl-C at a prompt leaves nothing half-done and --dry-run is "the questions, then the queue".

import { InternalError } from '../errors.ts';

// What a step did (--json lists one per step, in the order they ran) is part of the contract.
import type { StepRecord, StepStatus } from '../contract/documents.ts';
export type { StepRecord, StepStatus };

/** A change as --dry-run shows it: the lines to print (empty: nothing to change), and what to record of it. */
export interface PlannedChange<S> {
  lines: string[];
  patch?: Partial<S>;
}

export interface Step<C, S> {
  /** Stable, kebab-case: --json, --debug and tests name a step by it. */
  id: string;
  title: string;
  /** A change (a write in Azure, GitHub or on disk): queued until every question step has run. */
  change?: boolean;
  /** False: the step does not apply to this run (recorded as skipped). */
  when?(ctx: C, state: Readonly<S>): boolean;
  run(ctx: C, state: Readonly<S>): Promise<Partial<S> | undefined> | Partial<S> | undefined;
  /** A change under --dry-run: what it would do, instead of doing it. Without it a dry run skips the change. */
  plan?(ctx: C, state: Readonly<S>): Promise<PlannedChange<S>> | PlannedChange<S>;
  /**
   * After run: the error that ends the command, now that the state records what the step found (a failed
   * verification keeps its report, a refused role its hand-off).
   */
  failure?(state: Readonly<S>): Error | undefined;
}

/** Steps of one entry run concurrently (independent az calls each cost a Python start-up); entries run in order. */
export type StepList<C, S> = ReadonlyArray<Step<C, S> | ReadonlyArray<Step<C, S>>>;

/** One run of a pipeline: the state so far, what each step did, and the changes a dry run queued. */
export interface PipelineRun<S> {
  state: S;
  steps: StepRecord[];
  /** Under --dry-run, the queued changes by step, in the order they would apply. */
  planned: Array<{ id: string; title: string; lines: string[] }>;
}

export interface RunOptions<S> {
  dryRun: boolean;
  now: () => number;
  /** True once the command has its answer (a proven re-run, nothing to revoke): the remaining steps are skipped. */
  finished?: (state: Readonly<S>) => boolean;
}

export function startRun<S>(state: S): PipelineRun<S> {
  return { state, steps: [], planned: [] };
}

/**
 * Runs every question step, then every change (or, under --dry-run, each change's plan). The run is updated as
 * it goes, so on a failure (rethrown as it is: its class is the exit code) the caller still has the partial state
 * and the failed step for --json.
 */
export async function runSteps<C, S>(
  ctx: C,
  steps: StepList<C, S>,
  run: PipelineRun<S>,
  options: RunOptions<S>,
): Promise<PipelineRun<S>> {
  const groups = steps.map((entry) => (isGroup(entry) ? entry : [entry]));
  const questions = groups.map((g) => g.filter((s) => !s.change)).filter((g) => g.length > 0);
  const changes = groups.map((g) => g.filter((s) => s.change)).filter((g) => g.length > 0);
  for (const group of [...questions, ...changes]) await runGroup(ctx, group, run, options);
  return run;
}

function isGroup<C, S>(entry: Step<C, S> | ReadonlyArray<Step<C, S>>): entry is ReadonlyArray<Step<C, S>> {
  return Array.isArray(entry);
}

interface Outcome<S> {
  record: StepRecord;
  planned?: PipelineRun<S>['planned'][number];
  error?: unknown;
}

/** The steps of a group together; what they did recorded in the group's order, whichever ends first. */
async function runGroup<C, S>(ctx: C, group: ReadonlyArray<Step<C, S>>, run: PipelineRun<S>, o: RunOptions<S>) {
  const outcomes = await Promise.all(group.map((step) => runStep(ctx, step, run, o)));
  for (const outcome of outcomes) {
    run.steps.push(outcome.record);
    if (outcome.planned) run.planned.push(outcome.planned);
  }
  const failed = outcomes.find((outcome) => outcome.record.status === 'failed');
  if (failed) throw failed.error;
}

/** One step: skipped, planned (a change under --dry-run), done, or failed (the error kept for the group to throw). */
async function runStep<C, S>(ctx: C, step: Step<C, S>, run: PipelineRun<S>, o: RunOptions<S>): Promise<Outcome<S>> {
  const started = o.now();
  const record = (status: StepStatus) => ({ id: step.id, status, ms: Math.round(o.now() - started) });
  if (o.finished?.(run.state) || (step.when && !step.when(ctx, run.state))) return { record: record('skipped') };
  try {
    if (step.change && o.dryRun) {
      const planned = step.plan ? await step.plan(ctx, run.state) : { lines: [] };
      if (planned.patch) run.state = { ...run.state, ...planned.patch };
      if (planned.lines.length === 0) return { record: record('skipped') };
      return { record: record('planned'), planned: { id: step.id, title: step.title, lines: planned.lines } };
    }
    const patch = await step.run(ctx, run.state);
    if (patch) run.state = { ...run.state, ...patch };
    const failure = step.failure?.(run.state);
    if (failure) return { record: record('failed'), error: failure };
    return { record: record('done') };
  } catch (error) {
    return { record: record('failed'), error };
  }
}

/** Every line a dry run queued, in order: what --dry-run prints. */
export function plannedLines(run: PipelineRun<unknown>): string[] {
  return run.planned.flatMap((p) => p.lines);
}

/** A value an earlier step put in the state; missing, the steps are out of order (a bug in aoai-keyless, exit 1). */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new InternalError(`No ${what} yet: a step ran before the one that finds it.`, { code: 'bug' });
  return value;
}
