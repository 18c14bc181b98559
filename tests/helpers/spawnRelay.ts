// Spawns the real relay (the built relay/dist/main.js, as `npm start` runs it) on port 0;
// free of test-runner APIs so Vitest, Playwright and the benchmarks can all use it.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";

const MAIN = path.resolve(import.meta.dirname, "../../relay/dist/main.js");
/** A fixed signing key, so tests can make expired or foreign tokens. */
export const TEST_SECRET = "test-secret-for-crosswalk-relay-0123456789";

/** A relay process under test. */
export interface RelayProcess {
  url: string;
  wsUrl: string;
  dataDir: string;
  env: Record<string, string>;
  child: ChildProcess;
  /** Everything the relay wrote to stderr (its logs). */
  stderr(): string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

/** PostgreSQL and Redis of this machine (CI's too), used by the scale-out mode and STORE=postgres runs. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** The PostgreSQL schema and Redis prefix that stand for a data directory in scale-out mode. */
export function clusterNames(dataDir: string): { schema: string; prefix: string } {
  const id = createHash("sha256").update(dataDir).digest("hex").slice(0, 12);
  return { schema: `cw_t_${id}`, prefix: `cwt:${id}:` };
}

/** Environment that puts a relay in scale-out mode on this machine's PostgreSQL and Redis. */
export function clusterEnv(dataDir: string): Record<string, string> {
  const { schema, prefix } = clusterNames(dataDir);
  return { DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL, DATABASE_SCHEMA: schema, REDIS_PREFIX: prefix };
}

/** Options for startRelay. */
export interface RelayOptions {
  dataDir?: string;
  /** A fixed port (to restart on the same address); default 0. */
  port?: number;
  /** Scale-out mode (PostgreSQL + Redis) for this data directory; default: when STORE=postgres. */
  cluster?: boolean;
  env?: Record<string, string>;
}

/** Spawns a relay and resolves once it prints its URL; the caller stops it. */
export async function spawnRelay(options: RelayOptions = {}): Promise<RelayProcess> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "crosswalk-data-"));
  const env: Record<string, string> = {
    PORT: String(options.port ?? 0),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    CROSSWALK_SECRET: TEST_SECRET,
    UNLOAD_DELAY_MS: "50",
    LOG_LEVEL: "warn",
    ...((options.cluster ?? process.env.STORE === "postgres") ? clusterEnv(dataDir) : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const m = /^listening on (http:\/\/\S+)$/.exec(line);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`relay exited with ${code} before listening:\n${stderr}`)));
  });
  const relay: RelayProcess = {
    url,
    wsUrl: url.replace(/^http/, "ws") + "/ws",
    dataDir,
    env,
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
  return relay;
}

/** Starts a relay again on the same data directory and port (so clients reconnect by themselves). */
export async function respawnRelay(previous: RelayProcess): Promise<RelayProcess> {
  const port = Number(new URL(previous.url).port);
  // The old process is gone; its port may take a moment to be free for rebinding.
  for (let attempt = 0; ; attempt++) {
    try {
      return await spawnRelay({ dataDir: previous.dataDir, port, cluster: "DATABASE_URL" in previous.env, env: { ...previous.env, PORT: String(port) } });
    } catch (error) {
      if (attempt > 50 || !String(error).includes("EADDRINUSE")) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

