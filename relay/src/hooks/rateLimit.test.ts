import { describe, expect, it } from "vitest";
import { ConnectionRate, TokenBucket } from "./rateLimit.js";

describe("rateLimit", () => {
  it("a token bucket allows a burst, then the rate", () => {
    const b = new TokenBucket(10, 20, 0);
    let allowed = 0;
    for (let i = 0; i < 100; i++) if (b.take(1, 0)) allowed++;
    expect(allowed).toBe(20);
    expect(b.take(1, 50)).toBe(false);
    expect(b.take(1, 100)).toBe(true); // 0.1 s at 10/s
  });

  it("4429: a connection is over its limit on messages or on bytes", () => {
    const r = new ConnectionRate({ messagesPerSecond: 5, bytesPerSecond: 1000 }, 0);
    expect(r.allow(100, 0)).toBe(true);
    expect(r.allow(5000, 0)).toBe(false);
    const m = new ConnectionRate({ messagesPerSecond: 5, bytesPerSecond: 1_000_000 }, 0);
    const results = Array.from({ length: 12 }, () => m.allow(1, 0));
    expect(results.filter(Boolean)).toHaveLength(10);
    expect(m.allow(1, 1000)).toBe(true);
  });
});
