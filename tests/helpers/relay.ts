// Relays for Vitest tests: spawned, and killed when the test finishes.
import { onTestFinished } from "vitest";
import { Redis } from "ioredis";
import pg from "pg";
import { clusterNames, respawnRelay, spawnRelay, TEST_DATABASE_URL, TEST_REDIS_URL, type RelayOptions, type RelayProcess } from "./spawnRelay.js";
import { tmpDir } from "./tmpDir.js";

export { TEST_SECRET, type RelayProcess } from "./spawnRelay.js";
export { createWorkshop, metric, sampleWorkshop } from "./api.js";

/** Starts a relay for this test (temporary DATA_DIR), killed when the test finishes. */
export async function startRelay(options: RelayOptions = {}): Promise<RelayProcess> {
  const relay = await spawnRelay({ dataDir: options.dataDir ?? tmpDir("crosswalk-data-"), ...options });
  // One hook, so the relay is gone before its schema is dropped whatever order hooks run in.
  onTestFinished(async () => {
    await relay.kill();
    if ("DATABASE_SCHEMA" in relay.env) await dropClusterData(relay.dataDir, relay.env.REDIS_URL);
  });
  return relay;
}

/** Drops the PostgreSQL schema and Redis keys of a scale-out relay's "data directory". */
export async function dropClusterData(dataDir: string, redisUrl = TEST_REDIS_URL): Promise<void> {
  const { schema, prefix } = clusterNames(dataDir);
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await client.connect();
    // A killed relay's PostgreSQL backend can still be finishing a transaction on these tables
    // (the server notices the closed socket only then), and a DROP racing it may be chosen as the
    // victim of a deadlock: try again.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        break;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 10 || (code !== "40P01" && code !== "55P03")) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    await client.end().catch(() => {});
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } catch {
    // a private Redis of the test may be gone already
  } finally {
    redis.disconnect();
  }
}

/** Options for startCluster. */
export interface ClusterOptions {
  /** Default: this machine's Redis. */
  redisUrl?: string;
  /** Default: this machine's PostgreSQL. */
  databaseUrl?: string;
  env?: Record<string, string>;
}

/** Starts `count` relays in scale-out mode sharing one schema and key prefix; stopped and cleaned when the test finishes. */
export async function startCluster(count: number, options: ClusterOptions = {}): Promise<RelayProcess[]> {
  const dataDir = tmpDir("crosswalk-cluster-");
  const env: Record<string, string> = {
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  };
  onTestFinished(() => dropClusterData(dataDir, options.redisUrl));
  // All at once, as after a deploy: migrations run under an advisory lock, once.
  const started = await Promise.allSettled(Array.from({ length: count }, () => spawnRelay({ dataDir, cluster: true, env })));
  for (const s of started) if (s.status === "fulfilled") onTestFinished(() => s.value.kill());
  return started.map((s) => {
    if (s.status === "rejected") throw s.reason;
    return s.value;
  });
}

/** Restarts a relay on the same data directory and port, killed when the test finishes. */
export async function restartRelay(previous: RelayProcess): Promise<RelayProcess> {
  const relay = await respawnRelay(previous);
  onTestFinished(() => relay.kill());
  return relay;
}

