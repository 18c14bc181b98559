// Group commit: updates arriving in the same turn of the event loop are appended in one
// transaction, so 20 typists cost one fsync per turn rather than one per keystroke.
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
  /** The commit under way; updates arriving meanwhile wait and go together in the next one. */
  private committing: Promise<void> | null = null;
  /** Number of updates accepted but not yet durable. */
  pending = 0;

  constructor(
    private readonly store: Store,
    private readonly schedule: Schedule = (fn) => setImmediate(fn),
    private readonly onCommit: (batchSize: number, millis: number) => void = () => {},
  ) {}

  /** Queues an update; the promise resolves with its sequence number once it is durable. */
  append(docId: string, update: Uint8Array): Promise<number> {
    this.pending++;
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ docId, update, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.scheduled || this.committing) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  /**
   * Commits everything queued. With an asynchronous store (PostgreSQL) a commit takes a while;
   * whatever arrives meanwhile is committed in one batch right after, never one commit per turn
   * queued behind it. Batches commit one after another, so sequence numbers follow acceptance order.
   */
  private flush(): void {
    this.scheduled = false;
    if (this.committing) return;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    this.committing = (async () => {
      const started = performance.now();
      try {
        const seqs = await this.store.appendUpdates(batch);
        this.onCommit(batch.length, performance.now() - started);
        batch.forEach((w, i) => w.resolve(seqs[i]!));
      } catch (error) {
        for (const w of batch) w.reject(error);
      } finally {
        this.pending -= batch.length;
        this.committing = null;
        if (this.queue.length > 0) this.flush();
      }
    })();
  }

  /** Resolves once everything queued so far is durable (or has failed). */
  async drain(): Promise<void> {
    for (;;) {
      if (this.committing) await this.committing;
      else if (this.queue.length > 0) this.flush();
      else return;
    }
  }
}
