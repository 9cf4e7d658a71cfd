/**
 * Number formatting for the view. Pure.
 */

/** A duration in µs as a short human string: "880 µs", "91.7 ms", "1.23 s". */
export function formatUs(us: number): string {
  if (!Number.isFinite(us)) {
    return '–';
  }
  const abs = Math.abs(us);
  if (us === 0) {
    return '0 µs';
  }
  if (abs < 1) {
    return `${us.toFixed(2)} µs`;
  }
  if (abs < 1000) {
    return `${us.toFixed(abs < 10 ? 1 : 0)} µs`;
  }
  if (abs < 1_000_000) {
    const ms = us / 1000;
    return `${ms.toFixed(Math.abs(ms) < 10 ? 2 : 1)} ms`;
  }
  const s = us / 1_000_000;
  return `${s.toFixed(Math.abs(s) < 10 ? 2 : 1)} s`;
}

/** A share in [0, 1] as a percentage string: "37 %", "4.2 %". */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) {
    return '–';
  }
  const pct = share * 100;
  return `${pct.toFixed(pct < 10 && pct !== 0 ? 1 : 0)} %`;
}
