// The `ws` adapter (STYLE.md §5): a few dozen lines between a WebSocket and a room. The
// handshake always completes and a refusal is a close code, because a browser cannot read
// the HTTP status of a refused upgrade (../shared/CONTRACT.md, "WebSocket").
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import {
  EDITOR_SCHEMA_VERSION,
  Forbidden,
  MESSAGE_SYNC,
  MalformedMessage,
  MessageTooLarge,
  RateLimited,
  SchemaTooOld,
  TryAgainLater,
  Unauthorized,
  UnknownWorkshop,
  type CloseCode,
} from "@crosswalk/shared";
import * as decoding from "lib0/decoding";
import { WebSocket, type RawData, type WebSocketServer } from "ws";
import type { TokenSigner } from "../auth/tokens.js";
import type { Admission } from "../cluster/GlobalLimits.js";
import type { Metrics } from "../metrics/Metrics.js";
import { authenticate } from "../hooks/authenticate.js";
import type { DecodeGuard } from "../guard/DecodeGuard.js";
import { originAllowed } from "../hooks/checkOrigin.js";
import { ConnectionRate, type RateLimits } from "../hooks/rateLimit.js";
import type { Connection, RoomSocket } from "../room/Connection.js";
import type { Room } from "../room/Room.js";
import type { RoomRegistry } from "../room/RoomRegistry.js";
import type { Store } from "../store/Store.js";

/** What accepting sockets needs. */
export interface AcceptDeps {
  store: Store;
  signer: TokenSigner;
  registry: RoomRegistry;
  maxMessageBytes: number;
  metrics: Metrics;
  /** Messages and bytes a socket may send before its token is checked and its room loaded. */
  earlyLimit: { messages: number; bytes: number };
  /** Per-connection message and byte rates (4429 above them). */
  rate: RateLimits;
  /** Open connections per workshop and per client address (4429 above them). */
  maxConnectionsPerWorkshop: number;
  maxConnectionsPerIp: number;
  /** Time a socket has to be let in (token checked, room loaded) before it is closed (4401). */
  authTimeoutMs: number;
  /** Origins other than the relay's own that browsers may connect from. */
  allowedOrigins: readonly string[];
  /** Decodes updates in a worker under a time limit before the room parses them. */
  guard: DecodeGuard | null;
  /** False while storage or the link between relays is unreachable (sockets are sent away). */
  available(): boolean;
  /** Several relays: claims the socket's place under the connection limits of all relays. */
  admit?(workshopId: string, ip: string): Promise<Admission>;
  onRefused(workshopId: string, code: CloseCode, reason: string): void;
  onError(error: unknown): void;
}

/** The update carried by a sync step 2 or update message, or null for any other message. */
function syncUpdate(bytes: Uint8Array): Uint8Array | null {
  try {
    const d = decoding.createDecoder(bytes);
    if (decoding.readVarUint(d) !== MESSAGE_SYNC) return null;
    const sub = decoding.readVarUint(d);
    return sub === 1 || sub === 2 ? decoding.readVarUint8Array(d) : null;
  } catch {
    return null; // malformed: the room refuses it
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * `ws` closes an oversize frame with 1009 before telling anyone; the contract's code is 4413.
 * Its receiver calls `close(1009)` on the socket, so that one call is translated here.
 */
function closeOversizeWith4413(ws: WebSocket): void {
  const close = ws.close.bind(ws);
  ws.close = (code?: number, reason?: string | Buffer) =>
    code === 1009 ? close(MessageTooLarge.code, MessageTooLarge.reason) : close(code, reason);
}

/** Handles an HTTP upgrade: /ws/<workshopId>?token=…&ack=1&schema=N. */
export function createUpgradeHandler(wss: WebSocketServer, deps: AcceptDeps): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://relay");
    const match = /^\/ws\/([^/]*)$/.exec(url.pathname);
    if (!match) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const ip = req.socket.remoteAddress ?? "unknown";
    const origin = originAllowed(req, deps.allowedOrigins);
    wss.handleUpgrade(req, socket, head, (ws) => {
      // In noServer mode `ws` leaves 'connection' to the caller; the heartbeat counts on it.
      wss.emit("connection", ws, req);
      accept(ws, match[1]!, url.searchParams, ip, origin, deps);
    });
  };
}

/** Open connections per client address. */
const perIp = new Map<string, number>();

function accept(ws: WebSocket, rawId: string, params: URLSearchParams, ip: string, originOk: boolean, deps: AcceptDeps): void {
  // Only these three are kept: the URL and its parameters would otherwise live as long as the socket.
  let token: string | null = params.get("token");
  const schemaParam = params.get("schema");
  const wantsAck = params.get("ack") === "1";
  closeOversizeWith4413(ws);
  perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
  ws.once("close", () => {
    const n = (perIp.get(ip) ?? 1) - 1;
    if (n <= 0) perIp.delete(ip);
    else perIp.set(ip, n);
  });
  let workshopId = rawId;
  try {
    workshopId = decodeURIComponent(rawId);
  } catch {
    workshopId = "";
  }
  const socket: RoomSocket = {
    send: (bytes) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      deps.metrics.bytesOut.inc(bytes.length);
      ws.send(bytes);
    },
    close: (code, reason) => ws.close(code, reason),
  };
  const refuse = (code: CloseCode, reason: string): void => {
    if (closed) return;
    closed = true;
    deps.onRefused(workshopId, code, reason);
    if (room && conn) room.leave(conn);
    ws.close(code.code, code.reason);
  };

  let room: Room | null = null;
  let conn: Connection | null = null;
  let closed = false;
  const early: Uint8Array[] = [];
  let earlyBytes = 0;
  const rate = new ConnectionRate(deps.rate, Date.now());
  // A socket's messages reach the room one after another, each update only once the guard
  // has seen it decode in a worker (a crafted update must not freeze every workshop). Updates go
  // to the worker as they arrive, so a burst is checked, and then stored, together.
  let chain: Promise<void> = Promise.resolve();
  const deliver = (bytes: Uint8Array): void => {
    const guard = deps.guard;
    const update = guard ? syncUpdate(bytes) : null;
    const checked = guard && update ? guard.check(update) : null;
    chain = chain.then(async () => {
      if (closed || !room || !conn) return;
      if (!checked) return room.receive(conn, bytes);
      const verdict = await checked;
      if (closed) return;
      if (!verdict.ok) return refuse(MalformedMessage, verdict.reason);
      room.receive(conn, bytes, { from: verdict.from });
    });
  };
  if (!originOk) return refuse(Forbidden, "origin not allowed");
  if (!deps.available()) return refuse(TryAgainLater, "storage or Redis unreachable");
  if ((perIp.get(ip) ?? 0) > deps.maxConnectionsPerIp) return refuse(RateLimited, "too many connections from this address");
  // Bound the time a socket may stay without being let in (a slowloris holding sockets open).
  const letInBy = setTimeout(() => {
    if (!conn && !closed) refuse(Unauthorized, "no valid token in time");
  }, deps.authTimeoutMs);

  ws.on("message", (data, isBinary) => {
    if (closed) return;
    if (!isBinary) return refuse(MalformedMessage, "text frame");
    const bytes = toBytes(data);
    deps.metrics.bytesIn.inc(bytes.length);
    if (bytes.length > deps.maxMessageBytes) return refuse(MessageTooLarge, `${bytes.length} bytes`);
    if (!rate.allow(bytes.length, Date.now())) return refuse(RateLimited, "too many messages or bytes");
    if (room && conn) return deliver(bytes);
    // Bound what a socket may send before its token is checked.
    early.push(bytes);
    earlyBytes += bytes.length;
    if (early.length > deps.earlyLimit.messages || earlyBytes > deps.earlyLimit.bytes) refuse(RateLimited, "too much before authentication");
  });
  ws.on("close", () => {
    closed = true;
    clearTimeout(letInBy);
    if (room && conn) room.leave(conn);
  });
  ws.on("error", (error) => deps.onError(error));

  void (async () => {
    const auth = await authenticate(deps.store, deps.signer, workshopId, token);
    token = null;
    if (closed) return;
    if (!auth.ok) {
      return auth.reason === "unknown-workshop" ? refuse(UnknownWorkshop, "unknown workshop") : refuse(Unauthorized, "invalid token");
    }
    if (schemaParam !== null) {
      const schema = Number(schemaParam);
      if (!Number.isInteger(schema) || schema < 0) return refuse(MalformedMessage, `bad schema "${schemaParam}"`);
      const current = Math.max(auth.workshop.schemaVersion, EDITOR_SCHEMA_VERSION);
      if (schema < current) return refuse(SchemaTooOld, `client schema ${schema} < ${current}`);
      if (schema > auth.workshop.schemaVersion) {
        // A newer client opened the workshop: older clients would delete what it writes.
        const latest = await deps.store.getWorkshop(workshopId);
        if (latest && schema > latest.schemaVersion) await deps.store.putWorkshop({ ...latest, schemaVersion: schema });
      }
    }
    const acquired = await deps.registry.acquire(workshopId);
    if (closed) {
      deps.registry.releaseIfIdle(acquired);
      return;
    }
    if (acquired.connections.size >= deps.maxConnectionsPerWorkshop) {
      deps.registry.releaseIfIdle(acquired);
      return refuse(RateLimited, "too many connections to this workshop");
    }
    if (deps.admit) {
      const admission = await deps.admit(workshopId, ip).catch(() => null);
      if (admission === null || !admission.ok || closed) {
        if (admission?.ok) admission.release();
        deps.registry.releaseIfIdle(acquired);
        if (closed) return;
        return admission === null ? refuse(TryAgainLater, "Redis unreachable") : refuse(RateLimited, admission.ok ? "" : admission.reason);
      }
      ws.once("close", admission.release);
    }
    room = acquired;
    conn = room.join(socket, auth.principal, wantsAck);
    clearTimeout(letInBy);
    for (const bytes of early.splice(0)) deliver(bytes);
  })().catch((error: unknown) => {
    deps.onError(error);
    if (!closed) ws.close(1011, "server error");
  });
}
