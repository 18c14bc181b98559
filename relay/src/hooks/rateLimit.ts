// Per-connection limits on what a client may send: a token bucket for messages and one for
// bytes. A client over either is closed with 4429 and reconnects after backing off.

/** A token bucket: `rate` tokens a second, holding at most `burst`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes `n` tokens; false when there are not enough (nothing is taken then). */
  take(n: number, now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }
}

/** Limits of one connection. */
export interface RateLimits {
  messagesPerSecond: number;
  bytesPerSecond: number;
}

/** The message and byte budget of one connection. */
export class ConnectionRate {
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;

  constructor(limits: RateLimits, now: number) {
    // Bursts of two seconds' worth: pasting a long passage or reconnecting with offline edits is fine.
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.messagesPerSecond * 2, now);
    this.bytes = new TokenBucket(limits.bytesPerSecond, limits.bytesPerSecond * 2, now);
  }

  /** Accounts for one message; false when the connection is over its limit. */
  allow(size: number, now: number): boolean {
    return this.messages.take(1, now) && this.bytes.take(size, now);
  }
}
