// `GET /api/workshops/:id/export`: the workshop (or a saved version) as a document. Agreed
// sections by default; with nothing agreed the document says so in words.
import { analyzeWorkshop, buildExportModel, EXPORT_FORMATS, exportFileName, isExportFormat, toHtml, toMarkdown, type ExportModel } from "@crosswalk/shared";
import * as Y from "yjs";
import { ExportRenderer, RenderError } from "../export/ExportRenderer.js";
import type { Authenticated } from "../hooks/authenticate.js";
import { badRequest, HttpError, notFound } from "../http/HttpError.js";
import { readDocument } from "../room/readDocument.js";
import type { RoomRegistry } from "../room/RoomRegistry.js";
import type { Store } from "../store/Store.js";

const APPENDICES = ["consent", "reflections", "annotations", "crosswalk"] as const;

/** A rendered export. */
export interface ExportFile {
  bytes: Uint8Array;
  contentType: string;
  filename: string;
}

const FORMAT_NAMES = { docx: "Word document", pdf: "PDF" } as const;

/** A failed render as the 5xx answer a person can act on (the worker's own message goes nowhere near the client). */
function renderFailed(error: unknown, format: "docx" | "pdf"): Error {
  if (!(error instanceof RenderError)) return error instanceof Error ? error : new Error(String(error));
  const what = FORMAT_NAMES[format];
  switch (error.reason) {
    case "timeout":
      return new HttpError("unavailable", `Making the ${what} took too long and was stopped. Try again in a minute, or leave out some appendices.`);
    case "stopped":
      return new HttpError("unavailable", "The relay is restarting. Try again in a moment.");
    case "crashed":
    case "failed":
      return new HttpError("internal", `Making the ${what} failed on the server. Try again; the HTML and Markdown exports hold the same text.`);
  }
}

/** Builds export files: Markdown and HTML here, DOCX and PDF in the renderer's worker thread. */
export class ExportService {
  private readonly renderer: ExportRenderer;

  constructor(private readonly deps: { store: Store; registry: RoomRegistry; renderer?: ExportRenderer }) {
    this.renderer = deps.renderer ?? new ExportRenderer();
  }

  /** Stops the render worker (exports in flight fail with 503). */
  close(): Promise<void> {
    return this.renderer.close();
  }

  private async render(model: ExportModel, format: keyof typeof EXPORT_FORMATS): Promise<Uint8Array> {
    switch (format) {
      case "md":
        return new TextEncoder().encode(toMarkdown(model));
      case "html":
        return new TextEncoder().encode(toHtml(model));
      case "docx":
      case "pdf":
        return this.renderer.render(model, format).catch((error: unknown) => {
          throw renderFailed(error, format);
        });
    }
  }

  /** Exports per the query: format, scope, appendices, version. */
  async export(auth: Authenticated, query: URLSearchParams): Promise<ExportFile> {
    const format = query.get("format") ?? "docx";
    if (!isExportFormat(format)) throw badRequest("The format must be one of docx, pdf, md, html.", "format");
    const scope = query.get("scope") ?? "agreed";
    if (scope !== "agreed" && scope !== "all") throw badRequest("The scope must be agreed or all.", "scope");
    const wanted = (query.get("appendices") ?? "").split(",").filter((a) => a !== "");
    const unknown = wanted.filter((a) => !(APPENDICES as readonly string[]).includes(a));
    if (unknown.length > 0) throw badRequest(`Unknown appendix: ${unknown.join(", ")}. Choose from ${APPENDICES.join(", ")}.`, "appendices");
    const appendices = { consent: wanted.includes("consent"), reflections: wanted.includes("reflections"), annotations: wanted.includes("annotations"), crosswalk: wanted.includes("crosswalk") };
    const versionId = query.get("version");
    const id = auth.workshop.id;
    const modelOf = async (doc: Y.Doc, versionLabel: string | null): Promise<ExportModel> =>
      buildExportModel(doc, await analyzeWorkshop(doc), { scope, appendices, versionLabel, date: new Date() });
    const model = versionId ? await this.versionModel(id, versionId, modelOf) : await readDocument(this.deps.registry, this.deps.store, id, (doc) => modelOf(doc, null));
    // Rendered after the document is let go: a stored copy is not held while the file renders.
    return { bytes: await this.render(model, format), contentType: EXPORT_FORMATS[format].contentType, filename: exportFileName(model.title, model.date, format) };
  }

  private async versionModel(id: string, versionId: string, modelOf: (doc: Y.Doc, versionLabel: string) => Promise<ExportModel>): Promise<ExportModel> {
    const version = (await this.deps.store.listVersions(id)).find((v) => v.id === versionId);
    const state = version ? await this.deps.store.getVersionState(id, versionId) : null;
    if (!version || !state) throw notFound("There is no such version.");
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    try {
      return await modelOf(doc, version.label);
    } finally {
      doc.destroy();
    }
  }
}
