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
 * The relay's sockets (the WebSocketServer's `WebSocket` option). `ws` closes an oversize frame
 * with 1009 before telling anyone; the contract's code is 4413. Its receiver calls `close(1009)`
 * on the socket, so that one call is translated here (on the prototype: nothing per socket).
 */
export class RelayWebSocket extends WebSocket {
  /** What the relay knows of this socket, once accepted. */
  session: SocketSession | null = null;

  override close(code?: number, reason?: string | Buffer): void {
    if (code === 1009) super.close(MessageTooLarge.code, MessageTooLarge.reason);
    else super.close(code, reason);
  }
}

// Listeners shared by every socket (`this` is the socket): an idle connection keeps its state in
// one SocketSession object, not in closures and their contexts (memory per idle connection).
function onSocketMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  (this as RelayWebSocket).session?.message(data, isBinary);
}
function onSocketClose(this: WebSocket): void {
  (this as RelayWebSocket).session?.closed();
}

const SETTLED: Promise<void> = Promise.resolve();

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
      accept(ws as RelayWebSocket, match[1]!, url.searchParams, ip, origin, deps);
    });
  };
}

/** Open connections per client address. */
const perIp = new Map<string, number>();

function accept(ws: RelayWebSocket, rawId: string, params: URLSearchParams, ip: string, originOk: boolean, deps: AcceptDeps): void {
  let workshopId: string;
  try {
    workshopId = decodeURIComponent(rawId);
  } catch {
    workshopId = "";
  }
  perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
  const session = new SocketSession(ws, deps, workshopId, ip, params.get("ack") === "1");
  ws.session = session;
  ws.on("message", onSocketMessage);
  ws.on("close", onSocketClose);
  ws.on("error", deps.onError);
  if (!originOk) return session.refuse(Forbidden, "origin not allowed");
  if (!deps.available()) return session.refuse(TryAgainLater, "storage or Redis unreachable");
  if ((perIp.get(ip) ?? 0) > deps.maxConnectionsPerIp) return session.refuse(RateLimited, "too many connections from this address");
  // Only these two are kept, and only until the token is checked: the URL and its parameters would otherwise live as long as the socket.
  session.letIn(params.get("token"), params.get("schema")).catch((error: unknown) => {
    deps.onError(error);
    if (!session.isClosed) ws.close(1011, "server error");
  });
}

/** One accepted socket: the room protocol's side of it (RoomSocket), its limits, and letting it in. */
class SocketSession implements RoomSocket {
  private room: Room | null = null;
  private conn: Connection | null = null;
  private done = false;
  /** What arrives before the socket is let in; null once it is. */
  private early: Uint8Array[] | null = [];
  private earlyBytes = 0;
  private readonly rate: ConnectionRate;
  /**
   * A socket's messages reach the room one after another, each update only once the guard has
   * seen it decode in a worker (a crafted update must not freeze every workshop). Updates go to
   * the worker as they arrive, so a burst is checked, and then stored, together. An idle socket
   * keeps the one settled promise rather than one of its own.
   */
  private chain: Promise<void> = SETTLED;
  private inFlight = 0;
  /** Bounds the time a socket may stay without being let in (a slowloris holding sockets open). */
  private letInBy: NodeJS.Timeout | null;
  private releaseAdmission: (() => void) | null = null;

  constructor(
    private readonly ws: RelayWebSocket,
    private readonly deps: AcceptDeps,
    private readonly workshopId: string,
    private readonly ip: string,
    private readonly wantsAck: boolean,
  ) {
    this.rate = new ConnectionRate(deps.rate, Date.now());
    this.letInBy = setTimeout(() => {
      if (!this.conn && !this.done) this.refuse(Unauthorized, "no valid token in time");
    }, deps.authTimeoutMs);
  }

  get isClosed(): boolean {
    return this.done;
  }

  /** RoomSocket: sends to the client. */
  send(bytes: Uint8Array): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.deps.metrics.bytesOut.inc(bytes.length);
    this.ws.send(bytes);
  }

  /** RoomSocket: the room closes the connection. */
  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  refuse(code: CloseCode, reason: string): void {
    if (this.done) return;
    this.done = true;
    this.deps.onRefused(this.workshopId, code, reason);
    if (this.room && this.conn) this.room.leave(this.conn);
    this.ws.close(code.code, code.reason);
  }

  message(data: RawData, isBinary: boolean): void {
    if (this.done) return;
    if (!isBinary) return this.refuse(MalformedMessage, "text frame");
    const bytes = toBytes(data);
    const deps = this.deps;
    deps.metrics.bytesIn.inc(bytes.length);
    if (bytes.length > deps.maxMessageBytes) return this.refuse(MessageTooLarge, `${bytes.length} bytes`);
    if (!this.rate.allow(bytes.length, Date.now())) return this.refuse(RateLimited, "too many messages or bytes");
    if (this.room && this.conn) return this.deliver(bytes);
    if (!this.early) return;
    // Bound what a socket may send before its token is checked.
    this.early.push(bytes);
    this.earlyBytes += bytes.length;
    if (this.early.length > deps.earlyLimit.messages || this.earlyBytes > deps.earlyLimit.bytes) this.refuse(RateLimited, "too much before authentication");
  }

  closed(): void {
    this.done = true;
    this.stopWaiting();
    this.early = null;
    const n = (perIp.get(this.ip) ?? 1) - 1;
    if (n <= 0) perIp.delete(this.ip);
    else perIp.set(this.ip, n);
    this.releaseAdmission?.();
    this.releaseAdmission = null;
    if (this.room && this.conn) this.room.leave(this.conn);
  }

  private stopWaiting(): void {
    if (this.letInBy) clearTimeout(this.letInBy);
    this.letInBy = null;
  }

  private deliver(bytes: Uint8Array): void {
    const guard = this.deps.guard;
    const update = guard ? syncUpdate(bytes) : null;
    const checked = guard && update ? guard.check(update) : null;
    this.inFlight++;
    this.chain = this.chain
      .then(async () => {
        const { room, conn } = this;
        if (this.done || !room || !conn) return;
        if (!checked) return room.receive(conn, bytes);
        const verdict = await checked;
        if (this.done) return;
        if (!verdict.ok) return this.refuse(MalformedMessage, verdict.reason);
        room.receive(conn, bytes, { from: verdict.from });
      })
      .finally(() => {
        if (--this.inFlight === 0) this.chain = SETTLED;
      });
  }

  /** Checks the token and schema, joins the room, then hands it what arrived meanwhile. */
  async letIn(token: string | null, schemaParam: string | null): Promise<void> {
    const { deps, workshopId } = this;
    const auth = await authenticate(deps.store, deps.signer, workshopId, token);
    if (this.done) return;
    if (!auth.ok) {
      return auth.reason === "unknown-workshop" ? this.refuse(UnknownWorkshop, "unknown workshop") : this.refuse(Unauthorized, "invalid token");
    }
    if (schemaParam !== null) {
      const schema = Number(schemaParam);
      if (!Number.isInteger(schema) || schema < 0) return this.refuse(MalformedMessage, `bad schema "${schemaParam}"`);
      const current = Math.max(auth.workshop.schemaVersion, EDITOR_SCHEMA_VERSION);
      if (schema < current) return this.refuse(SchemaTooOld, `client schema ${schema} < ${current}`);
      if (schema > auth.workshop.schemaVersion) {
        // A newer client opened the workshop: older clients would delete what it writes.
        const latest = await deps.store.getWorkshop(workshopId);
        if (latest && schema > latest.schemaVersion) await deps.store.putWorkshop({ ...latest, schemaVersion: schema });
      }
    }
    const acquired = await deps.registry.acquire(workshopId);
    if (this.done) {
      deps.registry.releaseIfIdle(acquired);
      return;
    }
    if (acquired.connections.size >= deps.maxConnectionsPerWorkshop) {
      deps.registry.releaseIfIdle(acquired);
      return this.refuse(RateLimited, "too many connections to this workshop");
    }
    if (deps.admit) {
      const admission = await deps.admit(workshopId, this.ip).catch(() => null);
      if (admission === null || !admission.ok || this.done) {
        if (admission?.ok) admission.release();
        deps.registry.releaseIfIdle(acquired);
        if (this.done) return;
        return admission === null ? this.refuse(TryAgainLater, "Redis unreachable") : this.refuse(RateLimited, admission.ok ? "" : admission.reason);
      }
      this.releaseAdmission = admission.release;
    }
    this.room = acquired;
    this.conn = acquired.join(this, auth.principal, this.wantsAck);
    this.stopWaiting();
    const waiting = this.early ?? [];
    this.early = null;
    for (const bytes of waiting) this.deliver(bytes);
  }
}
