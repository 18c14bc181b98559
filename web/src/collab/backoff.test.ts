import { describe, expect, it } from "vitest";
import { reconnectDelay } from "./backoff.js";

describe("reconnectDelay (full jitter)", () => {
  it("stays within a doubling cap, never above the maximum", () => {
    expect(reconnectDelay(0, 0.999)).toBeLessThan(500);
    expect(reconnectDelay(3, 0.999)).toBeLessThan(4000);
    expect(reconnectDelay(50, 0.999)).toBeLessThan(10_000);
    expect(reconnectDelay(5, 0)).toBe(0);
  });

  it("spreads 200 clients over the window instead of one instant", () => {
    const delays = Array.from({ length: 200 }, (_, i) => reconnectDelay(2, i / 200));
    expect(new Set(delays).size).toBeGreaterThan(150);
  });
});
