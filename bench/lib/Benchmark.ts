// What a benchmark is, so adding one is a new file and one line in run.ts's list.
import type { Load } from "./workload.js";
import type { OurRelay } from "./ourRelay.js";
import type { StockServer } from "./stockServer.js";

/** A JSON value for the summary line. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** One table row: what was measured, which figure, its printed value. */
export type Row = [subject: string, metric: string, value: string];

/** What a benchmark can use; servers it starts are stopped for it, even when it throws. */
export interface BenchContext {
  /** Our relay on `dataDir` (a fresh temp dir by default), with `env` added to its environment. */
  startOurs(dataDir?: string, env?: Record<string, string>): Promise<OurRelay>;
  /** Stock server persisting to `persistDir` (a fresh temp dir by default), with `env` added to its environment. */
  startStock(persistDir?: string, env?: Record<string, string>): Promise<StockServer>;
  tempDir(prefix: string): string;
  /** `base` with the run's overrides (BENCH_DURATION_MS) applied. */
  load(base: Load): Load;
  log(line: string): void;
}

/** What a benchmark reports. */
export interface Outcome {
  rows: Row[];
  summary: { [key: string]: Json };
  /** Lines printed under the table (warnings, caveats). */
  notes: string[];
}

/** A named benchmark. */
export interface Benchmark {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<Outcome>;
}
