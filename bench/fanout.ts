// Fan-out latency, ours vs the stock y-websocket server: from a writer's local change to each
// other client of its room seeing it. The servers never run at the same time (they would
// compete for cores), and they alternate in rounds so a passing disturbance hits both. After
// each run the server is killed (SIGKILL) and restarted, to show what each one's storage kept.
import type { Benchmark, Json, Outcome, Row } from "./lib/Benchmark.js";
import { addResults } from "./lib/addResults.js";
import { TWENTY_WORKSHOPS } from "./lib/loads.js";
import { ms, percentiles, round } from "./lib/percentiles.js";
import { addSurvival, survivesKill, type Survival } from "./lib/persistenceCheck.js";
import { percentilesJson, runJson, runNotes, runRows } from "./lib/report.js";
import type { StockPersistence } from "./lib/stockServer.js";
import { ourTarget, stockTarget } from "./lib/targets.js";
import { runWorkload, type WorkloadResult } from "./lib/workload.js";

/** Rounds of ours-then-stock; the measured time is split between them. */
const ROUNDS = 2;

/** One server's figures over all rounds. */
interface Side {
  run: WorkloadResult | null;
  survival: Survival | null;
}

export const fanout: Benchmark = {
  name: "fanout",
  description: "fan-out latency, 20 workshops x 10 clients, 1 writer each at 20 changes/s: our relay vs stock @y/websocket-server (LevelDB)",
  async run(ctx): Promise<Outcome> {
    const full = ctx.load(TWENTY_WORKSHOPS);
    const load = { ...full, durationMs: Math.round(full.durationMs / ROUNDS) };
    const persistDir = ctx.tempDir("crosswalk-bench-stock-");
    const ours: Side = { run: null, survival: null };
    const stock: Side = { run: null, survival: null };
    let persistence: StockPersistence | null = null;
    for (let round = 1; round <= ROUNDS; round++) {
      ctx.log(`round ${round}/${ROUNDS}`);
      const relay = await ctx.startOurs();
      const o = await runWorkload(ourTarget(relay), load, ctx.log);
      ours.run = ours.run ? addResults(ours.run, o) : o;
      const restartOurs = async () => {
        const again = await ctx.startOurs(relay.dataDir);
        return { serverUrl: again.wsUrl, stop: again.stop };
      };
      ours.survival = addSurvival(ours.survival, await survivesKill(relay.process.kill, restartOurs, o.rooms, o.finalTexts));

      const server = await ctx.startStock(persistDir);
      persistence ??= server.persistence;
      const s = await runWorkload(stockTarget(server), load, ctx.log);
      stock.run = stock.run ? addResults(stock.run, s) : s;
      if (server.persistence.kind !== "leveldb") {
        await server.stop();
        continue;
      }
      const restartStock = async () => {
        const again = await ctx.startStock(persistDir);
        return { serverUrl: again.wsUrl, stop: again.stop };
      };
      stock.survival = addSurvival(stock.survival, await survivesKill(server.process.kill, restartStock, s.rooms, s.finalTexts));
    }
    if (!ours.run || !stock.run || !persistence) throw new Error("no rounds ran");
    return report(ours.run, ours.survival, stock.run, stock.survival, persistence);
  },
};

const survivalText = (s: Survival | null): string => (s === null ? "not checked (no persistence)" : `${s.intact}/${s.rooms} (${s.changesLost} seen changes lost)`);
const survivalJson = (s: Survival | null): Json => (s === null ? null : { rooms: s.rooms, intact: s.intact, changesLost: s.changesLost });

function report(oursRun: WorkloadResult, oursSurvival: Survival | null, stockRun: WorkloadResult, stockSurvival: Survival | null, persistence: StockPersistence): Outcome {
  const stockLabel = persistence.kind === "leveldb" ? "stock (LevelDB)" : "stock (NO persistence: fallback)";
  const o = percentiles(oursRun.fanoutMs);
  const s = percentiles(stockRun.fanoutMs);
  const ratio = (a: number | undefined, b: number | undefined): number | null => (a !== undefined && b !== undefined && b > 0 ? a / b : null);
  const p50Ratio = ratio(o?.p50, s?.p50);
  const p99Ratio = ratio(o?.p99, s?.p99);
  const x = (r: number | null): string => (r === null ? "n/a" : `${r.toFixed(2)}x`);

  const rows: Row[] = [
    ["ours", "fan-out p50", ms(o?.p50)],
    ["ours", "fan-out p99", ms(o?.p99)],
    [stockLabel, "fan-out p50", ms(s?.p50)],
    [stockLabel, "fan-out p99", ms(s?.p99)],
    ["ours / stock", "p50 ratio", x(p50Ratio)],
    ["ours / stock", "p99 ratio", x(p99Ratio)],
    ["ours", "rooms intact after kill -9 + restart", survivalText(oursSurvival)],
    [stockLabel, "rooms intact after kill -9 + restart", survivalText(stockSurvival)],
    ...runRows("ours", oursRun),
    ...runRows(stockLabel, stockRun),
  ];
  const notes = [...runNotes("ours", oursRun), ...runNotes("stock", stockRun)];
  if (persistence.kind === "none") notes.push(`The stock server ran WITHOUT persistence because LevelDB failed to load: ${persistence.reason}`);
  else notes.push("Ours commits every update (to SQLite's WAL: a crash of the process loses nothing) before relaying it (Durability 1), and fsyncs off its main thread before acknowledging it as saved (Durability 2); the stock server relays first and writes LevelDB behind it, without fsync.");
  if (oursSurvival && oursSurvival.intact < oursSurvival.rooms) notes.push(`ours: ${oursSurvival.changesLost} changes every client had seen were lost by kill -9: a Durability 1 violation.`);

  const stockJson: { [key: string]: Json } = { fanout: percentilesJson(s), persistence: persistence.kind, afterKill: survivalJson(stockSurvival), ...runJson(stockRun) };
  if (persistence.kind === "none") stockJson.persistenceError = persistence.reason;
  return {
    rows,
    notes,
    summary: {
      rounds: ROUNDS,
      ours: { fanout: percentilesJson(o), afterKill: survivalJson(oursSurvival), ...runJson(oursRun) },
      stock: stockJson,
      ratio: { p50: p50Ratio === null ? null : round(p50Ratio), p99: p99Ratio === null ? null : round(p99Ratio) },
    },
  };
}
