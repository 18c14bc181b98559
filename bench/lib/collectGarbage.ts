// Full garbage collections on demand in a server under test (see gcOnSignal.mjs), for any
// Node server: ours and the stock one alike.
import path from "node:path";
import type { ServerProcess } from "./serverProcess.js";
import { until } from "./until.js";

const PRELOAD = path.join(import.meta.dirname, "gcOnSignal.mjs");

/** NODE_OPTIONS for a server that should collect garbage on SIGUSR2 (added to any already set). */
export function gcNodeOptions(): string {
  return [process.env.NODE_OPTIONS, "--expose-gc", `--import=${PRELOAD}`].filter(Boolean).join(" ");
}

/** What the server's process.memoryUsage() said right after a full collection. */
export interface CollectedMemory {
  heapUsed: number;
  external: number;
  rss: number;
}

/** Makes the server collect garbage and returns its memory after. */
export async function collectGarbage(server: ServerProcess): Promise<CollectedMemory> {
  const count = (): number => server.output().split("BENCH_GC ").length;
  const before = count();
  server.child.kill("SIGUSR2");
  await until(() => count() > before, "the server to collect garbage (was it started with gcNodeOptions()?)", 10_000);
  const line = server.output().split("BENCH_GC ").at(-1)!.split("\n")[0]!;
  const m = JSON.parse(line) as CollectedMemory;
  return { heapUsed: m.heapUsed, external: m.external, rss: m.rss };
}
