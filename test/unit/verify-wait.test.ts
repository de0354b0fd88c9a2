// --wait: duration parsing, the backoff schedule and the retry loop, on a fake clock (no real sleeping).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.ts';
import { DEFAULT_BACKOFF_MS, MAX_POLL_GAP_MS, backoffDelay, retryUntil, type Clock } from '../../src/verify/wait.ts';
import { formatDuration, parseDuration } from '../../src/duration.ts';

function fakeClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

for (const [value, ms] of [
  ['30s', 30_000],
  ['10m', 600_000],
  ['1h', 3_600_000],
  ['1m30s', 90_000],
  ['1.5m', 90_000],
  ['250ms', 250],
  ['0', 0],
  [' 5M ', 300_000],
] as const) {
  test(`parseDuration(${JSON.stringify(value)}) = ${ms}`, () => assert.equal(parseDuration(value), ms));
}

for (const value of ['', '10', 'ten minutes', '5 m', '-1s', '1d', 's', '25h']) {
  test(`parseDuration(${JSON.stringify(value)}) is a usage error (exit 2) naming --wait`, () => {
    assert.throws(
      () => parseDuration(value),
      (e: unknown) => e instanceof UsageError && e.exitCode === 2 && /--wait/.test(e.message + (e.hint ?? '')),
    );
  });
}

test('formatDuration', () => {
  assert.equal(formatDuration(400), '400ms');
  assert.equal(formatDuration(45_000), '45s');
  assert.equal(formatDuration(125_000), '2m5s');
  assert.equal(formatDuration(600_000), '10m');
  assert.equal(formatDuration(5_400_000), '1h30m');
});

test('the default schedule polls every second at first and never pauses longer than MAX_POLL_GAP_MS', () => {
  assert.equal(DEFAULT_BACKOFF_MS[0], 1000);
  assert.ok(DEFAULT_BACKOFF_MS.every((ms) => ms <= MAX_POLL_GAP_MS));
  for (let i = 1; i < DEFAULT_BACKOFF_MS.length; i++) assert.ok(DEFAULT_BACKOFF_MS[i]! >= DEFAULT_BACKOFF_MS[i - 1]!);
  assert.equal(backoffDelay(DEFAULT_BACKOFF_MS, 10_000), MAX_POLL_GAP_MS);
});

// Propagation of N seconds -> verified by N + 5 s: the attempts' schedule on a fake clock, each attempt costing
// what a refused data-plane call costs (ATTEMPT_MS), against a data plane that honours the role from N s on.
const ATTEMPT_MS = 400;
for (const seconds of [0, 1, 3, 10, 29.5, 31, 60, 89, 91, 150, 300, 1799]) {
  test(`propagation of ${seconds} s is verified by ${seconds} s + 5 s (attempt schedule, --wait 30m)`, async () => {
    const clock = fakeClock();
    const readyAt = seconds * 1000;
    const r = await retryUntil({
      attempt: async () => {
        const sentAt = clock.now();
        await clock.sleep(ATTEMPT_MS);
        return sentAt >= readyAt ? 'ok' : 'propagating';
      },
      retryable: (v) => v === 'propagating',
      waitMs: 30 * 60_000,
      schedule: DEFAULT_BACKOFF_MS,
      clock,
    });
    assert.equal(r.value, 'ok');
    assert.ok(
      clock.now() <= readyAt + 5000 + ATTEMPT_MS,
      `verified at ${clock.now()} ms for ${readyAt} ms of propagation`,
    );
  });
}

test('retryUntil: stops at the first final answer', async () => {
  const clock = fakeClock();
  const answers = ['retry', 'retry', 'done'];
  const r = await retryUntil({
    attempt: async (n) => answers[n - 1]!,
    retryable: (v) => v === 'retry',
    waitMs: 60_000,
    schedule: [1000, 2000],
    clock,
  });
  assert.deepEqual(r, { value: 'done', attempts: 3, sleptMs: 3000, gaveUp: false });
  assert.deepEqual(clock.slept, [1000, 2000]);
});

test('retryUntil: no wait means one attempt', async () => {
  const clock = fakeClock();
  const r = await retryUntil({
    attempt: async () => 'retry',
    retryable: () => true,
    waitMs: 0,
    schedule: [1000],
    clock,
  });
  assert.deepEqual(r, { value: 'retry', attempts: 1, sleptMs: 0, gaveUp: false });
});

test('retryUntil: the last pause is cut to the deadline, then one last attempt, then it gives up', async () => {
  const clock = fakeClock();
  const seen: number[] = [];
  const r = await retryUntil({
    attempt: async () => 'retry',
    retryable: () => true,
    waitMs: 10_000,
    schedule: [2000, 3000, 5000, 30_000],
    clock,
    onRetry: (i) => seen.push(i.delayMs),
  });
  assert.deepEqual(clock.slept, [2000, 3000, 5000]);
  assert.deepEqual(seen, [2000, 3000, 5000]);
  assert.equal(r.attempts, 4);
  assert.equal(r.gaveUp, true);
});
