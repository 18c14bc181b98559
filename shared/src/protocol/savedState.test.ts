import { describe, expect, it } from "vitest";
import { acknowledgedKind, isSaved, mergeStateVectors, SaveTracker } from "./savedState.js";

const STEP1 = Uint8Array.of(0, 0, 1, 0);
const STEP2 = Uint8Array.of(0, 1, 2, 0, 0);
const UPDATE = Uint8Array.of(0, 2, 2, 0, 0);
const AWARENESS = Uint8Array.of(1, 3, 1, 2, 3);

describe("isSaved", () => {
  it("is saved when the relay's acknowledgement covers every local struct", () => {
    expect(isSaved(new Map([[1, 5]]), new Map([[1, 5]]), new Map())).toBe(true);
    expect(isSaved(new Map([[1, 6]]), new Map([[1, 5]]), new Map())).toBe(false);
  });

  it("counts what was received from the relay as stored", () => {
    expect(isSaved(new Map([[1, 3], [2, 9]]), new Map([[1, 3]]), new Map([[2, 9]]))).toBe(true);
  });

  it("treats edits loaded from IndexedDB by an earlier session as unsaved until acknowledged", () => {
    expect(isSaved(new Map([[7, 4]]), new Map(), new Map())).toBe(false);
  });

  it("merges state vectors upwards only", () => {
    const sv = new Map([[1, 5]]);
    mergeStateVectors(sv, new Map([[1, 3], [2, 1]]));
    expect([...sv]).toEqual([[1, 5], [2, 1]]);
  });
});

describe("SaveTracker (acknowledgements counted per socket)", () => {
  it("knows which messages the relay acknowledges", () => {
    expect([STEP1, STEP2, UPDATE, AWARENESS, Uint8Array.of(3)].map(acknowledgedKind)).toEqual([null, "step2", "update", null, null]);
  });

  it("counts binary messages given as Uint8Array or ArrayBuffer, and ignores text", () => {
    const t = new SaveTracker();
    const ws = {};
    t.sent(ws, UPDATE.slice().buffer);
    t.sent(ws, "text");
    t.acknowledged(ws);
    expect(t.saved(ws)).toBe(true);
    t.sent(ws, UPDATE);
    expect(t.saved(ws)).toBe(false);
  });

  it("an update sent is unsaved until its acknowledgement arrives; awareness and sync step 1 need none", () => {
    const t = new SaveTracker();
    const ws = {};
    t.sent(ws, STEP1);
    t.sent(ws, AWARENESS);
    expect(t.saved(ws)).toBe(true);
    t.localChange(true);
    t.sent(ws, UPDATE);
    t.sent(ws, UPDATE);
    expect(t.saved(ws)).toBe(false);
    t.acknowledged(ws);
    expect(t.saved(ws)).toBe(false);
    t.acknowledged(ws);
    expect(t.saved(ws)).toBe(true);
  });

  it("a change made offline (a deletion moves no clock) stays unsaved until a sync step 2 sent after it is acknowledged", () => {
    const t = new SaveTracker();
    const first = {};
    t.sent(first, STEP2);
    t.acknowledged(first);
    expect(t.saved(first)).toBe(true);
    t.closed(first);
    expect(t.saved(null)).toBe(true);
    t.localChange(false);
    expect(t.saved(null)).toBe(false);
    const second = {};
    t.sent(second, STEP1);
    expect(t.saved(second)).toBe(false);
    t.sent(second, STEP2);
    t.sent(second, UPDATE);
    t.acknowledged(second);
    expect(t.saved(second), "one of two acknowledged").toBe(false);
    t.acknowledged(second);
    expect(t.saved(second)).toBe(true);
  });

  it("a sync step 2 sent before the offline change does not clear it", () => {
    const t = new SaveTracker();
    const ws = {};
    t.sent(ws, STEP2);
    t.localChange(false);
    t.acknowledged(ws);
    expect(t.saved(ws)).toBe(false);
  });

  it("a socket that closes with messages unacknowledged leaves the document unsaved until the next socket's step 2 is", () => {
    const t = new SaveTracker();
    const first = {};
    t.sent(first, STEP2);
    t.acknowledged(first);
    t.localChange(true);
    t.sent(first, UPDATE);
    t.closed(first);
    expect(t.saved(null)).toBe(false);
    const second = {};
    expect(t.saved(second)).toBe(false);
    t.sent(second, STEP2);
    t.acknowledged(second);
    expect(t.saved(second)).toBe(true);
  });

  it("acknowledgements arriving from an old socket after a new one opened do not count for the new one", () => {
    const t = new SaveTracker();
    const old = {};
    const fresh = {};
    t.sent(fresh, UPDATE);
    t.acknowledged(old);
    expect(t.saved(fresh)).toBe(false);
  });
});
