// `npm run bench`: runs every benchmark in BENCHMARKS against real servers on loopback and
// prints a table, then one JSON line (the last line of output) for scripts and the README.
// Environment: BENCH_ONLY=name,name  BENCH_DURATION_MS=ms  BENCH_STOCK_NO_LEVELDB=1 (test the fallback).
import { analysis } from "./analysis.js";
import { annotations } from "./annotations.js";
import { cluster } from "./cluster.js";
import { coldLoad } from "./coldLoad.js";
import { exportDocs } from "./exportDocs.js";
import { fanout } from "./fanout.js";
import { idleMemory } from "./idleMemory.js";
import type { BenchContext, Benchmark, Json, Outcome, Row } from "./lib/Benchmark.js";
import { cleanupNow, installCleanupHandlers, tempDir } from "./lib/cleanup.js";
import { machine } from "./lib/machine.js";
import { loggedProblems, startOurRelay, type OurRelay } from "./lib/ourRelay.js";
import { startStockServer } from "./lib/stockServer.js";
import { formatTable } from "./lib/table.js";
import { savedLatencyOneWorkshop, savedLatencyTwentyWorkshops } from "./savedLatency.js";
import { throughput } from "./throughput.js";

/** Add a benchmark here; it runs in this order. */
const BENCHMARKS: readonly Benchmark[] = [fanout, savedLatencyTwentyWorkshops, savedLatencyOneWorkshop, annotations, throughput, idleMemory, coldLoad, analysis, exportDocs, cluster];

/** The whole run must stay bounded even if a server hangs. */
const WATCHDOG_MS = 25 * 60_000;

const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim()).filter(Boolean);
const durationOverride = process.env.BENCH_DURATION_MS ? Number(process.env.BENCH_DURATION_MS) : null;
const stockNoLevelDb = process.env.BENCH_STOCK_NO_LEVELDB === "1";

const log = (line: string): void => void process.stdout.write(`  ${line}\n`);

/** Runs one benchmark; servers it started are stopped even if it throws. */
async function runOne(bench: Benchmark): Promise<Outcome> {
  const stops: Array<() => Promise<void>> = [];
  const relays: OurRelay[] = [];
  const ctx: BenchContext = {
    startOurs: async (dataDir, env) => {
      const relay = await startOurRelay(dataDir, env);
      relays.push(relay);
      stops.push(relay.stop);
      return relay;
    },
    startStock: async (persistDir, env) => {
      const stock = await startStockServer(persistDir ?? tempDir("crosswalk-bench-stock-"), { forceNoPersistence: stockNoLevelDb, ...(env && { env }) });
      stops.push(stock.stop);
      return stock;
    },
    tempDir,
    load: (base) => (durationOverride && durationOverride > 0 ? { ...base, durationMs: durationOverride } : base),
    log,
  };
  try {
    const outcome = await bench.run(ctx);
    // Anything the relay complained about under load may be a bug, so it is never hidden.
    const problems = relays.flatMap(loggedProblems);
    if (problems.length > 0) outcome.notes.push(`our relay logged ${problems.length} warnings/errors, first: ${problems[0]}`);
    return outcome;
  } finally {
    // stop() is idempotent, so servers the benchmark already stopped cost nothing here.
    await Promise.all(stops.map((stop) => stop()));
  }
}

async function main(): Promise<number> {
  const m = machine();
  process.stdout.write(`Crosswalk benchmarks\nmachine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}\n`);
  const selected = BENCHMARKS.filter((b) => !only || only.includes(b.name));
  if (selected.length === 0) throw new Error(`BENCH_ONLY matched nothing; benchmarks: ${BENCHMARKS.map((b) => b.name).join(", ")}`);

  const rows: Array<readonly string[]> = [];
  const notes: string[] = [];
  const summary: { [key: string]: Json } = {};
  let failed = 0;
  for (const bench of selected) {
    process.stdout.write(`\n[${bench.name}] ${bench.description}\n`);
    const started = performance.now();
    try {
      const outcome = await runOne(bench);
      rows.push(...outcome.rows.map((r: Row) => [bench.name, ...r]));
      notes.push(...outcome.notes.map((n) => `[${bench.name}] ${n}`));
      summary[bench.name] = outcome.summary;
    } catch (error) {
      failed++;
      const message = error instanceof Error ? error.message : String(error);
      rows.push([bench.name, "-", "FAILED", message.split("\n")[0]!]);
      notes.push(`[${bench.name}] FAILED: ${message}`);
      summary[bench.name] = { error: message };
    }
    log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  process.stdout.write(`\n${formatTable(["benchmark", "subject", "metric", "value"], rows)}\n`);
  if (notes.length > 0) process.stdout.write(`\nNotes:\n${notes.map((n) => `- ${n}`).join("\n")}\n`);
  process.stdout.write(`\n${JSON.stringify({ machine: { ...m }, results: summary })}\n`);
  return failed === 0 ? 0 : 1;
}

installCleanupHandlers();
const watchdog = setTimeout(() => {
  process.stderr.write(`bench: still running after ${WATCHDOG_MS / 60_000} minutes; stopping servers and giving up\n`);
  cleanupNow();
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

let code = 1;
try {
  code = await main();
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
} finally {
  cleanupNow();
}
// Providers keep timers; exiting explicitly ends the run as soon as the report is out.
process.exit(code);
