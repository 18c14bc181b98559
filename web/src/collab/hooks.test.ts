import { describe, expect, it } from "vitest";
import { contentKey } from "./hooks.js";

describe("contentKey (useDocValue keeps a value while its content stays the same)", () => {
  it("tells Maps and Sets apart by their content, which JSON.stringify does not", () => {
    expect(contentKey(new Map([["a", { level: "endorse" }]]))).not.toBe(contentKey(new Map()));
    expect(contentKey(new Map([["a", 1]]))).toBe(contentKey(new Map([["a", 1]])));
    expect(contentKey({ s: new Set([1]) })).not.toBe(contentKey({ s: new Set([2]) }));
    expect(contentKey(undefined)).toBe("undefined");
  });
});
