// The HTTP API of ../shared/CONTRACT.md ("HTTP API"): a small table of routes over the
// workshop service. Errors become `{"error": ...}` in sendError, nowhere else.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TokenSigner } from "../auth/tokens.js";
import { authenticate, type Authenticated } from "../hooks/authenticate.js";
import type { Store } from "../store/Store.js";
import type { ExportService } from "../workshops/ExportService.js";
import { importToHtml } from "../workshops/importDocument.js";
import type { ReflectionService } from "../workshops/ReflectionService.js";
import type { VersionService } from "../workshops/VersionService.js";
import type { WorkshopService } from "../workshops/WorkshopService.js";
import { HttpError, methodNotAllowed, notFound, sendError, sendJson, unauthorized } from "./HttpError.js";
import { readJson } from "./readJson.js";
import { readRaw } from "./readRaw.js";

/** What the API needs. */
export interface ApiDeps {
  store: Store;
  signer: TokenSigner;
  workshops: WorkshopService;
  reflections: ReflectionService;
  versions: VersionService;
  exports: ExportService;
  maxBodyBytes: number;
  /** Largest file a section can import (413 above it). */
  maxImportBytes: number;
  /** When set, creating a workshop requires this bearer token. */
  createToken: string | null;
}

/** A JSON answer, or bytes with their type (downloads). */
type Answer = { status: number; body: unknown } | { status: number; raw: Uint8Array; contentType: string; filename?: string };
type Handler = (req: IncomingMessage, params: string[]) => Promise<Answer>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

/** The bearer token of a request (`Authorization: Bearer`, or `?token=` for download links). */
export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith("Bearer ")) return header.slice(7).trim();
  const url = new URL(req.url ?? "/", "http://relay");
  return url.searchParams.get("token");
}

/** Builds the API's request handler; returns false for paths it does not serve. */
export function createApi(deps: ApiDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const auth = async (req: IncomingMessage, workshopId: string): Promise<Authenticated> => {
    const result = await authenticate(deps.store, deps.signer, workshopId, bearerToken(req));
    if (result.ok) return result;
    throw result.reason === "unknown-workshop" ? notFound() : unauthorized();
  };

  const requireCreateToken = (req: IncomingMessage): void => {
    if (deps.createToken !== null && bearerToken(req) !== deps.createToken) {
      throw new HttpError("unauthorized", "Creating a workshop needs the server's create token (Authorization: Bearer …).");
    }
  };

  const routes: Route[] = [
    {
      method: "POST",
      pattern: /^\/api\/workshops$/,
      handler: async (req) => {
        requireCreateToken(req);
        return { status: 201, body: await deps.workshops.create(await readJson(req, deps.maxBodyBytes)) };
      },
    },
    {
      method: "POST",
      pattern: /^\/api\/workshops\/sample$/,
      handler: async (req) => {
        requireCreateToken(req);
        return { status: 201, body: await deps.workshops.createSample() };
      },
    },
    {
      method: "GET",
      pattern: /^\/api\/workshops\/([^/]+)$/,
      handler: async (req, [id]) => ({ status: 200, body: await deps.workshops.info(await auth(req, id!)) }),
    },
    {
      method: "GET",
      pattern: /^\/api\/workshops\/([^/]+)\/analysis$/,
      handler: async (req, [id]) => ({ status: 200, body: await deps.workshops.analysis(await auth(req, id!)) }),
    },
    {
      method: "POST",
      pattern: /^\/api\/workshops\/([^/]+)\/flags\/([^/]+)\/statements$/,
      handler: async (req, [id, flagId]) => {
        const who = await auth(req, id!);
        return { status: 201, body: await deps.reflections.submit(who, flagId!, await readJson(req, deps.maxBodyBytes)) };
      },
    },
    {
      method: "GET",
      pattern: /^\/api\/workshops\/([^/]+)\/flags\/([^/]+)\/statements$/,
      handler: async (req, [id, flagId]) => ({ status: 200, body: await deps.reflections.status(await auth(req, id!), flagId!) }),
    },
    {
      method: "POST",
      pattern: /^\/api\/workshops\/([^/]+)\/flags\/([^/]+)\/reveal$/,
      handler: async (req, [id, flagId]) => ({ status: 200, body: await deps.reflections.reveal(await auth(req, id!), flagId!) }),
    },
    {
      method: "POST",
      pattern: /^\/api\/workshops\/([^/]+)\/versions$/,
      handler: async (req, [id]) => {
        const who = await auth(req, id!);
        return { status: 201, body: await deps.versions.create(who, await readJson(req, deps.maxBodyBytes)) };
      },
    },
    {
      method: "GET",
      pattern: /^\/api\/workshops\/([^/]+)\/versions$/,
      handler: async (req, [id]) => ({ status: 200, body: await deps.versions.list(await auth(req, id!)) }),
    },
    {
      method: "GET",
      pattern: /^\/api\/workshops\/([^/]+)\/versions\/([^/]+)$/,
      handler: async (req, [id, versionId]) => ({ status: 200, raw: await deps.versions.state(await auth(req, id!), versionId!), contentType: "application/octet-stream" }),
    },
    {
      method: "GET",
      pattern: /^\/api\/workshops\/([^/]+)\/export$/,
      handler: async (req, [id]) => {
        const file = await deps.exports.export(await auth(req, id!), new URL(req.url ?? "/", "http://relay").searchParams);
        return { status: 200, raw: file.bytes, contentType: file.contentType, filename: file.filename };
      },
    },
    {
      method: "GET",
      pattern: /^\/api\/workshops\/([^/]+)\/deletions$/,
      handler: async (req, [id]) => ({ status: 200, body: await deps.versions.deletions(await auth(req, id!)) }),
    },
    {
      method: "POST",
      pattern: /^\/api\/workshops\/([^/]+)\/import$/,
      handler: async (req, [id]) => {
        const who = await auth(req, id!);
        if (who.principal.role === "observer") throw new HttpError("forbidden", "Observers cannot import into a section.");
        const format = new URL(req.url ?? "/", "http://relay").searchParams.get("format");
        if (format !== "docx" && format !== "md") throw new HttpError("bad_request", "Import a Word document (.docx) or a Markdown file (.md).", "format");
        return { status: 200, body: { html: await importToHtml(format, await readRaw(req, deps.maxImportBytes)) } };
      },
    },
    {
      method: "GET",
      pattern: /^\/api\/workshops\/([^/]+)\/links$/,
      handler: async (req, [id]) => ({ status: 200, body: await deps.workshops.links(await auth(req, id!)) }),
    },
    {
      method: "POST",
      pattern: /^\/api\/workshops\/([^/]+)\/organizations$/,
      handler: async (req, [id]) => {
        const who = await auth(req, id!);
        return { status: 201, body: await deps.workshops.addOrganization(who, await readJson(req, deps.maxBodyBytes)) };
      },
    },
    {
      method: "POST",
      pattern: /^\/api\/workshops\/([^/]+)\/organizations\/([^/]+)\/rotate$/,
      handler: async (req, [id, orgId]) => ({ status: 200, body: await deps.workshops.rotateLink(await auth(req, id!), orgId!) }),
    },
  ];

  return (req, res) => {
    const pathname = (req.url ?? "/").split("?")[0]!;
    if (pathname === "/healthz") {
      sendJson(res, 200, { ok: true });
      return true;
    }
    if (!pathname.startsWith("/api/")) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      sendError(res, notFound("There is no such API route."));
      return true;
    }
    const matching = routes.filter((r) => r.pattern.test(decoded));
    const route = matching.find((r) => r.method === req.method);
    if (!route) {
      // Unknown workshop → 404 on every /api/workshops/:id… route, whatever the method.
      sendError(res, matching.length > 0 ? methodNotAllowed() : notFound("There is no such API route."));
      return true;
    }
    const params = route.pattern.exec(decoded)!.slice(1);
    route.handler(req, params).then(
      (answer) => {
        if (!("raw" in answer)) return sendJson(res, answer.status, answer.body);
        res.writeHead(answer.status, {
          "Content-Type": answer.contentType,
          "Content-Length": answer.raw.byteLength,
          "Cache-Control": "no-store",
          ...(answer.filename ? { "Content-Disposition": `attachment; filename="${answer.filename}"` } : {}),
        });
        res.end(answer.raw);
      },
      (error: unknown) => sendError(res, error),
    );
    return true;
  };
}
