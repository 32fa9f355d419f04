import { Duration } from 'cdk8s';

/**
 * Go's time.Duration.String() for a cdk8s Duration: `1m0s`, `10m0s`, `1h0m0s`, `1m30s`, `500ms`,
 * `1.5s`. This is what `flux create` prints and what the Flux CRDs' duration pattern accepts.
 */
export function goDuration(d: Duration): string {
  return formatGoDuration(d.toMilliseconds({ integral: false }));
}

/** The longest duration Go can hold: int64 nanoseconds, about 292 years. */
export const MAX_GO_DURATION_MS = (2 ** 63 - 1) / 1e6;

export function formatGoDuration(totalMs: number): string {
  if (totalMs === 0) return '0s';
  const sign = totalMs < 0 ? '-' : '';
  let ms = Math.abs(totalMs);
  if (ms < 1000) {
    return `${sign}${trimFraction(ms)}ms`;
  }
  const hours = Math.floor(ms / 3_600_000);
  ms -= hours * 3_600_000;
  const minutes = Math.floor(ms / 60_000);
  ms -= minutes * 60_000;
  const seconds = trimFraction(ms / 1000);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

function trimFraction(n: number): string {
  return Number(n.toFixed(9)).toString();
}

/**
 * Parses a Go duration string (`1h30m`, `90s`, `1.5h`, `.5s`, `1.s`, `0`) into milliseconds as
 * Go's time.ParseDuration does, or returns undefined where it would fail (no unit, an unknown
 * unit, a bare `.`, more than about 292 years).
 */
export function parseGoDuration(s: string): number | undefined {
  const m = /^([-+]?)(0|(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$/.exec(s);
  if (!m) return undefined;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const part of m[2].matchAll(/([0-9]*\.?[0-9]*)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/g)) {
    total += Number(part[1]) * units[part[2]];
  }
  // Go counts in int64 nanoseconds.
  if (total * 1e6 > 2 ** 63) return undefined;
  return m[1] === '-' && total !== 0 ? -total : total;
}
