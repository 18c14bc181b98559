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
});
