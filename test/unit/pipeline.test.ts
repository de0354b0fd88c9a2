// The step pipeline's rules, which setup, revoke and ci github rely on: every question before the first change,
// --dry-run runs the questions and queues the changes' plans, a failing step is recorded and its error rethrown
// as it is (its class is the exit code), and --json gets each step's id, status and time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plannedLines, runSteps, startRun, type Step, type StepList } from '../../src/steps/pipeline.ts';
import { UsageError } from '../../src/errors.ts';

interface State {
  log: string[];
  answer?: string;
}

/** A step that appends its id to the log it was given (so the order is read off the state). */
function step(id: string, more: Partial<Step<unknown, State>> = {}): Step<unknown, State> {
  return { id, title: id, run: (_ctx, s) => ({ log: [...s.log, id] }), ...more };
}

/** A run() that notes that it ran. */
function records(ran: string[], id: string): () => undefined {
  return () => {
    ran.push(id);
    return undefined;
  };
}

const change = (id: string, more: Partial<Step<unknown, State>> = {}) => step(id, { change: true, ...more });

/** A clock that moves 5 ms each time it is read. */
function clock(): () => number {
  let t = 0;
  return () => (t += 5);
}

test('questions run first, in order; the changes after every question, in the order they are listed', async () => {
  const steps: StepList<unknown, State> = [step('a'), change('write-1'), step('b'), change('write-2'), step('c')];
  const run = await runSteps(undefined, steps, startRun<State>({ log: [] }), { dryRun: false, now: clock() });
  assert.deepEqual(run.state.log, ['a', 'b', 'c', 'write-1', 'write-2']);
  assert.deepEqual(
    run.steps.map((r) => [r.id, r.status]),
    [
      ['a', 'done'],
      ['b', 'done'],
      ['c', 'done'],
      ['write-1', 'done'],
      ['write-2', 'done'],
    ],
  );
});

test('a step sees the patches of the steps before it; a step returning nothing leaves the state as it is', async () => {
  const steps = [
    step('ask', { run: () => ({ answer: '42' }) }),
    step('nothing', { run: () => undefined }),
    change('use', { run: (_ctx, s) => ({ log: [`wrote ${s.answer}`] }) }),
  ];
  const run = await runSteps(undefined, steps, startRun<State>({ log: [] }), { dryRun: false, now: clock() });
  assert.deepEqual(run.state, { log: ['wrote 42'], answer: '42' });
});

test('each step is timed with the clock it is given', async () => {
  const run = await runSteps(undefined, [step('a')], startRun<State>({ log: [] }), { dryRun: false, now: clock() });
  assert.deepEqual(run.steps, [{ id: 'a', status: 'done', ms: 5 }]);
});

test('--dry-run: the questions run, no change runs; each change queues its plan, in order', async () => {
  const ran: string[] = [];
  const steps = [
    change('role', {
      run: records(ran, 'role'),
      plan: () => ({ lines: ['az role assignment create ...'], patch: { answer: 'planned' } }),
    }),
    step('ask'),
    change('nothing-to-do', { run: records(ran, 'nothing'), plan: () => ({ lines: [] }) }),
    change('verify', { run: records(ran, 'verify') }),
    change('env', { run: records(ran, 'env'), plan: async () => ({ lines: ['A=1', 'B=2'] }) }),
  ];
  const run = await runSteps(undefined, steps, startRun<State>({ log: [] }), { dryRun: true, now: clock() });
  assert.deepEqual(ran, []);
  assert.deepEqual(run.state, { log: ['ask'], answer: 'planned' });
  assert.deepEqual(plannedLines(run), ['az role assignment create ...', 'A=1', 'B=2']);
  assert.deepEqual(
    run.planned.map((p) => p.id),
    ['role', 'env'],
  );
  assert.deepEqual(
    run.steps.map((r) => [r.id, r.status]),
    [
      ['ask', 'done'],
      ['role', 'planned'],
      ['nothing-to-do', 'skipped'],
      ['verify', 'skipped'],
      ['env', 'planned'],
    ],
  );
});

test('a failing step is recorded as failed and its own error is rethrown; the steps after it never run', async () => {
  const refused = new UsageError('--deployment is needed', { code: 'missing-input' });
  const steps = [
    step('ask', { run: () => ({ answer: 'kept' }) }),
    step('fails', {
      run: () => {
        throw refused;
      },
    }),
    step('after'),
    change('write'),
  ];
  const run = startRun<State>({ log: [] });
  await assert.rejects(runSteps(undefined, steps, run, { dryRun: false, now: clock() }), (e) => e === refused);
  assert.equal(run.state.answer, 'kept', 'the partial state stays for the --json document');
  assert.deepEqual(
    run.steps.map((r) => [r.id, r.status]),
    [
      ['ask', 'done'],
      ['fails', 'failed'],
    ],
  );
});

test('a question that fails stops the run before any change', async () => {
  const ran: string[] = [];
  const steps = [
    change('write', { run: records(ran, 'write') }),
    step('ask', {
      run: () => {
        throw new Error('cancelled');
      },
    }),
  ];
  await assert.rejects(runSteps(undefined, steps, startRun<State>({ log: [] }), { dryRun: false, now: clock() }));
  assert.deepEqual(ran, []);
});

test("a step's failure hook ends the run after its patch is recorded", async () => {
  const steps = [
    change('verify', { run: () => ({ answer: 'the report' }), failure: (s) => new Error(`failed with ${s.answer}`) }),
    change('after'),
  ];
  const run = startRun<State>({ log: [] });
  await assert.rejects(runSteps(undefined, steps, run, { dryRun: false, now: clock() }), /failed with the report/);
  assert.equal(run.state.answer, 'the report');
  assert.deepEqual(
    run.steps.map((r) => [r.id, r.status]),
    [['verify', 'failed']],
  );
});

test('when() false skips a step; once finished() holds, every remaining step is skipped', async () => {
  const steps = [
    step('not-for-this-run', { when: () => false }),
    step('settles', { run: () => ({ answer: 'done' }) }),
    step('ask'),
    change('write'),
  ];
  const run = await runSteps(undefined, steps, startRun<State>({ log: [] }), {
    dryRun: false,
    now: clock(),
    finished: (s) => s.answer === 'done',
  });
  assert.deepEqual(run.state.log, []);
  assert.deepEqual(
    run.steps.map((r) => [r.id, r.status]),
    [
      ['not-for-this-run', 'skipped'],
      ['settles', 'done'],
      ['ask', 'skipped'],
      ['write', 'skipped'],
    ],
  );
});

test('the steps of a group run together, recorded and queued in the order listed', async () => {
  const started: string[] = [];
  let release: () => void = () => undefined;
  const both = new Promise<void>((resolve) => {
    release = resolve;
  });
  const slow = change('credential', {
    async plan() {
      started.push('credential');
      await both;
      return { lines: ['az identity federated-credential create ...'] };
    },
  });
  const fast = change('role', {
    plan() {
      started.push('role');
      // The credential's plan has started and waits: it runs alongside, not before.
      assert.deepEqual(started, ['credential', 'role']);
      release();
      return { lines: ['az role assignment create ...'] };
    },
  });
  const run = await runSteps(undefined, [[slow, fast]], startRun<State>({ log: [] }), { dryRun: true, now: clock() });
  assert.deepEqual(plannedLines(run), ['az identity federated-credential create ...', 'az role assignment create ...']);
  assert.deepEqual(
    run.steps.map((r) => r.id),
    ['credential', 'role'],
  );
});

test('a step is given the context the runner was given', async () => {
  const ctx = { answer: 'from the context' };
  const reads: Step<typeof ctx, State> = { id: 'reads', title: 'reads', run: (c) => ({ answer: c.answer }) };
  const run = await runSteps(ctx, [reads], startRun<State>({ log: [] }), { dryRun: false, now: clock() });
  assert.equal(run.state.answer, 'from the context');
});
