// Several of our relays in scale-out mode (DATABASE_URL + REDIS_URL): they share a fresh
// PostgreSQL schema and Redis key prefix, which are dropped again when the cluster stops, even
// after a failure, so no run sees another's workshops and nothing is left on the machine.
// The services are this machine's (CI's too), as tests/helpers/spawnRelay.ts finds them.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import type { OurRelay } from "./ourRelay.js";

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Starts one relay with `env` added (the benchmark's ctx.startOurs). */
export type StartRelay = (env: Record<string, string>) => Promise<OurRelay>;

/** Relays sharing one PostgreSQL schema and one Redis prefix. */
export interface RelayCluster {
  relays: OurRelay[];
  schema: string;
  prefix: string;
  /** Stops every relay (SIGTERM; a killed one is already gone), then drops the schema and the keys. */
  stop(): Promise<void>;
}

/** Why scale-out mode cannot run here (PostgreSQL or Redis unreachable), or null when it can. */
export async function clusterServicesMissing(): Promise<string | null> {
  const db = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2_000 });
  try {
    await db.connect();
    await db.query("SELECT 1");
  } catch (error) {
    return `PostgreSQL at ${DATABASE_URL} is unreachable (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    await db.end().catch(() => {});
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: () => null });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    return `Redis at ${REDIS_URL} is unreachable (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    redis.disconnect();
  }
  return null;
}

/** Drops the schema and deletes every key under the prefix; collects what failed rather than throwing halfway. */
async function dropClusterData(schema: string, prefix: string): Promise<void> {
  const problems: string[] = [];
  const db = new pg.Client({ connectionString: DATABASE_URL });
  try {
    await db.connect();
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } catch (error) {
    problems.push(`dropping schema ${schema}: ${String(error)}`);
  } finally {
    await db.end().catch(() => {});
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on("error", () => {});
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1_000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } catch (error) {
    problems.push(`deleting Redis keys ${prefix}*: ${String(error)}`);
  } finally {
    redis.disconnect();
  }
  if (problems.length > 0) throw new Error(`cleaning up after the cluster failed: ${problems.join("; ")}`);
}

/**
 * Starts `count` relays together on a fresh schema and prefix; `env` is added to each (a
 * benchmark that lifts a limit says which and why). They start in parallel, which is safe:
 * PgStore migrates under an advisory lock.
 */
export async function startRelayCluster(start: StartRelay, count: number, env: Record<string, string> = {}): Promise<RelayCluster> {
  const id = randomBytes(6).toString("hex");
  const schema = `cw_bench_${id}`;
  const prefix = `cwb:${id}:`;
  const clusterEnv = { DATABASE_URL, REDIS_URL, DATABASE_SCHEMA: schema, REDIS_PREFIX: prefix, ...env };
  const settled = await Promise.allSettled(Array.from({ length: count }, () => start(clusterEnv)));
  const relays = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      // Relays first: one still running would write into the schema being dropped.
      await Promise.all(relays.map((r) => r.stop()));
      await dropClusterData(schema, prefix);
    })());
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) {
    await stop().catch(() => {});
    throw failed.reason;
  }
  return { relays, schema, prefix, stop };
}
