// Several relays (scale-out mode: PostgreSQL + Redis Streams) against one relay on SQLite, in
// the same run, on three questions (issue 9):
//  (a) fan-out: 20 workshops x 10 clients, one writer each at 20 changes/s. On the cluster each
//      workshop's writer is on one relay and its 9 readers on the two others (the roles rotate
//      over the workshops, so each relay commits a third, as behind a load balancer); on one
//      relay and on the stock server everyone shares the server. Target: cross-relay p99
//      within 2x the one-relay p99. Writers ask for the saved acknowledgement, so the cluster's
//      latency splits into the wait for the PostgreSQL commit and the way through Redis.
//  (a') the same with one workshop of 10 clients: what the relays' own path costs when the
//      shared machine is not loaded by 19 other workshops (same target).
//  (b) the highest rate one workshop sustains with its two writers on two relays (10 readers
//      split between them), against both writers on one relay.
//  (c) failover: 200 providers on relay A; A is killed (SIGKILL); each client moves to B or C
//      and is timed until it holds every update. Alone, the relay is restarted on its port.
// Servers never work at the same time (the idle ones only hold their ports). Everything shares
// this machine's cores: three relays, PostgreSQL, Redis and the clients, unlike a deployment.
import type { BenchContext, Benchmark, Json, Outcome, Row } from "./lib/Benchmark.js";
import { measureFailover, type FailoverResult } from "./lib/failover.js";
import { TWENTY_WORKSHOPS } from "./lib/loads.js";
import type { OurRelay } from "./lib/ourRelay.js";
import { ms, percentiles, round, type Percentiles } from "./lib/percentiles.js";
import { runPlacedLoad, singleServer, sumCounters, type PlacedLoad, type PlacedResult, type PlacedServers } from "./lib/placedLoad.js";
import { rampPlaced, type Ramp, type RampRules } from "./lib/placedRamp.js";
import { formatRatio, ratio } from "./lib/ratio.js";
import { percentilesJson } from "./lib/report.js";
import { clusterServicesMissing, startRelayCluster, type RelayCluster } from "./lib/relayCluster.js";
import { ourTarget, stockTarget } from "./lib/targets.js";
import type { Load } from "./lib/workload.js";

const RELAYS = 3;
/** The issue's target: cross-relay fan-out p99 at most this multiple of one relay's. */
const TARGET_P99_RATIO = 2;

/**
 * (b)'s writers stand in for a room of typists, far above the 300 messages a second a
 * connection may send (RATE_MESSAGES_PER_SECOND, a limit against abuse), so the per-connection
 * limits are lifted, on every relay of (a) and (b) alike. Connection limits are not reached.
 */
const LIFTED = { RATE_MESSAGES_PER_SECOND: "1000000", RATE_BYTES_PER_SECOND: String(1024 ** 3) };

const RAMP: RampRules = {
  firstRate: 250,
  maxRate: 16_000,
  minRate: 15,
  stepMs: 1_500,
  drainMs: 1_500,
  maxP99Ms: 500,
  maxSendLagMs: 250,
  growthFloorMs: 100,
  bisections: 1,
  warmupRate: 100,
};
const RAMP_READERS = 10;

const FAILOVER_ROOMS = 20;
const FAILOVER_CLIENTS_PER_ROOM = 10;
const FAILOVER_TIMEOUT_MS = 15_000;

const ONE = "one relay (SQLite)";
const MANY = `${RELAYS} relays (PostgreSQL + Redis)`;

/** The cluster as PlacedServers: rooms are created through the first relay, every relay serves them. */
function clusterServers(cluster: RelayCluster): PlacedServers {
  return {
    ...singleServer(ourTarget(cluster.relays[0]!)),
    label: MANY,
    urls: cluster.relays.map((r) => r.wsUrl),
    pids: cluster.relays.map((r) => r.process.pid),
    storageCounters: () => sumCounters(cluster.relays.map((r) => r.storageCounters)),
  };
}

function fanoutLoad(load: Load, readers: number[], rotate: boolean): PlacedLoad {
  return { rooms: load.rooms, placement: { writers: [0], readers }, rotate, writerRate: load.changesPerSecond, warmupMs: load.warmupMs, durationMs: load.durationMs, drainMs: 5_000 };
}

/** Starts a relay on `port` again (after a SIGKILL the port can take a moment to be free). */
async function restartOn(start: (env: Record<string, string>) => Promise<OurRelay>, port: string): Promise<OurRelay> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await start({ PORT: port });
    } catch (error) {
      if (attempt >= 20 || !String(error).includes("EADDRINUSE")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export const cluster: Benchmark = {
  name: "cluster",
  description: `${RELAYS} relays sharing PostgreSQL + Redis vs one relay on SQLite: cross-relay fan-out (20 workshops x 10 clients, 20 changes/s each), max changes/s in one workshop with writers on two relays, and 200 clients of a SIGKILLed relay resynced through the others`,
  async run(ctx): Promise<Outcome> {
    const missing = await clusterServicesMissing();
    if (missing) return { rows: [["cluster", "skipped", missing]], summary: { skipped: missing }, notes: [`cluster: skipped, ${missing} (set TEST_DATABASE_URL / TEST_REDIS_URL).`] };
    const load = ctx.load({ ...TWENTY_WORKSHOPS, durationMs: 4_000 });
    const fanoutReaders = load.clientsPerRoom - load.writersPerRoom;

    const started = performance.now();
    const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;

    // (a) and (b) on one relay and on the cluster, both started now and idle while the other works.
    let one: OurRelay | null = null;
    let many: RelayCluster | null = null;
    let fanout: Fanouts;
    let ramps: { one: Ramp; many: Ramp };
    try {
      one = await ctx.startOurs(undefined, LIFTED);
      many = await startRelayCluster((env) => ctx.startOurs(undefined, env), RELAYS, LIFTED);
      const oneServers = { ...singleServer(ourTarget(one)), label: ONE };
      const manyServers = clusterServers(many);
      const shared = Array<number>(fanoutReaders).fill(0);
      ctx.log("fan-out: stock");
      const stock = await ctx.startStock();
      const stockFanout = await runPlacedLoad(singleServer(stockTarget(stock)), fanoutLoad(load, shared, false));
      await stock.stop();
      ctx.log(`fan-out: ${ONE}`);
      const oneFanout = await runPlacedLoad(oneServers, fanoutLoad(load, shared, false));
      ctx.log(`fan-out: ${MANY}, writer on one relay, readers on the two others`);
      // Readers alternate between the two relays that do not hold the writer.
      const crossReaders = Array.from({ length: fanoutReaders }, (_, i) => 1 + (i % (RELAYS - 1)));
      const manyFanout = await runPlacedLoad(manyServers, fanoutLoad(load, crossReaders, true));
      // (a') the same with one workshop: the relays' own path, without a machine loaded by the rest.
      const light: Load = { ...load, rooms: 1 };
      ctx.log(`fan-out, one workshop: ${ONE}`);
      const oneLight = await runPlacedLoad(oneServers, fanoutLoad(light, shared, false));
      ctx.log(`fan-out, one workshop: ${MANY}, cross-relay`);
      const manyLight = await runPlacedLoad(manyServers, fanoutLoad(light, crossReaders, false));
      fanout = { one: oneFanout, stock: stockFanout, stockPersistence: stock.persistence.kind, many: manyFanout, oneLight, manyLight };

      ctx.log(`throughput (after ${elapsed()})`);
      ramps = {
        one: await rampPlaced(oneServers, { writers: [0, 0], readers: Array<number>(RAMP_READERS).fill(0) }, RAMP, ctx.log),
        many: await rampPlaced(manyServers, { writers: [0, 1], readers: Array.from({ length: RAMP_READERS }, (_, i) => i % 2) }, RAMP, ctx.log),
      };
    } finally {
      await one?.stop();
      await many?.stop();
    }

    // (c): each failover on fresh relays, so no earlier part's rooms interfere.
    ctx.log(`failover (after ${elapsed()})`);
    const failover = { one: await failoverOne(ctx), many: await failoverMany(ctx) };
    ctx.log(`all parts done after ${elapsed()}`);
    return report(fanout, ramps, failover);
  },
};

/** (a)'s three runs. */
interface Fanouts {
  one: PlacedResult;
  stock: PlacedResult;
  stockPersistence: string;
  many: PlacedResult;
  /** (a'): one workshop only. */
  oneLight: PlacedResult;
  manyLight: PlacedResult;
}

async function failoverOne(ctx: BenchContext): Promise<FailoverResult> {
  const relay = await ctx.startOurs();
  const restarted: OurRelay[] = [];
  try {
    const target = ourTarget(relay);
    const port = new URL(relay.url).port;
    ctx.log(`failover: ${ONE}, killed and restarted on its port`);
    return await measureFailover(
      {
        rooms: await target.openRooms(FAILOVER_ROOMS),
        clientsPerRoom: FAILOVER_CLIENTS_PER_ROOM,
        homeUrl: relay.wsUrl,
        fallbackUrls: [relay.wsUrl],
        referenceUrl: () => relay.wsUrl,
        kill: relay.process.kill,
        recover: async () => void restarted.push(await restartOn((env) => ctx.startOurs(relay.dataDir, env), port)),
        timeoutMs: FAILOVER_TIMEOUT_MS,
      },
      ctx.log,
    );
  } finally {
    await relay.stop();
    await Promise.all(restarted.map((r) => r.stop()));
  }
}

async function failoverMany(ctx: BenchContext): Promise<FailoverResult> {
  const many = await startRelayCluster((env) => ctx.startOurs(undefined, env), RELAYS);
  try {
    const [a, ...others] = many.relays as [OurRelay, ...OurRelay[]];
    ctx.log(`failover: ${MANY}, relay A killed, clients move to the others`);
    return await measureFailover(
      {
        rooms: await ourTarget(a).openRooms(FAILOVER_ROOMS),
        clientsPerRoom: FAILOVER_CLIENTS_PER_ROOM,
        homeUrl: a.wsUrl,
        fallbackUrls: others.map((r) => r.wsUrl),
        referenceUrl: (room) => others[room % others.length]!.wsUrl,
        kill: a.process.kill,
        timeoutMs: FAILOVER_TIMEOUT_MS,
      },
      ctx.log,
    );
  } finally {
    await many.stop();
  }
}

const pair = (p: Percentiles | null): string => `${ms(p?.p50)} / ${ms(p?.p99)}`;
const share = (seconds: number | null, window: number): string => (seconds === null ? "n/a" : `${((seconds / window) * 100).toFixed(0)}%`);

function fanoutRows(subject: string, r: PlacedResult, relays: number): Row[] {
  const rows: Row[] = [
    [subject, "fan-out p50 / p99", pair(percentiles(r.latencies))],
    [subject, "  deliveries (got/expected)", `${r.latencies.length}/${r.expected}`],
  ];
  if (r.savedMs.length > 0) rows.push([subject, "  deliveries of saved changes that never arrived", String(r.savedNotDelivered)]);
  if (r.savedMs.length > 0) {
    rows.push([subject, "  send to saved ack p50 / p99", pair(percentiles(r.savedMs))]);
    rows.push([subject, "  saved ack to reader p50 / p99", pair(percentiles(r.afterSavedMs))]);
  }
  if (r.storage) {
    const meanCommit = r.storage.commits === 0 ? 0 : (r.storage.commitSeconds / r.storage.commits) * 1000;
    const perCommit = r.storage.commits === 0 ? 0 : r.storage.updates / r.storage.commits;
    rows.push([subject, "  commits / mean time / updates each / storage busy per relay", `${r.storage.commits} / ${ms(meanCommit)} / ${perCommit.toFixed(1)} / ${share(r.storage.commitSeconds / relays, r.windowSeconds)}`]);
  }
  rows.push([subject, "  CPU: servers / bench / other procs", `${share(r.cpu.server, r.windowSeconds)} / ${share(r.cpu.self, r.windowSeconds)} / ${share(r.cpu.others, r.windowSeconds)}`]);
  return rows;
}

function fanoutJson(r: PlacedResult): { [key: string]: Json } {
  const pct = (s: number | null): number | null => (s === null ? null : round((s / r.windowSeconds) * 100, 1));
  return {
    fanout: percentilesJson(percentiles(r.latencies)),
    savedAck: percentilesJson(percentiles(r.savedMs)),
    savedAckToReader: percentilesJson(percentiles(r.afterSavedMs)),
    delivered: r.latencies.length,
    expected: r.expected,
    savedNotDelivered: r.savedNotDelivered,
    storage: r.storage && { commits: r.storage.commits, commitSeconds: round(r.storage.commitSeconds), updates: r.storage.updates },
    cpuPercentOfOneCore: { servers: pct(r.cpu.server), benchClients: pct(r.cpu.self), otherProcesses: pct(r.cpu.others) },
    clientLoopDelayP99Ms: round(r.clientLoopDelayP99Ms),
    closes: r.closes.length,
  };
}

function rampRows(subject: string, r: Ramp): Row[] {
  const s = r.sustained;
  const f = r.failed;
  return [
    [subject, "max sustained changes/s (1.5 s, all delivered to 10 readers)", s ? String(s.rate) : "none"],
    [subject, "  at that rate: latency p50 / p99", s ? pair(s.latency) : "n/a"],
    [subject, "  lowest rate that failed", f ? `${f.rate}/s: ${f.failure}` : "none up to the cap"],
  ];
}

function rampJson(r: Ramp): { [key: string]: Json } {
  return {
    maxSustainedChangesPerSecond: r.sustained?.rate ?? 0,
    lowestFailedRate: r.failed?.rate ?? null,
    steps: r.steps.map((s) => ({ rate: s.rate, passed: s.failure === null, failure: s.failure, latency: percentilesJson(s.latency), delivered: s.result.latencies.length, expected: s.result.expected })),
  };
}

function failoverRows(subject: string, f: FailoverResult): Row[] {
  const all = f.allCompleteMs === null ? `NOT within ${FAILOVER_TIMEOUT_MS / 1000} s (${f.incomplete} incomplete)` : ms(f.allCompleteMs);
  const rows: Row[] = [
    [subject, `kill to all ${f.clients} clients holding every update`, all],
    [subject, "  per client: saw the close / reconnected / synced, p50", [f.lostMs, f.connectedMs, f.syncedMs].map((t) => ms(percentiles(t)?.p50)).join(" / ")],
    [subject, "  per client: holding every update p50 / p99 / max", `${pair(percentiles(f.completeMs))} / ${ms(percentiles(f.completeMs)?.max)}`],
  ];
  if (f.recoverMs !== null) rows.push([subject, "  kill to restarted relay listening", ms(f.recoverMs)]);
  rows.push([subject, "  clients ended on", Object.entries(f.landedOn).map(([url, n]) => `${new URL(url).port}: ${n}`).join(", ")]);
  return rows;
}

function failoverJson(f: FailoverResult): { [key: string]: Json } {
  return {
    clients: f.clients,
    allCompleteMs: f.allCompleteMs === null ? null : round(f.allCompleteMs),
    sawClose: percentilesJson(percentiles(f.lostMs)),
    reconnected: percentilesJson(percentiles(f.connectedMs)),
    synced: percentilesJson(percentiles(f.syncedMs)),
    holdingEveryUpdate: percentilesJson(percentiles(f.completeMs)),
    incomplete: f.incomplete,
    recoverMs: f.recoverMs === null ? null : round(f.recoverMs),
    typed: { beforeKill: f.typedBefore, offlineAfterKill: f.typedOffline, onSurvivorsAfterKill: f.typedMissed },
    closesBeforeKill: f.closesBefore.length,
  };
}

function report(
  fanout: Fanouts,
  ramps: { one: Ramp; many: Ramp },
  failover: { one: FailoverResult; many: FailoverResult },
): Outcome {
  const stockLabel = fanout.stockPersistence === "leveldb" ? "stock (LevelDB)" : "stock (NO persistence: fallback)";
  const one = percentiles(fanout.one.latencies);
  const many = percentiles(fanout.many.latencies);
  const stock = percentiles(fanout.stock.latencies);
  const p99Ratio = ratio(many?.p99, one?.p99);
  const holds = p99Ratio !== null && p99Ratio <= TARGET_P99_RATIO && fanout.many.latencies.length === fanout.many.expected;
  const oneLight = percentiles(fanout.oneLight.latencies);
  const manyLight = percentiles(fanout.manyLight.latencies);
  const lightRatio = ratio(manyLight?.p99, oneLight?.p99);
  const lightHolds = lightRatio !== null && lightRatio <= TARGET_P99_RATIO && fanout.manyLight.latencies.length === fanout.manyLight.expected;
  const rateRatio = ratio(ramps.many.sustained?.rate, ramps.one.sustained?.rate);

  const rows: Row[] = [
    ...fanoutRows(ONE, fanout.one, 1),
    ...fanoutRows(stockLabel, fanout.stock, 1),
    ...fanoutRows(`${MANY}, cross-relay`, fanout.many, RELAYS),
    [`${MANY} / one relay`, `fan-out p99 ratio (target <= ${TARGET_P99_RATIO}x)`, `${formatRatio(p99Ratio)}: ${holds ? "holds" : "does NOT hold"}`],
    [`${MANY} / one relay`, "fan-out p50 ratio", formatRatio(ratio(many?.p50, one?.p50))],
    ...fanoutRows(`${ONE}, one workshop`, fanout.oneLight, 1),
    ...fanoutRows(`${MANY}, cross-relay, one workshop`, fanout.manyLight, RELAYS),
    [`${MANY} / one relay, one workshop`, `fan-out p99 ratio (target <= ${TARGET_P99_RATIO}x)`, `${formatRatio(lightRatio)}: ${lightHolds ? "holds" : "does NOT hold"}`],
    ["one relay / stock", "fan-out p50 / p99 ratio", `${formatRatio(ratio(one?.p50, stock?.p50))} / ${formatRatio(ratio(one?.p99, stock?.p99))}`],
    [`${MANY} / stock`, "fan-out p50 / p99 ratio", `${formatRatio(ratio(many?.p50, stock?.p50))} / ${formatRatio(ratio(many?.p99, stock?.p99))}`],
    ...rampRows(`${ONE}, 2 writers`, ramps.one),
    ...rampRows(`${MANY}, writers on 2 relays`, ramps.many),
    [`${MANY} / one relay`, "max sustained rate ratio", formatRatio(rateRatio)],
    ...failoverRows(`${ONE}, killed + restarted`, failover.one),
    ...failoverRows(`${MANY}, A killed`, failover.many),
  ];

  const notes: string[] = [];
  notes.push(`Per-connection rate limits were lifted on the relays of (a) and (b) (${Object.entries(LIFTED).map(([k, v]) => `${k}=${v}`).join(", ")}): (b)'s two writers stand in for a room of typists. Connection limits (MAX_CONNECTIONS_PER_IP 1000, per workshop 500) are not reached and were left alone.`);
  notes.push(`(a) on ${RELAYS} relays: each workshop's writer on one relay, its readers alternating over the two others; the writer's relay rotates over the workshops. Latency runs from the writer's change to a reader's receipt; "saved ack to reader" is the part after the writer's relay committed it (Redis and the reader's relay).`);
  const busy = fanout.many.storage ? fanout.many.storage.commitSeconds / RELAYS / fanout.many.windowSeconds : 0;
  if (busy > 0.6) {
    const perCommit = fanout.many.storage!.commits === 0 ? 0 : fanout.many.storage!.updates / fanout.many.storage!.commits;
    notes.push(
      `(a) on ${RELAYS} relays: each relay spent ${(busy * 100).toFixed(0)}% of the window committing, ${perCommit.toFixed(1)} updates a commit: WriteBatcher (relay/src/hooks/WriteBatcher.ts) runs one PostgreSQL commit at a time per relay, and what queues behind it waits for it.`,
    );
  }
  for (const [label, r] of [[ONE, fanout.one], ["stock", fanout.stock], [MANY, fanout.many]] as const) {
    const others = r.cpu.others === null ? null : r.cpu.others / r.windowSeconds;
    if (others !== null && others > 0.2) notes.push(`(a) ${label}: OTHER processes used ${(others * 100).toFixed(0)}% of a core during the measurement (PostgreSQL and Redis count here for the cluster); figures are disturbed, rerun on a quiet machine.`);
    if (r.closes.length > 0) notes.push(`(a) ${label}: clients were disconnected ${r.closes.length} times (codes ${[...new Set(r.closes)].join(", ")}).`);
    if (r.latencies.length < r.expected) {
      const late = r.expected - r.latencies.length - r.savedNotDelivered;
      notes.push(`(a) ${label}: ${r.expected - r.latencies.length} of ${r.expected} deliveries had not arrived 5 s after the last change: ${late} belong to changes not saved yet either (a backlog), ${r.savedNotDelivered} to changes already saved.`);
    }
    if (r.savedNotDelivered > 0) notes.push(`(a) ${label}: ${r.savedNotDelivered} deliveries of changes the writer's relay had acknowledged as saved never reached their reader: a relayed update was lost, a bug.`);
  }
  notes.push(`(b): one workshop, 2 writers sharing the rate, ${RAMP_READERS} readers; on ${RELAYS} relays the writers are on A and B and the readers alternate between them. Rates step by 4x from ${RAMP.firstRate}/s, then one bisection; a step passes when every change reaches every reader within ${RAMP.drainMs / 1000} s, p99 <= ${RAMP.maxP99Ms} ms and latency does not keep growing.`);
  notes.push(`(c): ${FAILOVER_ROOMS} workshops x ${FAILOVER_CLIENTS_PER_ROOM} y-websocket providers (maxBackoffTime 1 s, first retry after 200 ms) on the relay that is killed, plus a reference client per workshop (on ${MANY}: on B or C). Each workshop's first client and reference type before the kill (the last changes in flight), then once more each (an offline edit to upload, an edit to receive). After the kill, each client's next address alternates over B and C; alone, the relay restarts on the same port and data.`);
  for (const [label, f] of [[ONE, failover.one], [MANY, failover.many]] as const) {
    if (f.closesBefore.length > 0) notes.push(`(c) ${label}: clients were disconnected ${f.closesBefore.length} times before the kill.`);
    if (f.incomplete > 0) notes.push(`(c) ${label}: ${f.incomplete} of ${f.clients} clients did not hold every update ${FAILOVER_TIMEOUT_MS / 1000} s after the kill.`);
  }
  notes.push(`Everything runs on this machine: ${RELAYS} relays, PostgreSQL, Redis and the bench's clients share its cores, which a real deployment would not.`);

  return {
    rows,
    notes,
    summary: {
      relays: RELAYS,
      fanout: {
        oneRelay: fanoutJson(fanout.one),
        stock: { ...fanoutJson(fanout.stock), persistence: fanout.stockPersistence },
        crossRelay: fanoutJson(fanout.many),
        p99Ratio: p99Ratio === null ? null : round(p99Ratio),
        targetRatio: TARGET_P99_RATIO,
        targetHolds: holds,
        oneWorkshop: { oneRelay: fanoutJson(fanout.oneLight), crossRelay: fanoutJson(fanout.manyLight), p99Ratio: lightRatio === null ? null : round(lightRatio), targetHolds: lightHolds },
      },
      throughput: { oneRelay: rampJson(ramps.one), twoRelays: rampJson(ramps.many), ratio: rateRatio === null ? null : round(rateRatio) },
      failover: { oneRelayRestarted: failoverJson(failover.one), survivors: failoverJson(failover.many) },
    },
  };
}
