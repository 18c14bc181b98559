// A watchdog over the parsing of untrusted updates: a crafted update can make Yjs loop or
// allocate without bound (yjs#479, yjs#687; try/catch cannot stop a loop), so every update is
// first decoded in a worker thread within a time limit. A worker that does not answer in
// time is terminated and replaced; the update that hung it is refused (4400); jobs queued
// behind it are sent again to the new worker. The main thread then parses only bytes that
// are known to parse, so no crafted update can freeze other workshops.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/** A job: an update received. */
interface DecodeJob {
  id: number;
  received: Uint8Array;
}

/**
 * The worker's verdict: the relay may parse these bytes itself. With it, the lowest clock of the
 * update's structs per client (pairs), so the relay sees whether it skips clocks without parsing it.
 */
type DecodeResult = { id: number; ok: true; from: number[] } | { id: number; ok: false; error: string };

/** The guard's answer for one update. */
export type GuardVerdict = { ok: true; from: Map<number, number> } | { ok: false; reason: string; hung: boolean };

interface Pending {
  job: DecodeJob;
  resolve(v: GuardVerdict): void;
  timer: NodeJS.Timeout | null;
}

/**
 * The decoding worker, as a module of its own: it decodes the update as the room will. Kept inline (a data: URL) so the built
 * relay and its TypeScript tests run the very same worker.
 */
function workerUrl(): { url: URL; execArgv: string[] } {
  const yjs = pathToFileURL(createRequire(import.meta.url).resolve("yjs")).href;
  // Jobs are answered in batches: everything that arrived together goes back in one message, so
  // the relay receives a burst of updates in one turn and commits them in one transaction.
  const code = `
    import Y from ${JSON.stringify(yjs)};
    import { parentPort } from "node:worker_threads";
    let out = [];
    const flush = () => { const batch = out; out = []; parentPort.postMessage(batch); };
    parentPort.on("message", (job) => {
      try {
        const from = new Map();
        for (const s of Y.decodeUpdate(job.received).structs) {
          const c = s.id.client;
          if (!from.has(c) || s.id.clock < from.get(c)) from.set(c, s.id.clock);
        }
        out.push({ id: job.id, ok: true, from: [...from].flat() });
      } catch (error) {
        out.push({ id: job.id, ok: false, error: error instanceof Error ? error.message : String(error) });
      }
      if (out.length === 1) setImmediate(flush);
    });`;
  return { url: new URL(`data:text/javascript,${encodeURIComponent(code)}`), execArgv: [] };
}

/** [client, clock, client, clock, …] as a map. */
function pairs(flat: number[]): Map<number, number> {
  const map = new Map<number, number>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i]!, flat[i + 1]!);
  return map;
}

class GuardWorker {
  private worker: Worker;
  /** Jobs sent to the worker and not answered yet, oldest first; the watchdog times the oldest. */
  private readonly queue: Pending[] = [];

  constructor(
    private readonly timeoutMs: number,
    private readonly onHang: (reason: string) => void,
    private readonly script: { url: URL; execArgv: string[] },
  ) {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const { url, execArgv } = this.script;
    const worker = new Worker(url, { execArgv, resourceLimits: { maxOldGenerationSizeMb: 256 } });
    worker.on("message", (results: DecodeResult[]) => {
      if (worker === this.worker) for (const r of results) this.settle(r);
    });
    worker.on("error", (error) => {
      if (worker === this.worker) this.replace(`decoder worker failed: ${error.message}`);
    });
    worker.unref();
    return worker;
  }

  get load(): number {
    return this.queue.length;
  }

  /** Sends the job at once (the worker works through them in order) and times it once it is the oldest. */
  submit(job: DecodeJob): Promise<GuardVerdict> {
    return new Promise((resolve) => {
      this.queue.push({ job, resolve, timer: null });
      this.worker.postMessage(job);
      if (this.queue.length === 1) this.watch();
    });
  }

  private watch(): void {
    const head = this.queue[0];
    if (head && !head.timer) head.timer = setTimeout(() => this.replace("the update took too long to decode"), this.timeoutMs);
  }

  private settle(result: DecodeResult): void {
    const head = this.queue[0];
    if (!head || head.job.id !== result.id) return;
    this.queue.shift();
    if (head.timer) clearTimeout(head.timer);
    head.resolve(result.ok ? { ok: true, from: pairs(result.from) } : { ok: false, reason: `undecodable update: ${result.error}`, hung: false });
    this.watch();
  }

  /** The oldest job hung (or the worker died): refuse it, restart the worker, send it the rest again. */
  private replace(reason: string): void {
    const head = this.queue.shift();
    if (head?.timer) clearTimeout(head.timer);
    void this.worker.terminate();
    this.worker = this.spawn();
    head?.resolve({ ok: false, reason, hung: true });
    this.onHang(reason);
    for (const p of this.queue) this.worker.postMessage(p.job);
    this.watch();
  }

  async close(): Promise<void> {
    for (const p of this.queue.splice(0)) {
      if (p.timer) clearTimeout(p.timer);
      p.resolve({ ok: false, reason: "the relay is stopping", hung: false });
    }
    await this.worker.terminate();
  }
}

/** Updates larger than this are decoded by the heavy lane's worker (see DecodeGuard). */
export const HEAVY_UPDATE_BYTES = 64 * 1024;

/**
 * A pool of decoding workers with a time limit per update, in two lanes: updates up to
 * HEAVY_UPDATE_BYTES (nearly every keystroke, paste and record) go to the light workers; larger
 * ones to a worker of their own. A large update takes a worker a tenth of a second or more, and
 * in one queue a client sending many of them would hold up every other workshop's keystrokes.
 */
export class DecodeGuard {
  private readonly light: GuardWorker[];
  private readonly heavy: GuardWorker;
  private nextId = 1;

  /** `script` replaces the decoding worker (tests use one that hangs on purpose). */
  constructor(size: number, timeoutMs: number, onHang: (reason: string) => void = () => {}, script: { url: URL; execArgv: string[] } = workerUrl()) {
    this.light = Array.from({ length: Math.max(1, size) }, () => new GuardWorker(timeoutMs, onHang, script));
    this.heavy = new GuardWorker(timeoutMs, onHang, script);
  }

  /** Checks that `received` decodes in time. */
  check(received: Uint8Array): Promise<GuardVerdict> {
    const worker = received.length > HEAVY_UPDATE_BYTES ? this.heavy : this.light.reduce((a, b) => (b.load < a.load ? b : a));
    return worker.submit({ id: this.nextId++, received });
  }

  async close(): Promise<void> {
    await Promise.all([...this.light, this.heavy].map((w) => w.close()));
  }
}
