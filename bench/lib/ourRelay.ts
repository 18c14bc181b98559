// Our relay exactly as tests/helpers/relay.ts starts it (that helper uses vitest's
// onTestFinished, so it cannot be imported here).
import fs from "node:fs";
import path from "node:path";
import type { CreateWorkshopResponse } from "@crosswalk/shared";
import { tempDir } from "./cleanup.js";
import { spawnServer, type ServerProcess } from "./serverProcess.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const MAIN = path.join(ROOT, "relay/dist/main.js");
const SECRET = "bench-secret-for-crosswalk-relay-0123456789";

/** A running Crosswalk relay. */
export interface OurRelay {
  url: string;
  wsUrl: string;
  dataDir: string;
  /** performance.now() when it printed its ready line. */
  startedAt: number;
  process: ServerProcess;
  createWorkshop(title: string): Promise<CreateWorkshopResponse>;
  /** Storage commit counters from the relay's /metrics. */
  storageCounters(): Promise<StorageCounters>;
  stop(): Promise<void>;
}

/** Cumulative storage figures; the difference of two readings describes a window. */
export interface StorageCounters {
  /** Batches committed (SQLite: to the WAL; an fsync shared by every commit before it follows, off the main thread). */
  commits: number;
  commitSeconds: number;
  updates: number;
}

/** Warnings and errors the relay logged (pino JSON on stderr, level >= warn), one line each. */
export function loggedProblems(relay: OurRelay): string[] {
  return relay.process
    .output()
    .split("\n")
    .flatMap((line) => {
      if (!line.startsWith("{")) return [];
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string };
        return (entry.level ?? 0) >= 40 ? [line.length > 300 ? `${line.slice(0, 300)}…` : line] : [];
      } catch {
        return [];
      }
    });
}

function metricValue(text: string, name: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

/**
 * Starts relay/dist/main.js on port 0 with `dataDir` (a fresh temporary one by default);
 * `env` adds or overrides variables (a benchmark that must lift a limit says which and why).
 */
export async function startOurRelay(dataDir = tempDir("crosswalk-bench-data-"), env: Record<string, string> = {}): Promise<OurRelay> {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the relay first (./node_modules/.bin/tsc -b)`);
  const { server, ready } = await spawnServer({
    label: "our relay",
    args: [MAIN],
    cwd: ROOT,
    env: { PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, CROSSWALK_SECRET: SECRET, LOG_LEVEL: "warn", ...env },
    ready: /^listening on (http:\/\/\S+)$/,
  });
  const url = ready[1]!;
  return {
    url,
    wsUrl: `${url.replace(/^http/, "ws")}/ws`,
    dataDir,
    startedAt: performance.now(),
    process: server,
    createWorkshop: async (title) => {
      const res = await fetch(`${url}/api/workshops`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title, organizations: [{ name: "District", kind: "district" }] }),
      });
      if (res.status !== 201) throw new Error(`creating a workshop failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as CreateWorkshopResponse;
    },
    storageCounters: async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return {
        commits: metricValue(text, "crosswalk_storage_write_seconds_count"),
        commitSeconds: metricValue(text, "crosswalk_storage_write_seconds_sum"),
        updates: metricValue(text, "crosswalk_updates_in_total"),
      };
    },
    stop: () => server.stop(),
  };
}
