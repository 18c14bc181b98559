// The worker thread that renders DOCX and PDF exports (ExportRenderer.ts starts it). Rendering a
// 50-page workshop takes PDFKit or docx about a second of CPU; here that second is spent off
// the relay's main thread, which only builds the export model and posts it.
import { parentPort } from "node:worker_threads";
import type { ExportModel } from "@crosswalk/shared";
import { toDocx } from "./toDocx.js";
import { toPdf } from "./toPdf.js";

/** The formats rendered in the worker; Markdown and HTML are cheap and stay on the main thread. */
export type WorkerFormat = "docx" | "pdf";

/** A job: the model to render (plain data, structured-cloned on the way in). */
export interface RenderJob {
  id: number;
  format: WorkerFormat;
  model: ExportModel;
}

/** The file's bytes (the ArrayBuffer is transferred, not copied), or why rendering threw. */
export type RenderResult = { id: number; ok: true; bytes: ArrayBuffer } | { id: number; ok: false; error: string };

/** The bytes in an ArrayBuffer of their own, so it can be transferred without taking other data along. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

const port = parentPort;
if (!port) throw new Error("renderWorker.ts runs as a worker thread (see ExportRenderer.ts)");

port.on("message", (job: RenderJob) => {
  const render = job.format === "pdf" ? toPdf(job.model) : toDocx(job.model);
  render.then(
    (bytes) => {
      const buffer = ownBuffer(bytes);
      port.postMessage({ id: job.id, ok: true, bytes: buffer } satisfies RenderResult, [buffer]);
    },
    (error: unknown) => port.postMessage({ id: job.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies RenderResult),
  );
});
