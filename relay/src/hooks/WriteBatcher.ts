// Group commit: updates arriving in the same turn of the event loop are appended in one
// transaction, so 20 typists cost one commit per turn rather than one per keystroke. Group sync:
// with a store that makes commits durable separately (SQLite: an fsync of the WAL off the relay's
// thread), every sync() asked for while one fsync runs shares the next one.
import type { PendingUpdate, Store } from "../store/Store.js";

interface Waiting extends PendingUpdate {
  resolve(seq: number): void;
  reject(error: unknown): void;
}

/** Runs a function soon (setImmediate by default; unit tests pass a manual scheduler). */
export type Schedule = (fn: () => void) => void;

/** Appends updates to a store in batches, resolving each once it is durable. */
export class WriteBatcher {
  private queue: Waiting[] = [];
  private scheduled = false;
  /** Commits under way (at most the store's concurrentAppends); updates arriving meanwhile go together in the next one. */
  private readonly committing = new Set<Promise<void>>();
  private readonly maxCommitting: number;
  /** Number of updates accepted but not yet committed. */
  pending = 0;
  /** The fsync under way, if any, and how many commits had finished when it started (it covers those). */
  private syncing: Promise<void> | null = null;
  private syncingCovers = 0;
  /** Commits finished so far. */
  private commits = 0;
  /** Callers waiting for the fsync after the one under way. */
  private nextSync: { promise: Promise<void>; resolve(): void; reject(error: unknown): void } | null = null;

  constructor(
    private readonly store: Store,
    private readonly schedule: Schedule = (fn) => setImmediate(fn),
    private readonly onCommit: (batchSize: number, millis: number) => void = () => {},
    private readonly onSync: (millis: number) => void = () => {},
  ) {
    this.maxCommitting = Math.max(1, store.concurrentAppends ?? 1);
  }

  /** Queues an update; the promise resolves with its sequence number once it is committed (see Store.appendUpdates). */
  append(docId: string, update: Uint8Array): Promise<number> {
    this.pending++;
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ docId, update, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.scheduled || this.committing.size >= this.maxCommitting) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  /**
   * Commits everything queued. With an asynchronous store (PostgreSQL) a commit takes a while;
   * whatever arrives meanwhile is committed in one batch as soon as a commit slot is free, never
   * one commit per turn queued behind it. With one slot (SQLite) batches commit one after another,
   * so sequence numbers follow acceptance order; with several, batches may finish out of order
   * (rooms order what they relay themselves, see Room.persist).
   */
  private flush(): void {
    this.scheduled = false;
    if (this.committing.size >= this.maxCommitting) return;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const commit = (async () => {
      const started = performance.now();
      try {
        const seqs = await this.store.appendUpdates(batch);
        this.commits++;
        this.onCommit(batch.length, performance.now() - started);
        batch.forEach((w, i) => w.resolve(seqs[i]!));
      } catch (error) {
        for (const w of batch) w.reject(error);
      } finally {
        this.pending -= batch.length;
      }
    })();
    this.committing.add(commit);
    void commit.then(() => {
      this.committing.delete(commit);
      if (this.queue.length > 0) this.flush();
    });
  }

  /**
   * Resolves once everything committed so far is durable on disk (at once for stores whose
   * commits are durable). The fsync under way serves the caller if no commit finished since it
   * started; otherwise the caller waits for the next one, which every such caller shares.
   */
  sync(): Promise<void> {
    if (!this.store.sync) return Promise.resolve();
    if (this.syncing && this.syncingCovers === this.commits) return this.syncing;
    if (!this.nextSync) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.nextSync = { promise, resolve, reject };
    }
    const waiting = this.nextSync.promise;
    if (!this.syncing) this.startSync();
    return waiting;
  }

  private startSync(): void {
    const waiting = this.nextSync;
    const sync = this.store.sync?.bind(this.store);
    if (!waiting || !sync) return;
    this.nextSync = null;
    this.syncingCovers = this.commits;
    const started = performance.now();
    this.syncing = waiting.promise;
    const done = (): void => {
      this.syncing = null;
      if (this.nextSync) this.startSync();
    };
    sync().then(
      () => {
        this.onSync(performance.now() - started);
        waiting.resolve();
        done();
      },
      (error: unknown) => {
        waiting.reject(error);
        done();
      },
    );
  }

  /** Resolves once everything queued so far is committed and synced (or has failed). */
  async drain(): Promise<void> {
    for (;;) {
      if (this.queue.length > 0 && this.committing.size < this.maxCommitting) this.flush();
      else if (this.committing.size > 0) await Promise.race(this.committing);
      else break;
    }
    await this.sync().catch(() => {});
  }
}
