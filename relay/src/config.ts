// The relay's configuration, read once from the environment by main.ts (STYLE.md §6).
import path from "node:path";

/** Everything the relay can be configured with. */
export interface Config {
  /** Interface to listen on; 0.0.0.0 serves a room's LAN. */
  host: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Where the SQLite store and the generated signing key live. */
  dataDir: string;
  /** Base of invite links; defaults to http://HOST:PORT with the real port. */
  publicUrl: string | null;
  /** Token signing key; when null, one is generated once and kept in dataDir. */
  secret: string | null;
  /** When set, creating a workshop requires `Authorization: Bearer <createToken>`. */
  createToken: string | null;
  /** Largest WebSocket message accepted (close 4413 above it). */
  maxMessageBytes: number;
  /** Largest HTTP JSON body accepted (413 above it). */
  maxBodyBytes: number;
  /** Largest file a section can import (.docx, .md). */
  maxImportBytes: number;
  /** Per connection: messages a second (close 4429 above it, bursts of two seconds allowed). */
  rateMessagesPerSecond: number;
  /** Per connection: bytes a second (close 4429 above it). */
  rateBytesPerSecond: number;
  /** Largest stored size of a workshop; updates that would grow it further are refused (4413). */
  maxWorkshopBytes: number;
  /** Open WebSocket connections per workshop (4429 above it). */
  maxConnectionsPerWorkshop: number;
  /** Open WebSocket connections per client IP address (4429 above it). */
  maxConnectionsPerIp: number;
  /** Presence (awareness) updates a connection may send a second; more are coalesced. */
  awarenessPerSecond: number;
  /** Seconds a socket may take to present a valid token (4401 after). */
  authTimeoutMs: number;
  /** How often sockets are pinged; one that has not answered the previous ping is dropped. */
  heartbeatMs: number;
  /** Worker threads that decode untrusted updates under a time limit (0: decode on the main thread). */
  decodeWorkers: number;
  /** Time an update may take to decode before its worker is replaced and the update refused. */
  decodeTimeoutMs: number;
  /** Origins other than the relay's own from which browsers may use the API and WebSocket. */
  allowedOrigins: string[];
  /** PostgreSQL URL: with REDIS_URL, several relays share PostgreSQL instead of DATA_DIR's SQLite. */
  databaseUrl: string | null;
  /** Schema of the relay's tables in PostgreSQL. */
  databaseSchema: string;
  /** Redis URL for fan-out between relays. */
  redisUrl: string | null;
  /** Prefix of the relay's Redis keys. */
  redisPrefix: string;
  /** Compact a document's update log into one merged state after this many updates. */
  compactAfterUpdates: number;
  /** How long an empty workshop stays in memory, so a quick reconnect does not reload it. */
  unloadDelayMs: number;
  /** Directory of the built web app (served with an SPA fallback for /w/:id). */
  webRoot: string;
  /** pino log level. */
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
}

/** A configuration error listing every bad variable at once. */
export class ConfigError extends Error {}

const LOG_LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

/** Builds the configuration from environment variables; throws ConfigError naming every bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const str = (name: string): string | null => {
    const raw = env[name];
    return raw === undefined || raw === "" ? null : raw;
  };

  const publicUrl = str("PUBLIC_URL");
  if (publicUrl !== null && !/^https?:\/\/[^/]+/.test(publicUrl)) problems.push(`PUBLIC_URL must be an http(s) URL (got "${publicUrl}")`);
  const secret = str("CROSSWALK_SECRET");
  if (secret !== null && secret.length < 16) problems.push("CROSSWALK_SECRET must be at least 16 characters");
  const logLevel = str("LOG_LEVEL") ?? "info";
  if (!LOG_LEVELS.has(logLevel)) problems.push(`LOG_LEVEL must be one of ${[...LOG_LEVELS].join(", ")}`);

  const databaseUrl = str("DATABASE_URL");
  const redisUrl = str("REDIS_URL");
  if (databaseUrl !== null && !/^postgres(ql)?:\/\/[^\s]+$/.test(databaseUrl)) problems.push("DATABASE_URL must be a postgres:// URL");
  if (redisUrl !== null && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) problems.push("REDIS_URL must be a redis:// URL");
  if ((databaseUrl === null) !== (redisUrl === null)) problems.push("set both DATABASE_URL and REDIS_URL to run several relays, or neither");
  const databaseSchema = str("DATABASE_SCHEMA") ?? "crosswalk";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) problems.push("DATABASE_SCHEMA must be a lowercase identifier");

  const config: Config = {
    host: str("HOST") ?? "127.0.0.1",
    port: int("PORT", 8080, 0, 65535),
    dataDir: path.resolve(cwd, str("DATA_DIR") ?? "data"),
    publicUrl: publicUrl?.replace(/\/+$/, "") ?? null,
    secret,
    createToken: str("CREATE_TOKEN"),
    maxMessageBytes: int("MAX_MESSAGE_BYTES", 1024 * 1024, 1024, 64 * 1024 * 1024),
    maxBodyBytes: int("MAX_BODY_BYTES", 256 * 1024, 1024, 64 * 1024 * 1024),
    maxImportBytes: int("MAX_IMPORT_BYTES", 10 * 1024 * 1024, 1024, 256 * 1024 * 1024),
    rateMessagesPerSecond: int("RATE_MESSAGES_PER_SECOND", 300, 1, 1_000_000),
    rateBytesPerSecond: int("RATE_BYTES_PER_SECOND", 4 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    maxWorkshopBytes: int("MAX_WORKSHOP_BYTES", 64 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
    maxConnectionsPerWorkshop: int("MAX_CONNECTIONS_PER_WORKSHOP", 500, 1, 1_000_000),
    maxConnectionsPerIp: int("MAX_CONNECTIONS_PER_IP", 1000, 1, 1_000_000),
    awarenessPerSecond: int("AWARENESS_PER_SECOND", 20, 1, 10_000),
    authTimeoutMs: int("AUTH_TIMEOUT_MS", 10_000, 100, 600_000),
    heartbeatMs: int("HEARTBEAT_MS", 30_000, 50, 600_000),
    decodeWorkers: int("DECODE_WORKERS", 1, 0, 64),
    decodeTimeoutMs: int("DECODE_TIMEOUT_MS", 2000, 50, 600_000),
    allowedOrigins: (str("ALLOWED_ORIGINS") ?? "")
      .split(",")
      .map((o) => o.trim().replace(/\/+$/, ""))
      .filter((o) => o !== ""),
    databaseUrl,
    databaseSchema,
    redisUrl,
    redisPrefix: str("REDIS_PREFIX") ?? "cw:",
    compactAfterUpdates: int("COMPACT_AFTER_UPDATES", 500, 1, 1_000_000),
    unloadDelayMs: int("UNLOAD_DELAY_MS", 1000, 0, 3_600_000),
    webRoot: path.resolve(cwd, str("WEB_ROOT") ?? path.join(import.meta.dirname, "..", "..", "web", "dist")),
    logLevel: logLevel as Config["logLevel"],
  };
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
  return config;
}
