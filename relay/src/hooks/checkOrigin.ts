// The Origin allow-list: a browser page may use the API and the WebSocket only from the
// relay's own origin (or one configured in ALLOWED_ORIGINS). Requests without an Origin
// header (scripts, the Node y-websocket client) are not from a browser page and pass.
import type { IncomingMessage } from "node:http";

/** True when the request's Origin is allowed. */
export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || origin === "") return true;
  const host = req.headers.host;
  // Same origin as the address the page was loaded from (works for LAN addresses and names).
  if (host && (origin === `http://${host}` || origin === `https://${host}`)) return true;
  return allowed.includes(origin.replace(/\/+$/, ""));
}
