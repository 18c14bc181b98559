// Memory per idle connection, ours vs the stock y-websocket server: 2,000 y-websocket clients
// spread over 20 workshops connect, sync, announce their presence and go quiet, and the
// server's memory grows by what each connection costs it. One client per workshop connects
// first and the baseline is taken after it, so loading the 20 documents is not charged to the
// connections; on the stock server that client brings the workshop's starting document, which
// our relay creates itself. Rounds alternate, ours then stock.
//
// Three figures per connection: resident memory as it is (VmRSS, /proc), resident memory after
// a full garbage collection, and the live JavaScript heap after it (gcOnSignal.mjs, preloaded
// into both servers alike). RSS grows in steps as the heap takes pages, so a server that starts
// with a large, half-empty heap fits many connections into pages it already has; the live heap
// says what each connection keeps.
import { setTimeout as sleep } from "node:timers/promises";
import type { Benchmark, Json, Outcome, Row } from "./lib/Benchmark.js";
import { collectGarbage, gcNodeOptions } from "./lib/collectGarbage.js";
import { percentiles, round } from "./lib/percentiles.js";
import { mib, openFileLimits, processMemory } from "./lib/processMemory.js";
import { formatRatio, ratio } from "./lib/ratio.js";
import { connectRaw, roomUrl, type RawClient } from "./lib/rawClient.js";
import type { ServerProcess } from "./lib/serverProcess.js";
import { ourTarget, stockTarget, type RoomAccess, type Target } from "./lib/targets.js";
import { waitForIdle } from "./lib/waitForIdle.js";
import { workshopDocument } from "./lib/workshopDocument.js";

const CONNECTIONS = 2_000;
const WORKSHOPS = 20;
const ROUNDS = 2;
/** Connections opened at once; more only queues up in the server's accept backlog. */
const CONNECT_BATCH = 100;
/** The provider renews its presence every 15 s (y-protocols' awareness timeout is 30 s). */
const AWARENESS_RENEW_MS = 15_000;
/**
 * Every bench client comes from 127.0.0.1, and our relay allows 1,000 connections per address
 * by default (an anti-abuse cap; 2,000 people come from many addresses), so it is lifted.
 */
const OUR_ENV = { MAX_CONNECTIONS_PER_IP: String(CONNECTIONS * 2) };
/** The last round keeps its clients this long after connecting: past the 30 s ping of both servers. */
const HOLD_MS = 32_000;
/** Quiet time before reading memory, after the server's CPU went idle. */
const IDLE_MS = 2_000;

/** The server's memory at one moment. */
interface Reading {
  /** VmRSS as the server holds it (median of a few readings). */
  rss: number;
  /** VmRSS right after a full garbage collection. */
  rssAfterGc: number;
  /** Live JavaScript heap and memory of JS objects held outside it, after the collection. */
  liveHeap: number;
}

/** One round on one server. */
interface IdleRun {
  before: Reading;
  after: Reading;
  /** Connections added between the two readings. */
  added: number;
  connectSeconds: number;
  /** Clients the server closed before memory was read (the reading then undercounts). */
  droppedWhileMeasuring: number;
  /** Clients the server closed while they stayed idle past its ping (null: not held). */
  droppedAfterHold: number | null;
}

async function read(server: ServerProcess): Promise<Reading> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    readings.push(processMemory(server.pid).rss);
    await sleep(100);
  }
  const collected = await collectGarbage(server);
  await sleep(200);
  return { rss: percentiles(readings)!.p50, rssAfterGc: processMemory(server.pid).rss, liveHeap: collected.heapUsed + collected.external };
}

async function connectAll(target: Target, accesses: readonly RoomAccess[], from: number, to: number, clients: RawClient[]): Promise<void> {
  for (let start = from; start < to; start += CONNECT_BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(CONNECT_BATCH, to - start) }, async (_, k) => {
        const i = start + k;
        const access = accesses[i % accesses.length]!;
        // The first client of a stock room brings the workshop's starting document.
        const doc = target.startsEmpty && i < accesses.length ? workshopDocument(`Bench workshop ${i}`) : undefined;
        const client = await connectRaw(roomUrl(target.serverUrl, access.room, access.readerParams), {
          ...(doc && { doc }),
          awareness: { clientId: 1_000_000 + i, state: { user: { name: `Participant ${i}`, color: "#2f6f9f" } } },
        });
        clients.push(client);
        await client.synced;
      }),
    );
  }
}

/** Clients a measurement left connected, for the check that idle clients stay connected. */
interface Kept {
  label: string;
  clients: RawClient[];
  connectedAt: number;
  release(): void;
}

/** Measures one server; with `keep`, its clients stay connected (and keep renewing their presence). */
async function measure(target: Target, server: ServerProcess, keep: boolean, log: (line: string) => void): Promise<{ run: IdleRun; kept: Kept | null }> {
  const clients: RawClient[] = [];
  const renew = setInterval(() => {
    for (const c of clients) c.renewAwareness();
  }, AWARENESS_RENEW_MS);
  const release = (): void => {
    clearInterval(renew);
    for (const c of clients) c.close();
  };
  try {
    const rooms = await target.openRooms(WORKSHOPS);
    await connectAll(target, rooms, 0, WORKSHOPS, clients);
    await waitForIdle(target.pid, 5_000);
    const before = await read(server);
    log(`${target.label}: ${WORKSHOPS} workshops loaded, RSS ${mib(before.rss)}; connecting ${CONNECTIONS - WORKSHOPS} more clients`);
    const started = performance.now();
    await connectAll(target, rooms, WORKSHOPS, CONNECTIONS, clients);
    const connectedAt = performance.now();
    await waitForIdle(target.pid, 5_000);
    await sleep(IDLE_MS);
    const after = await read(server);
    const droppedWhileMeasuring = clients.filter((c) => c.closes.length > 0).length;
    log(`${target.label}: ${clients.length} clients connected in ${((connectedAt - started) / 1000).toFixed(1)} s, idle RSS ${mib(after.rss)}`);
    const run: IdleRun = { before, after, added: CONNECTIONS - WORKSHOPS, connectSeconds: (connectedAt - started) / 1000, droppedWhileMeasuring, droppedAfterHold: null };
    if (!keep) release();
    return { run, kept: keep ? { label: target.label, clients, connectedAt, release } : null };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Idle clients must stay connected: each server pings its clients every 30 s and drops those
 * that do not answer. Keeps `kept` until HOLD_MS after they connected, then counts the dropped.
 */
async function holdIdle(kept: Kept, run: IdleRun, log: (line: string) => void): Promise<void> {
  try {
    await sleep(Math.max(0, kept.connectedAt + HOLD_MS - performance.now()));
    run.droppedAfterHold = kept.clients.filter((c) => c.closes.length > 0).length;
    log(`${kept.label}: ${run.droppedAfterHold} of ${kept.clients.length} idle clients dropped by the server within ${HOLD_MS / 1000} s`);
  } finally {
    kept.release();
  }
}

/** A server that cannot hold the connections would refuse some and the figure would be wrong. */
function checkServerFiles(label: string, pid: number): void {
  const { soft, hard } = openFileLimits(pid);
  if (soft < CONNECTIONS + 100) throw new Error(`${label} may open only ${soft} files (hard limit ${hard}), fewer than ${CONNECTIONS} connections need`);
}

export const idleMemory: Benchmark = {
  name: "idle-memory",
  description: `memory per idle y-websocket connection, ${CONNECTIONS.toLocaleString("en")} connections over ${WORKSHOPS} workshops: our relay vs stock @y/websocket-server (LevelDB)`,
  async run(ctx): Promise<Outcome> {
    const limits = openFileLimits("self");
    if (limits.soft < CONNECTIONS + 200) {
      // Node raises its soft limit to the hard one when it starts, so only the hard limit can be short.
      throw new Error(`this process may open only ${limits.soft} files (hard limit ${limits.hard}); ${CONNECTIONS} sockets need more: raise the hard limit (\`ulimit -Hn ${CONNECTIONS * 4}\` as root) and rerun`);
    }
    const gc = { NODE_OPTIONS: gcNodeOptions() };
    const ours: IdleRun[] = [];
    const stock: IdleRun[] = [];
    let stockPersistence = "leveldb";
    for (let r = 1; r <= ROUNDS; r++) {
      ctx.log(`round ${r}/${ROUNDS}`);
      // The last round keeps both servers' clients connected past their pings, meanwhile
      // measuring the other server (idle sockets cost the other process no CPU to speak of).
      const last = r === ROUNDS;
      const relay = await ctx.startOurs(undefined, { ...OUR_ENV, ...gc });
      checkServerFiles("our relay", relay.process.pid);
      const o = await measure(ourTarget(relay), relay.process, last, ctx.log);
      ours.push(o.run);
      if (!last) await relay.stop();

      const server = await ctx.startStock(undefined, gc);
      checkServerFiles("the stock server", server.process.pid);
      stockPersistence = server.persistence.kind;
      const s = await measure(stockTarget(server), server.process, last, ctx.log).catch(async (error: unknown) => {
        o.kept?.release();
        throw error;
      });
      stock.push(s.run);
      if (o.kept) await holdIdle(o.kept, o.run, ctx.log);
      if (s.kept) await holdIdle(s.kept, s.run, ctx.log);
      await relay.stop();
      await server.stop();
    }
    return report(ours, stock, stockPersistence);
  },
};

/** Bytes per added connection of one figure, mean over rounds, and each round's. */
function perConnection(runs: readonly IdleRun[], figure: keyof Reading): { mean: number; each: number[] } {
  const each = runs.map((r) => (r.after[figure] - r.before[figure]) / r.added);
  return { mean: each.reduce((a, b) => a + b, 0) / each.length, each };
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

function report(ours: IdleRun[], stock: IdleRun[], stockPersistence: string): Outcome {
  const stockLabel = stockPersistence === "leveldb" ? "stock (LevelDB)" : "stock (NO persistence: fallback)";
  const figures = [
    { key: "rss", metric: "RSS per idle connection" },
    { key: "rssAfterGc", metric: "RSS per idle connection, after a full GC" },
    { key: "liveHeap", metric: "live JS heap per idle connection, after a full GC" },
  ] as const;
  const held = (runs: IdleRun[]): string => {
    const x = runs.find((r) => r.droppedAfterHold !== null);
    return x ? `${x.droppedAfterHold} of ${CONNECTIONS}` : "not checked";
  };
  const side = (label: string, runs: IdleRun[]): Row[] => [
    ...figures.map(({ key, metric }): Row => {
      const p = perConnection(runs, key);
      return [label, metric, `${kib(p.mean)} (rounds: ${p.each.map(kib).join(", ")})`];
    }),
    [label, "RSS with 20 / 2,000 connections (last round)", `${mib(runs.at(-1)!.before.rss)} / ${mib(runs.at(-1)!.after.rss)}`],
    [label, `time to connect and sync ${(CONNECTIONS - WORKSHOPS).toLocaleString("en")} clients`, runs.map((x) => `${x.connectSeconds.toFixed(1)} s`).join(", ")],
    [label, `idle clients dropped within ${HOLD_MS / 1000} s (last round)`, held(runs)],
  ];
  const ratios = Object.fromEntries(figures.map(({ key }) => [key, ratio(perConnection(ours, key).mean, perConnection(stock, key).mean)])) as Record<(typeof figures)[number]["key"], number | null>;
  const metRss = ratios.rss !== null && ratios.rss <= 1;
  const metHeap = ratios.liveHeap !== null && ratios.liveHeap <= 1;
  const rows: Row[] = [
    ...side("ours", ours),
    ...side(stockLabel, stock),
    ...figures.map(({ key, metric }): Row => ["ours / stock", `${metric}: ratio`, formatRatio(ratios[key])]),
    ["ours", "target: RSS per connection <= stock's", metRss ? "MET" : "NOT MET"],
    ["ours", "live JS heap per connection <= stock's", metHeap ? "yes" : "NO"],
  ];

  const notes: string[] = [];
  for (const [label, runs] of [["ours", ours], ["stock", stock]] as const) {
    const early = runs.reduce((n, x) => n + x.droppedWhileMeasuring, 0);
    if (early > 0) notes.push(`${label}: ${early} clients were disconnected before memory was read; those readings undercount.`);
    const x = runs.find((r) => r.droppedAfterHold !== null);
    if (x && x.droppedAfterHold! > 0) notes.push(`${label}: ${x.droppedAfterHold} of ${CONNECTIONS} idle, healthy clients (they answer pings) were disconnected within ${HOLD_MS / 1000} s.`);
  }
  if (metRss !== metHeap) {
    notes.push(
      `RSS and live heap disagree: ours ${kib(perConnection(ours, "liveHeap").mean)} vs stock ${kib(perConnection(stock, "liveHeap").mean)} of live heap per connection, ` +
        `but our relay starts with ${mib(ours.at(-1)!.before.rss)} resident (stock ${mib(stock.at(-1)!.before.rss)}), and connections fill heap pages it already holds.`,
    );
  }

  const json = (runs: IdleRun[]): { [key: string]: Json } => ({
    ...Object.fromEntries(figures.map(({ key }) => [`${key}BytesPerConnection`, Math.round(perConnection(runs, key).mean)])),
    droppedAfterHold: runs.find((r) => r.droppedAfterHold !== null)?.droppedAfterHold ?? null,
    rounds: runs.map((x) => ({
      before: { ...x.before },
      after: { ...x.after },
      connectionsAdded: x.added,
      connectSeconds: round(x.connectSeconds),
      droppedWhileMeasuring: x.droppedWhileMeasuring,
    })),
  });
  return {
    rows,
    notes,
    summary: {
      connections: CONNECTIONS,
      workshops: WORKSHOPS,
      holdSeconds: HOLD_MS / 1000,
      ours: json(ours),
      stock: { ...json(stock), persistence: stockPersistence },
      ratio: Object.fromEntries(figures.map(({ key }) => [key, ratios[key] === null ? null : round(ratios[key]!)])),
      targetMet: metRss,
      liveHeapNoWorse: metHeap,
    },
  };
}
