// Durations on the command line (--wait): `30s`, `10m`, `1h`, `1m30s`, `500ms`, or `0`.
import { UsageError } from './errors.ts';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const MAX_WAIT_MS = 24 * UNIT_MS.h;

/** "30s", "10m", "1h", "1m30s", "0" -> milliseconds; anything else is a usage error naming --wait. */
export function parseDuration(value: string, flag = '--wait'): number {
  const v = value.trim().toLowerCase();
  if (v === '0') return 0;
  const parts = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/.test(v) ? [...v.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)] : [];
  if (parts.length === 0) {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not a duration.`, {
      code: 'bad-duration',
      hint: `Give ${flag} a number with a unit: 30s, 10m, 1h (or 1m30s).`,
    });
  }
  const ms = Math.round(parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS], 0));
  if (ms > MAX_WAIT_MS) {
    throw new UsageError(`${flag} ${value} is longer than 24h.`, {
      code: 'bad-duration',
      hint: `Give ${flag} at most 24h.`,
    });
  }
  return ms;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m < 60) return rest ? `${m}m${rest}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
}
