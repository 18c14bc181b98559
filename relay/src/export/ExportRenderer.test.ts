// DOCX and PDF exports render in a worker thread (ExportRenderer.ts), so the relay's main thread
// keeps saving and relaying for every other workshop meanwhile; a worker that dies or hangs
// fails its own export and is replaced.
import { analyzeWorkshop, buildExportModel, colorForIndex, initializeWorkshop, type ExportModel, type Organization } from "@crosswalk/shared";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { Authenticated } from "../hooks/authenticate.js";
import { HttpError } from "../http/HttpError.js";
import type { RoomRegistry } from "../room/RoomRegistry.js";
import { MemoryStore } from "../store/MemoryStore.js";
import { ExportService } from "../workshops/ExportService.js";
import { ExportRenderer, RenderError, type WorkerScript } from "./ExportRenderer.js";
import { toPdf } from "./toPdf.js";

const ORGS: Organization[] = ["District", "Northgate University", "State Office", "Families United"].map((name, i) => ({ id: `org${i}`, name, kind: "other", color: colorForIndex(i) }));
const words = (n: number, seed: number): string => Array.from({ length: n }, (_, i) => ["equity", "leaders", "students", "families", "access", "belonging"][(i + seed) % 6]).join(" ");

/** A workshop of about fifty pages: every section filled, every appendix asked for. */
async function largeModel(): Promise<ExportModel> {
  const doc = new Y.Doc();
  initializeWorkshop(doc, {
    title: "Fifty pages",
    template: "full",
    createdAt: 0,
    organizations: ORGS,
    orgDefinitions: Object.fromEntries(ORGS.map((o, i) => [o.id, Array.from({ length: 12 }, (_, p) => words(120, i + p)).join("\n\n")])),
    sharedDraft: Array.from({ length: 40 }, (_, p) => words(150, p)).join("\n\n"),
    portrait: Array.from({ length: 12 }, (_, d) => ({ domain: `Domain ${d + 1}`, actions: Array.from({ length: 8 }, (_, i) => words(30, d + i)), lookFors: Array.from({ length: 8 }, (_, i) => words(25, d * i)) })),
  });
  const appendices = { consent: true, reflections: true, annotations: true, crosswalk: true };
  return buildExportModel(doc, await analyzeWorkshop(doc), { scope: "all", appendices, versionLabel: null, date: new Date("2026-01-26T12:00:00Z") });
}

async function smallModel(title = "Small"): Promise<ExportModel> {
  const doc = new Y.Doc();
  initializeWorkshop(doc, { title, template: "equity-definition", createdAt: 0, organizations: ORGS.slice(0, 2) });
  return buildExportModel(doc, await analyzeWorkshop(doc), { scope: "all", appendices: { consent: true, reflections: false, annotations: false, crosswalk: false }, versionLabel: null, date: new Date(0) });
}

/**
 * Runs `work` while the main thread spins through its event loop (setImmediate), counting the
 * turns it gets and the longest wait between two. Rendering on the main thread would leave it a
 * handful of turns in a second of layout; rendering in a worker leaves it free.
 */
async function mainThreadTurns<T>(work: () => Promise<T>): Promise<{ value: T; turns: number; longestGapMs: number; ms: number }> {
  let turns = 0;
  let longestGapMs = 0;
  let done = false;
  let last = performance.now();
  const spin = (): void => {
    const now = performance.now();
    longestGapMs = Math.max(longestGapMs, now - last);
    last = now;
    turns++;
    if (!done) setImmediate(spin);
  };
  const started = performance.now();
  setImmediate(spin);
  try {
    const value = await work();
    return { value, turns, longestGapMs, ms: performance.now() - started };
  } finally {
    done = true;
    longestGapMs = Math.max(longestGapMs, performance.now() - last);
  }
}

const pdfPages = (bytes: Uint8Array): number => (Buffer.from(bytes).toString("latin1").match(/\/Type \/Page\b/g) ?? []).length;

describe("ExportRenderer with the real worker", () => {
  const renderer = new ExportRenderer();
  afterAll(() => renderer.close());

  it("renders DOCX and PDF files that are the same as rendering them in place", async () => {
    const model = await smallModel();
    const docx = await renderer.render(model, "docx");
    expect(Buffer.from(docx.subarray(0, 4)).toString("latin1")).toBe("PK\x03\x04");
    const pdf = await renderer.render(model, "pdf");
    const inPlace = await toPdf(model);
    // Only the creation date and the file ID (a hash of it) may differ.
    const normalize = (b: Uint8Array): string => Buffer.from(b).toString("latin1").replace(/\(D:\d{14}Z\)/g, "").replace(/\/ID \[<\w+> <\w+>\]/g, "");
    expect(normalize(pdf)).toBe(normalize(inPlace));
    // The second PDF reuses the fonts the first parsed (pdfFonts.ts), to the same bytes.
    expect(normalize(await renderer.render(model, "pdf"))).toBe(normalize(inPlace));
  }, 60_000);

  it("a fifty-page PDF renders while the main thread keeps turning (it would stall on a render in place)", async () => {
    const model = await largeModel();
    await renderer.render(await smallModel(), "pdf"); // the worker is started and warm
    const { value: pdf, turns, longestGapMs, ms } = await mainThreadTurns(() => renderer.render(model, "pdf"));
    console.log(`fifty-page PDF in the worker: ${pdfPages(pdf)} pages in ${ms.toFixed(0)} ms; the main thread turned ${turns} times, longest gap ${longestGapMs.toFixed(1)} ms`);
    expect(pdfPages(pdf)).toBeGreaterThanOrEqual(40);
    // Hundreds of turns a second even on a loaded 2-core machine; a render in place gives a few.
    expect(turns).toBeGreaterThanOrEqual(200);
  }, 120_000);
});

/**
 * A stand-in worker (as DecodeGuard.test.ts uses one) that answers by the model's title: exits,
 * throws outside the job, hangs, fails the job, or "renders" the title as the file.
 */
const STAND_IN: WorkerScript = {
  url: new URL(
    `data:text/javascript,${encodeURIComponent(`
      import { parentPort } from "node:worker_threads";
      parentPort.on("message", (job) => {
        const title = job.model.title;
        if (title === "exit") process.exit(7);
        if (title === "throw") setImmediate(() => { throw new Error("the renderer broke"); });
        if (title === "hang") for (;;) {}
        if (title === "fail") return parentPort.postMessage({ id: job.id, ok: false, error: "no such font" });
        if (title === "throw") return;
        const bytes = new TextEncoder().encode(job.format + ":" + title).buffer;
        parentPort.postMessage({ id: job.id, ok: true, bytes }, [bytes]);
      });`)}`,
  ),
  execArgv: [],
};

const model = (title: string): ExportModel => ({ title }) as ExportModel;
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

async function failure(render: Promise<Uint8Array>): Promise<RenderError> {
  const error: unknown = await render.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof RenderError)) throw new Error(`expected a RenderError, got ${String(error)}`);
  return error;
}

describe("ExportRenderer when its worker fails", () => {
  it("a worker that exits mid-export fails that export (crashed); the exports queued behind it render on a new worker", async () => {
    const replaced: string[] = [];
    const renderer = new ExportRenderer({ script: STAND_IN, onReplaced: (r) => replaced.push(r) });
    try {
      const dying = renderer.render(model("exit"), "pdf");
      const behind = renderer.render(model("after"), "docx");
      const error = await failure(dying);
      expect(error.reason).toBe("crashed");
      expect(error.message).toBe("the export worker exited (code 7)");
      expect(text(await behind)).toBe("docx:after");
      expect(replaced).toEqual(["the export worker exited (code 7)"]);
      expect(text(await renderer.render(model("next"), "pdf"))).toBe("pdf:next");
    } finally {
      await renderer.close();
    }
  });

  it("a worker that throws outside a job fails that export (crashed) and is replaced", async () => {
    const renderer = new ExportRenderer({ script: STAND_IN });
    try {
      const error = await failure(renderer.render(model("throw"), "pdf"));
      expect(error.reason).toBe("crashed");
      expect(error.message).toBe("the export worker failed: the renderer broke");
      expect(text(await renderer.render(model("next"), "pdf"))).toBe("pdf:next");
    } finally {
      await renderer.close();
    }
  });

  it("a worker that hangs is replaced after the time limit (timeout); the export behind it renders", async () => {
    const renderer = new ExportRenderer({ script: STAND_IN, timeoutMs: 300 });
    try {
      const stuck = renderer.render(model("hang"), "pdf");
      const behind = renderer.render(model("after"), "pdf");
      const error = await failure(stuck);
      expect(error.reason).toBe("timeout");
      expect(text(await behind)).toBe("pdf:after");
    } finally {
      await renderer.close();
    }
  });

  it("a render that throws fails alone (failed); the same worker renders the next", async () => {
    const replaced: string[] = [];
    const renderer = new ExportRenderer({ script: STAND_IN, onReplaced: (r) => replaced.push(r) });
    try {
      const error = await failure(renderer.render(model("fail"), "docx"));
      expect(error.reason).toBe("failed");
      expect(error.message).toBe("rendering the docx failed: no such font");
      expect(text(await renderer.render(model("next"), "docx"))).toBe("docx:next");
      expect(replaced).toEqual([]);
    } finally {
      await renderer.close();
    }
  });

  it("close() fails the exports in flight and queued (stopped), and later ones", async () => {
    const renderer = new ExportRenderer({ script: STAND_IN });
    const stuck = failure(renderer.render(model("hang"), "pdf"));
    const queued = failure(renderer.render(model("after"), "pdf"));
    await renderer.close();
    expect((await stuck).reason).toBe("stopped");
    expect((await queued).reason).toBe("stopped");
    expect((await failure(renderer.render(model("late"), "pdf"))).reason).toBe("stopped");
  });
});

describe("GET /api/workshops/:id/export when rendering fails (ExportService)", () => {
  /** An ExportService over a stored workshop titled `title` (no live room), rendering with the stand-in. */
  async function service(title: string, timeoutMs?: number): Promise<{ exports: ExportService; auth: Authenticated }> {
    const store = new MemoryStore();
    const doc = new Y.Doc();
    initializeWorkshop(doc, { title, template: "equity-definition", createdAt: 0, organizations: ORGS.slice(0, 2) });
    const record = { id: "w1", title, template: "equity-definition" as const, createdAt: 0, schemaVersion: 1, organizations: ORGS.slice(0, 2), linkGenerations: {} };
    await store.createWorkshop(record, Y.encodeStateAsUpdate(doc));
    const registry = { peek: () => null } as unknown as RoomRegistry;
    const renderer = new ExportRenderer({ script: STAND_IN, ...(timeoutMs ? { timeoutMs } : {}) });
    const auth: Authenticated = { ok: true, workshop: record, principal: { workshopId: "w1", role: "facilitator", orgId: null } };
    return { exports: new ExportService({ store, registry, renderer }), auth };
  }

  async function answer(exports: ExportService, auth: Authenticated, format: string): Promise<HttpError> {
    const error: unknown = await exports.export(auth, new URLSearchParams({ format })).then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(error)}`);
    return error;
  }

  it("a crashed worker is a 500 that says what failed; the next export is rendered", async () => {
    const { exports, auth } = await service("exit");
    try {
      const error = await answer(exports, auth, "pdf");
      expect([error.status, error.code]).toEqual([500, "internal"]);
      expect(error.message).toBe("Making the PDF failed on the server. Try again; the HTML and Markdown exports hold the same text.");
      // Markdown never goes near the worker.
      expect(new TextDecoder().decode((await exports.export(auth, new URLSearchParams({ format: "md", scope: "all" }))).bytes)).toContain("# exit");
    } finally {
      await exports.close();
    }
  });

  it("a render past the time limit is a 503; after close() exports are 503 too", async () => {
    const { exports, auth } = await service("hang", 300);
    const error = await answer(exports, auth, "docx");
    expect([error.status, error.code]).toEqual([503, "unavailable"]);
    expect(error.message).toBe("Making the Word document took too long and was stopped. Try again in a minute, or leave out some appendices.");
    await exports.close();
    expect((await answer(exports, auth, "pdf")).status).toBe(503);
  });

  it("a rendered file is answered with its type and name", async () => {
    const { exports, auth } = await service("ok");
    try {
      const file = await exports.export(auth, new URLSearchParams({ format: "docx" }));
      expect(new TextDecoder().decode(file.bytes)).toBe("docx:ok");
      expect(file.filename).toMatch(/^ok-\d{4}-\d{2}-\d{2}\.docx$/);
    } finally {
      await exports.close();
    }
  });
});
