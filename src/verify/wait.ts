// --wait: how long to keep retrying while a new role assignment reaches Azure OpenAI (Azure documents
// "up to 5 minutes"; in practice it is sometimes longer), and how long to sleep between attempts.

/** A few seconds, growing to about 30 s: early attempts catch a quick propagation, later ones do not hammer. */
export const DEFAULT_BACKOFF_MS: readonly number[] = [2000, 3000, 5000, 8000, 13_000, 20_000, 30_000];

/** The pause before retry number `retry` (0-based), the last entry repeating. */
export function backoffDelay(schedule: readonly number[], retry: number): number {
  if (schedule.length === 0) return 0;
  return schedule[Math.min(retry, schedule.length - 1)] ?? 0;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export interface RetryOutcome<T> {
  value: T;
  /** Attempts made (1 when the first answer was final). */
  attempts: number;
  /** Time slept between attempts. */
  sleptMs: number;
  /** True when the deadline ended the loop while the answer was still retryable. */
  gaveUp: boolean;
}

/**
 * Runs `attempt` until it returns a non-retryable value or the deadline passes. The last sleep is cut
 * short to the deadline, and one final attempt is made at the deadline itself.
 */
export async function retryUntil<T>(opts: {
  attempt: (n: number) => Promise<T>;
  retryable: (value: T) => boolean;
  waitMs: number;
  schedule: readonly number[];
  clock: Clock;
  onRetry?: (info: { attempt: number; value: T; delayMs: number; elapsedMs: number; deadlineMs: number }) => void;
}): Promise<RetryOutcome<T>> {
  const start = opts.clock.now();
  const deadline = start + opts.waitMs;
  let sleptMs = 0;
  for (let n = 1; ; n++) {
    const value = await opts.attempt(n);
    if (!opts.retryable(value)) return { value, attempts: n, sleptMs, gaveUp: false };
    const left = deadline - opts.clock.now();
    if (opts.waitMs <= 0 || left <= 0) return { value, attempts: n, sleptMs, gaveUp: opts.waitMs > 0 };
    const delayMs = Math.min(backoffDelay(opts.schedule, n - 1), left);
    opts.onRetry?.({ attempt: n, value, delayMs, elapsedMs: opts.clock.now() - start, deadlineMs: opts.waitMs });
    await opts.clock.sleep(delayMs);
    sleptMs += delayMs;
  }
}
