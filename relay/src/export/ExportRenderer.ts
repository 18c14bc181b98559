// DOCX and PDF files are rendered in a worker thread: a 50-page workshop costs PDFKit or docx
// about a second of CPU, and on the relay's one thread that second stalled saving and relaying
// for every other workshop. The main thread builds the export model (plain data) and posts it;
// one long-lived worker, started on first use, renders one job at a time and transfers the
// bytes back. A worker that dies or outlives the time limit is replaced, and the export it was
// rendering fails with a RenderError; the jobs queued behind it go to the new worker. The model
// of DecodeGuard.ts, which watches the decoding of untrusted updates the same way.
import { Worker } from "node:worker_threads";
import type { ExportModel } from "@crosswalk/shared";
import type { RenderJob, RenderResult, WorkerFormat } from "./renderWorker.js";

export type { WorkerFormat } from "./renderWorker.js";

/** Why a render failed: the worker died, took too long, threw, or the relay is stopping. */
export type RenderFailure = "crashed" | "timeout" | "failed" | "stopped";

/** A render that did not produce a file. */
export class RenderError extends Error {
  constructor(
    readonly reason: RenderFailure,
    message: string,
  ) {
    super(message);
    this.name = "RenderError";
  }
}

/** The worker's module and the Node options it starts with. */
export interface WorkerScript {
  url: URL;
  execArgv: string[];
}

/**
 * The render worker. The built relay runs dist/export/renderWorker.js beside this file. The
 * TypeScript sources (Vitest, tsx) have no .js beside them, so an inline bootstrap registers tsx
 * in the worker and imports renderWorker.ts, with @crosswalk/shared resolved to its source as
 * Vitest resolves it: tests render with exactly the code they test, without a build.
 */
export function renderWorkerScript(): WorkerScript {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { url: new URL("./renderWorker.js", here), execArgv: [] };
  // Node 20 does not apply `--import tsx` to worker threads, so the worker registers it itself.
  const code = `
    const { register } = await import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))});
    register();
    await import(${JSON.stringify(new URL("./renderWorker.ts", here).href)});`;
  return { url: new URL(`data:text/javascript,${encodeURIComponent(code)}`), execArgv: ["--conditions=source"] };
}

/** How the renderer runs its worker. */
export interface RendererOptions {
  /** Time one file may take to render before its worker is replaced (generous: a 50-page PDF takes about 2 s on a busy 2-core machine). */
  timeoutMs?: number;
  /** Heap limit of the worker: a runaway export ends the worker, never the relay. */
  maxHeapMb?: number;
  /** Called when a worker is replaced, with the reason (for the log). */
  onReplaced?: (reason: string) => void;
  /** Replaces the worker (tests use stand-ins that crash or hang on purpose). */
  script?: WorkerScript;
}

interface Pending {
  job: RenderJob;
  resolve(bytes: Uint8Array): void;
  reject(error: RenderError): void;
  timer: NodeJS.Timeout | null;
}

/** Renders DOCX and PDF files in one worker thread, a job at a time, under a time limit. */
export class ExportRenderer {
  private worker: Worker | null = null;
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly timeoutMs: number;
  private readonly maxHeapMb: number;
  private readonly onReplaced: (reason: string) => void;
  private readonly script: WorkerScript | undefined;

  constructor(options: RendererOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxHeapMb = options.maxHeapMb ?? 1024;
    this.onReplaced = options.onReplaced ?? (() => {});
    this.script = options.script;
  }

  /** The file's bytes; rejects with a RenderError when the worker fails it. */
  render(model: ExportModel, format: WorkerFormat): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new RenderError("stopped", "the relay is stopping"));
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { id: this.nextId++, format, model }, resolve, reject, timer: null });
      if (this.queue.length === 1) this.start();
    });
  }

  /** Terminates the worker; renders still queued fail with reason "stopped". */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new RenderError("stopped", "the relay is stopping"));
    }
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private spawn(): Worker {
    const { url, execArgv } = this.script ?? renderWorkerScript();
    const worker = new Worker(url, { execArgv, resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb } });
    worker.on("message", (result: RenderResult) => this.settle(result));
    // A worker that throws outside a job or runs out of heap emits "error" and then "exit"; one
    // that calls process.exit() only "exit". Either way it is gone: the first event replaces it.
    worker.on("error", (error) => this.lost(worker, `the export worker failed: ${error.message}`));
    worker.on("exit", (code) => this.lost(worker, `the export worker exited (code ${code})`));
    // Idle, it must not keep the relay's process alive; a render in flight is awaited by a request.
    worker.unref();
    return worker;
  }

  private start(): void {
    const head = this.queue[0];
    if (!head || this.closed) return;
    this.worker ??= this.spawn();
    const worker = this.worker;
    head.timer = setTimeout(() => this.lost(worker, `the export took longer than ${Math.round(this.timeoutMs / 1000)} s to render`, "timeout"), this.timeoutMs);
    head.timer.unref();
    try {
      worker.postMessage(head.job);
    } catch (error) {
      // Only plain data crosses to the worker; a model that cannot be cloned fails alone.
      this.queue.shift();
      clearTimeout(head.timer);
      head.reject(new RenderError("failed", `the export model could not be sent to the worker: ${error instanceof Error ? error.message : String(error)}`));
      this.start();
    }
  }

  private settle(result: RenderResult): void {
    const head = this.queue[0];
    if (!head || head.job.id !== result.id) return;
    this.queue.shift();
    if (head.timer) clearTimeout(head.timer);
    if (result.ok) head.resolve(new Uint8Array(result.bytes));
    else head.reject(new RenderError("failed", `rendering the ${head.job.format} failed: ${result.error}`));
    this.start();
  }

  /** `worker` died or hung: fail the job it had, start a new worker for the jobs behind it. */
  private lost(worker: Worker, reason: string, failure: RenderFailure = "crashed"): void {
    if (worker !== this.worker) return; // already replaced (its "exit" after "error", or after terminate())
    this.worker = null;
    void worker.terminate();
    const head = this.queue.shift();
    if (head?.timer) clearTimeout(head.timer);
    head?.reject(new RenderError(failure, reason));
    this.onReplaced(reason);
    this.start();
  }
}
