// Assembles the relay: one HTTP server for the web app, the API and WebSocket upgrades.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { GoingAway, TryAgainLater, Unauthorized } from "@crosswalk/shared";
import { GlobalLimits } from "./cluster/GlobalLimits.js";
import type { RedisBus } from "./cluster/RedisBus.js";
import type { Logger } from "pino";
import { WebSocketServer, type WebSocket } from "ws";
import { TokenSigner } from "./auth/tokens.js";
import type { Config } from "./config.js";
import { WriteBatcher } from "./hooks/WriteBatcher.js";
import { createApi } from "./http/api.js";
import { DecodeGuard } from "./guard/DecodeGuard.js";
import { originAllowed } from "./hooks/checkOrigin.js";
import { HttpError, sendError, sendJson, notFound } from "./http/HttpError.js";
import { setSecurityHeaders } from "./http/securityHeaders.js";
import { staticFiles } from "./http/staticFiles.js";
import { Metrics } from "./metrics/Metrics.js";
import { RoomRegistry } from "./room/RoomRegistry.js";
import { SqliteStore, sqlitePath } from "./store/SqliteStore.js";
import type { Store } from "./store/Store.js";
import { publicBaseUrl } from "./workshops/publicUrl.js";
import { ExportService } from "./workshops/ExportService.js";
import { ReflectionService } from "./workshops/ReflectionService.js";
import { VersionService } from "./workshops/VersionService.js";
import { WorkshopService } from "./workshops/WorkshopService.js";
import { createUpgradeHandler, RelayWebSocket } from "./ws/acceptSocket.js";

/** A running relay. */
export interface Relay {
  /** http://HOST:PORT with the real port. */
  url: string;
  port: number;
  store: Store;
  registry: RoomRegistry;
  workshops: WorkshopService;
  metrics: Metrics;
  /** Stops cleanly: closes sockets, flushes storage. */
  close(): Promise<void>;
}

/** What the relay runs on besides its configuration. */
export interface StartOptions {
  /** The store (default: SQLite in DATA_DIR). */
  store?: Store;
  /** Several relays: the link between them (RedisBus) and a way to check storage is reachable. */
  cluster?: { bus: RedisBus; pingStore(): Promise<void> };
}

/** Starts the relay and resolves once it accepts connections. */
export async function startRelay(config: Config, log: Logger, options: StartOptions = {}): Promise<Relay> {
  const store = options.store ?? new SqliteStore(sqlitePath(config.dataDir));
  const signer = config.secret ? TokenSigner.fromSecret(config.secret) : TokenSigner.fromDataDir(config.dataDir);
  const metrics = new Metrics();
  const bus = options.cluster?.bus ?? null;
  const limits = bus ? new GlobalLimits(bus, { perWorkshop: config.maxConnectionsPerWorkshop, perIp: config.maxConnectionsPerIp }) : null;
  const batcher = new WriteBatcher(
    store,
    undefined,
    (size, ms) => {
      metrics.updatesIn.inc(size);
      metrics.storageWrite.observe(ms / 1000);
    },
    (ms) => metrics.storageSync.observe(ms / 1000),
  );
  const registry = new RoomRegistry(
    store,
    (docId, update) => batcher.append(docId, update),
    {
      compactAfterUpdates: config.compactAfterUpdates,
      sync: () => batcher.sync(),
      unloadDelayMs: config.unloadDelayMs,
      maxWorkshopBytes: config.maxWorkshopBytes,
      awarenessPerSecond: config.awarenessPerSecond,
      onLoad: (id, ms) => log.debug({ workshop: id, ms: Math.round(ms) }, "room loaded"),
      onUnload: (id) => log.debug({ workshop: id }, "room unloaded"),
      onBroken: (id, error) => log.error({ workshop: id, err: error }, "storage failed; room dropped, clients will resync"),
      ...(bus
        ? {
            cluster: {
              follow: (docId: string) => bus.follow(docId),
              unfollow: (docId: string) => bus.unfollow(docId),
              publishUpdate: (docId: string, update: Uint8Array) => {
                bus.publishUpdate(docId, update).catch((error: unknown) => log.warn({ err: error, workshop: docId }, "could not publish an update to other relays"));
              },
              publishAwareness: (docId: string, update: Uint8Array) => {
                bus.publishAwareness(docId, update).catch(() => {});
              },
            },
          }
        : {}),
    },
    (room, principal, code, reason) => {
      metrics.refusals.inc({ code: String(code.code) });
      log.warn({ workshop: room.id, role: principal.role, org: principal.orgId, code: code.code, reason }, "connection refused");
    },
    (room, orgId, ranges) => {
      const at = Date.now();
      store.appendDeletions(room.id, ranges.map((r) => ({ ...r, orgId, at }))).catch((error: unknown) => log.warn({ err: error, workshop: room.id }, "could not record deletions"));
    },
  );
  metrics.sources = { rooms: () => registry.size, connections: () => registry.rooms().reduce((n, r) => n + r.connections.size, 0) };

  let port = config.port;
  const closeOlder = (workshopId: string, orgId: string, generation: number): void => {
    const room = registry.peek(workshopId);
    if (!room) return;
    for (const conn of [...room.connections]) {
      const p = conn.principal;
      if (p.role === "participant" && p.orgId === orgId && (p.generation ?? 0) < generation) {
        conn.close(Unauthorized);
        room.leave(conn);
      }
    }
  };
  const workshops = new WorkshopService({
    store,
    signer,
    registry,
    baseUrl: () => publicBaseUrl(config.publicUrl, config.host, port),
    revokeOlder: (workshopId, orgId, generation) => {
      closeOlder(workshopId, orgId, generation);
      bus?.publishRevoke(workshopId, orgId, generation).catch((error: unknown) => log.warn({ err: error }, "could not tell other relays about a revoked link"));
    },
  });
  bus?.setHandlers({
    update: (docId, update) => registry.applyRemote(docId, update),
    awareness: (docId, update) => registry.peek(docId)?.applyRemoteAwareness(update),
    revoke: closeOlder,
    resync: () => {
      log.info("link to other relays is back; catching up from storage");
      registry.resyncAll().catch((error: unknown) => log.error({ err: error }, "catching up from storage failed"));
    },
    foreign: () => metrics.foreignMessages.inc(),
  });
  // Several relays: while PostgreSQL or Redis is unreachable nothing can be stored or relayed, so
  // clients are sent away (they keep their edits and retry) and /healthz answers 503.
  const health = { postgres: "ok" as "ok" | "down", redis: "ok" as "ok" | "down" };
  const available = (): boolean => health.postgres === "ok" && health.redis === "ok";
  let healthTimer: NodeJS.Timeout | null = null;
  if (options.cluster) {
    const cluster = options.cluster;
    const check = async (): Promise<void> => {
      const wasAvailable = available();
      const [pgOk, redisOk] = await Promise.all([
        withTimeout(cluster.pingStore(), 2000).then(() => true, () => false),
        withTimeout(cluster.bus.ping(), 2000).then(() => true, () => false),
      ]);
      health.postgres = pgOk ? "ok" : "down";
      health.redis = redisOk ? "ok" : "down";
      if (wasAvailable && !available()) {
        log.error({ health }, "storage or Redis unreachable: refusing writes until they are back");
        registry.closeAllConnections(TryAgainLater);
      } else if (!wasAvailable && available()) log.info("storage and Redis reachable again");
    };
    healthTimer = setInterval(() => void check(), 1000);
    healthTimer.unref();
  }
  const reflections = new ReflectionService({ store, registry });
  const versions = new VersionService({ store, registry });
  const exports = new ExportService({ store, registry });
  const api = createApi({
    store,
    signer,
    workshops,
    reflections,
    versions,
    exports,
    maxBodyBytes: config.maxBodyBytes,
    maxImportBytes: config.maxImportBytes,
    createToken: config.createToken,
  });
  const web = staticFiles(config.webRoot);

  const server = http.createServer((req, res) => {
    setSecurityHeaders(res);
    try {
      if (req.url === "/healthz" && options.cluster) {
        return sendJson(res, available() ? 200 : 503, { ok: available(), ...health });
      }
      if (req.url === "/metrics" && req.method === "GET") {
        void metrics.render().then(({ contentType, body }) => {
          res.writeHead(200, { "Content-Type": contentType, "Cache-Control": "no-store" });
          res.end(body);
        });
        return;
      }
      // Browsers may change state only from the relay's own origin (or an allowed one).
      if (req.method !== "GET" && req.method !== "HEAD" && !originAllowed(req, config.allowedOrigins)) {
        return sendError(res, new HttpError("forbidden", "Requests from this origin are not allowed."));
      }
      if (api(req, res)) return;
      if (req.method !== "GET" && req.method !== "HEAD") return sendError(res, notFound("There is no such page."));
      web(req, res, () => sendError(res, notFound("There is no such page.")));
    } catch (error) {
      log.error({ err: error }, "request failed");
      sendError(res, error);
    }
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
  });

  const guard = config.decodeWorkers > 0 ? new DecodeGuard(config.decodeWorkers, config.decodeTimeoutMs, (reason) => log.warn({ reason }, "decoder worker replaced")) : null;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes, perMessageDeflate: false, WebSocket: RelayWebSocket });
  server.on(
    "upgrade",
    createUpgradeHandler(wss, {
      store,
      signer,
      registry,
      maxMessageBytes: config.maxMessageBytes,
      earlyLimit: { messages: 64, bytes: config.maxMessageBytes * 2 },
      rate: { messagesPerSecond: config.rateMessagesPerSecond, bytesPerSecond: config.rateBytesPerSecond },
      maxConnectionsPerWorkshop: config.maxConnectionsPerWorkshop,
      maxConnectionsPerIp: config.maxConnectionsPerIp,
      authTimeoutMs: config.authTimeoutMs,
      allowedOrigins: config.allowedOrigins,
      guard,
      available,
      ...(limits ? { admit: (workshopId: string, ip: string) => limits.admit(workshopId, ip) } : {}),
      metrics,
      onRefused: (workshopId, code, reason) => {
        metrics.refusals.inc({ code: String(code.code) });
        log.info({ workshop: workshopId, code: code.code, reason }, "socket refused");
      },
      onError: (error) => log.warn({ err: error }, "socket error"),
    }),
  );

  // Dead peers (a laptop closed mid-retreat) are found by ping and dropped, freeing their presence.
  const alive = new WeakSet<WebSocket>();
  // One listener for every socket (`this` is the socket): nothing per idle connection.
  function onPong(this: WebSocket): void {
    alive.add(this);
  }
  wss.on("connection", (ws) => {
    alive.add(ws);
    ws.on("pong", onPong);
  });
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) ws.terminate();
      else {
        alive.delete(ws);
        ws.ping();
      }
    }
  }, config.heartbeatMs);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const hostForUrl = config.host.includes(":") ? `[${config.host}]` : config.host;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    store,
    registry,
    workshops,
    metrics,
    close: () =>
      (closing ??= (async () => {
        clearInterval(heartbeat);
        if (healthTimer) clearInterval(healthTimer);
        limits?.close();
        server.close();
        for (const room of registry.rooms()) room.closeAll(GoingAway);
        for (const ws of wss.clients) ws.close(GoingAway.code, GoingAway.reason);
        await batcher.drain();
        await registry.unloadAll();
        await store.close();
        await guard?.close();
        await bus?.close();
        server.closeAllConnections();
      })()),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out")), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
