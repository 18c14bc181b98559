// Per-connection limits on what a client may send: a token bucket for messages and one for
// bytes (TokenBucket also paces presence updates). A client over either is closed with 4429 and reconnects after backing off.

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

/**
 * The message and byte budget of one connection: two token buckets kept as plain fields (one
 * object per connection, not three).
 */
export class ConnectionRate {
  private messages: number;
  private bytes: number;
  private last: number;

  constructor(
    private readonly limits: RateLimits,
    now: number,
  ) {
    // Bursts of two seconds' worth: pasting a long passage or reconnecting with offline edits is fine.
    this.messages = limits.messagesPerSecond * 2;
    this.bytes = limits.bytesPerSecond * 2;
    this.last = now;
  }

  /** Accounts for one message; false when the connection is over its limit (nothing is taken then). */
  allow(size: number, now: number): boolean {
    const seconds = (now - this.last) / 1000;
    this.last = now;
    const { messagesPerSecond, bytesPerSecond } = this.limits;
    this.messages = Math.min(messagesPerSecond * 2, this.messages + seconds * messagesPerSecond);
    this.bytes = Math.min(bytesPerSecond * 2, this.bytes + seconds * bytesPerSecond);
    if (this.messages < 1 || this.bytes < size) return false;
    this.messages -= 1;
    this.bytes -= size;
    return true;
  }
}
