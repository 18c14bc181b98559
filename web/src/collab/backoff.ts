// Reconnect delays with "full jitter" (a random wait up to an exponentially growing cap), so
// that after a relay restart a room full of clients does not reconnect in one storm.

/** Backoff settings. */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

/** Default: up to 0.5 s on the first retry, doubling, never more than 10 s. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 10_000 };

/** The wait before retry number `attempt` (0 = first retry); `random` is in [0, 1). */
export function reconnectDelay(attempt: number, random: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random * ceiling);
}
