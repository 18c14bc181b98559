import { describe, expect, it } from "vitest";
import { MemoryStore } from "../store/MemoryStore.js";
import type { PendingUpdate } from "../store/Store.js";
import { WriteBatcher } from "./WriteBatcher.js";

/** A store whose commits finish only when the test says so, like PostgreSQL's round trips. */
class SlowStore extends MemoryStore {
  readonly batches: number[] = [];
  private readonly waiting: Array<() => void> = [];

  override async appendUpdates(batch: readonly PendingUpdate[]): Promise<number[]> {
    this.batches.push(batch.length);
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return super.appendUpdates(batch);
  }

  finishOne(): void {
    this.waiting.shift()?.();
  }

  get inFlight(): number {
    return this.waiting.length;
  }
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("WriteBatcher", () => {
  it("updates arriving while a slow commit is under way go together in the next commit, in order", async () => {
    const store = new SlowStore();
    const batcher = new WriteBatcher(store);
    const first = batcher.append("d", Uint8Array.of(0));
    await turn();
    expect(store.batches).toEqual([1]);
    const later: Array<Promise<number>> = [];
    for (let i = 1; i <= 9; i++) {
      later.push(batcher.append("d", Uint8Array.of(i)));
      await turn(); // each in its own turn of the event loop
    }
    expect(store.batches).toEqual([1]); // nothing else started while the first is in flight
    expect(batcher.pending).toBe(10);
    store.finishOne();
    const seq0 = await first;
    await turn();
    expect(store.batches).toEqual([1, 9]);
    expect(store.inFlight).toBe(1);
    store.finishOne();
    const seqs = await Promise.all(later);
    expect(seqs).toEqual(seqs.map((_, i) => seq0 + 1 + i));
    expect(batcher.pending).toBe(0);
  });

  it("drain waits for the commit under way and for what queued behind it", async () => {
    const store = new SlowStore();
    const batcher = new WriteBatcher(store);
    void batcher.append("d", Uint8Array.of(1));
    await turn();
    void batcher.append("d", Uint8Array.of(2));
    let drained = false;
    const drain = batcher.drain().then(() => (drained = true));
    store.finishOne();
    await turn();
    expect(drained).toBe(false);
    store.finishOne();
    await drain;
    expect(store.batches).toEqual([1, 1]);
    expect((await store.loadDocument("d")).updates.map((u) => u[0])).toEqual([1, 2]);
  });

  it("a failed commit rejects its updates; the next batch still commits", async () => {
    const store = new MemoryStore();
    const batcher = new WriteBatcher(store);
    store.failNextAppend = new Error("disk full");
    const failed = batcher.append("d", Uint8Array.of(1));
    await expect(failed).rejects.toThrow("disk full");
    await expect(batcher.append("d", Uint8Array.of(2))).resolves.toBeGreaterThan(0);
    expect(batcher.pending).toBe(0);
  });

  it("sync(): callers during an fsync share the next one, which covers their commits; drain waits for it", async () => {
    class SyncStore extends MemoryStore {
      readonly syncs: Array<() => void> = [];
      sync(): Promise<void> {
        return new Promise<void>((resolve) => this.syncs.push(resolve));
      }
    }
    const store = new SyncStore();
    const syncs: number[] = [];
    const batcher = new WriteBatcher(store, undefined, undefined, (ms) => syncs.push(ms));
    await batcher.append("d", Uint8Array.of(1));
    let first = false;
    const a = batcher.sync().then(() => (first = true));
    expect(store.syncs).toHaveLength(1);
    await batcher.append("d", Uint8Array.of(2));
    let later = 0;
    const b = batcher.sync().then(() => later++);
    const c = batcher.sync().then(() => later++);
    expect(store.syncs, "the fsync under way may have started before the second commit").toHaveLength(1);
    store.syncs.shift()!();
    await a;
    expect(first).toBe(true);
    expect(later).toBe(0);
    await turn();
    expect(store.syncs, "one fsync for both later callers").toHaveLength(1);
    let drained = false;
    const drain = batcher.drain().then(() => (drained = true));
    await turn();
    expect(drained).toBe(false);
    store.syncs.shift()!();
    await Promise.all([b, c]);
    expect(later).toBe(2);
    store.syncs.shift()?.();
    await drain;
    expect(syncs.length).toBeGreaterThanOrEqual(2);
  });

  it("a store without sync() is durable at commit: sync() resolves at once", async () => {
    const batcher = new WriteBatcher(new MemoryStore());
    await batcher.append("d", Uint8Array.of(1));
    await expect(batcher.sync()).resolves.toBeUndefined();
  });

  it("a store that takes several commits at once gets them: what arrives during a commit goes out without waiting for it", async () => {
    class ConcurrentStore extends SlowStore {
      readonly concurrentAppends = 2;
    }
    const store = new ConcurrentStore();
    const batcher = new WriteBatcher(store);
    const first = batcher.append("d", Uint8Array.of(1));
    await turn();
    const second = batcher.append("d", Uint8Array.of(2));
    await turn();
    expect(store.inFlight, "two commits under way").toBe(2);
    const third = batcher.append("d", Uint8Array.of(3));
    await turn();
    expect(store.inFlight, "no third slot").toBe(2);
    store.finishOne();
    await first;
    await turn();
    expect(store.inFlight, "the freed slot takes what waited").toBe(2);
    store.finishOne();
    store.finishOne();
    await Promise.all([second, third]);
    await batcher.drain();
    expect(store.batches).toEqual([1, 1, 1]);
  });
});
