// Serves the built web app, with the SPA fallback for workshop pages (/w/:id).
import fs from "node:fs";
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import sirv from "sirv";

/** A request handler for the web app; calls `notFound` for paths that are not the app's. */
export function staticFiles(webRoot: string): (req: IncomingMessage, res: ServerResponse, notFound: () => void) => void {
  const index = path.join(webRoot, "index.html");
  // Without a built app the API still works (tests of the relay alone); pages answer 503.
  const assets = !fs.existsSync(webRoot)
    ? (_req: IncomingMessage, _res: ServerResponse, next: () => void) => next()
    : sirv(webRoot, {
    dev: false,
    etag: true,
    gzip: false,
    brotli: false,
    setHeaders(res, pathname) {
      // Hashed asset names never change content; the shell and service worker must be revalidated.
      if (pathname.startsWith("/assets/")) res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
      else res.setHeader("Cache-Control", "no-cache");
    },
      });
  return (req, res, notFound) => {
    const pathname = (req.url ?? "/").split("?")[0]!;
    if (pathname === "/" || /^\/w\/[^/]+\/?$/.test(pathname)) {
      fs.readFile(index, (error, html) => {
        if (error) {
          res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8" });
          res.end("The web app is not built. Run `npm start`, which builds it first.");
          return;
        }
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache" });
        res.end(req.method === "HEAD" ? undefined : html);
      });
      return;
    }
    assets(req, res, notFound);
  };
}
