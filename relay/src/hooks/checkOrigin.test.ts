import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { originAllowed } from "./checkOrigin.js";

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe("originAllowed", () => {
  it("allows the relay's own origin, configured ones and non-browser requests; refuses others", () => {
    expect(originAllowed(req({ host: "127.0.0.1:8080", origin: "http://127.0.0.1:8080" }), [])).toBe(true);
    expect(originAllowed(req({ host: "127.0.0.1:8080" }), [])).toBe(true);
    expect(originAllowed(req({ host: "127.0.0.1:8080", origin: "http://127.0.0.1:5173" }), ["http://127.0.0.1:5173"])).toBe(true);
    expect(originAllowed(req({ host: "127.0.0.1:8080", origin: "https://evil.example" }), [])).toBe(false);
    expect(originAllowed(req({ host: "127.0.0.1:8080", origin: "http://127.0.0.1:8080.evil.example" }), [])).toBe(false);
  });
});
