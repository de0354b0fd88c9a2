// --wait: how long to keep retrying while a new role assignment reaches Azure OpenAI (Azure documents
// "up to 5 minutes"; in practice it is sometimes longer), and how long to sleep between attempts.

/** The longest pause between two attempts: access is proven at most this long after Azure starts honouring the role. */
export const MAX_POLL_GAP_MS = 5000;

/**
 * Every second for the first half minute (most assignments apply within it), every 2 s up to about 90 s, then
 * every 5 s. A refused attempt is cheap (a 401/403 from the data plane, the token cached by the credential), so
 * polling often costs little and ends the wait within a few seconds of the role applying, where a back-off
 * growing to 30 s could leave the user waiting up to 30 s more.
 */
export const DEFAULT_BACKOFF_MS: readonly number[] = [
  ...Array<number>(30).fill(1000),
  ...Array<number>(30).fill(2000),
  MAX_POLL_GAP_MS,
];

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
