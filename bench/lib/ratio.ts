// "ours / stock" figures, printed and summarized the same way by every comparison.

/** a / b, or null when either is missing or b is zero. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined || b === 0 || !Number.isFinite(a) || !Number.isFinite(b) ? null : a / b;
}

/** "1.23x", or "n/a". */
export function formatRatio(r: number | null): string {
  return r === null ? "n/a" : `${r.toFixed(2)}x`;
}

