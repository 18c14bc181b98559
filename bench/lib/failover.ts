// Failover: the clients of a relay killed with SIGKILL, timed until each is connected again,
// synced, and holds every update of its workshop. Clients are real y-websocket providers over
// `ws` (client.ts), as the web app connects; after the kill each goes to the next address of
// its own list (on a cluster, the surviving relays; alone, the same address, where the relay is
// restarted). Before the kill each workshop's first client and a reference client type, so
// changes are in flight when the relay dies; right after it, the first client types once more
// while offline (an edit it must upload) and the reference once more (an edit it must receive).
// Nothing is typed after that, so a workshop's target is the union of its clients' state
// vectors at that moment, and "holds every update" means "its state vector covers the target".
import { setTimeout as sleep } from "node:timers/promises";
import * as Y from "yjs";
import { connectClient, type BenchClient } from "./client.js";
import { ensureParagraphText, findParagraphText } from "./paragraphText.js";
import type { RoomAccess } from "./targets.js";
import { until, waitFor } from "./until.js";

/** What is killed, where its clients go, and how long they may take. */
export interface FailoverPlan {
  rooms: RoomAccess[];
  /** Measured clients per workshop, all on the relay that is killed. */
  clientsPerRoom: number;
  homeUrl: string;
  /** After the kill, measured client i's k-th reconnection goes to fallbackUrls[(i + k) % length]. */
  fallbackUrls: string[];
  /** Where workshop r's reference client stays (a relay that survives, or homeUrl when there is none). */
  referenceUrl(room: number): string;
  /** Kills the home relay (SIGKILL); resolves once it has exited. */
  kill(): Promise<void>;
  /** What brings service back, if anything (one relay: its restart on the same port). */
  recover?(): Promise<void>;
  timeoutMs: number;
}

/** What the failover measured. */
export interface FailoverResult {
  clients: number;
  /** ms from the kill until each measured client saw its connection close / was connected again / synced / held every update (those that did). */
  lostMs: number[];
  connectedMs: number[];
  syncedMs: number[];
  completeMs: number[];
  /** ms from the kill until every measured and reference client held every update (null: not within the timeout). */
  allCompleteMs: number | null;
  /** ms from the kill until recover() resolved (the restart), when there is one. */
  recoverMs: number | null;
  /** Changes typed before the kill, offline by the measured writers after it, and by the references after it. */
  typedBefore: number;
  typedOffline: number;
  typedMissed: number;
  /** Measured clients that did not hold every update at the timeout. */
  incomplete: number;
  /** Where the measured clients were at the end, by address. */
  landedOn: { [url: string]: number };
  /** Close codes received before the kill (a healthy run has none). */
  closesBefore: number[];
}

interface Member {
  client: BenchClient;
  room: number;
  measured: boolean;
  lostAt: number;
  connectedAt: number;
  syncedAt: number;
  completeAt: number;
}

const ROUNDS_BEFORE = 5;
const ROUND_MS = 200;

/** The state vector of `doc` reaches `target` for every client id. */
function covers(doc: Y.Doc, target: Map<number, number>): boolean {
  const own = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, clock] of target) if ((own.get(client) ?? 0) < clock) return false;
  return true;
}

function type(client: BenchClient, text: string): void {
  const paragraph = findParagraphText(client.doc);
  if (!paragraph) throw new Error("the workshop document has no paragraph to type into");
  paragraph.insert(paragraph.length, text);
}

/** Connects the clients, kills the home relay and times the clients' return. */
export async function measureFailover(plan: FailoverPlan, log: (line: string) => void): Promise<FailoverResult> {
  const members: Member[] = [];
  try {
    log(`connecting ${plan.rooms.length * plan.clientsPerRoom} clients (+${plan.rooms.length} references)`);
    await Promise.all(
      plan.rooms.map(async (access, room) => {
        // Providers get no ack=1: they have no handler for the saved message.
        const connect = (url: string) => connectClient(url, access.room, { params: access.readerParams });
        const reference = await connect(plan.referenceUrl(room));
        members.push({ client: reference, room, measured: false, lostAt: NaN, connectedAt: NaN, syncedAt: NaN, completeAt: NaN });
        const clients = await Promise.all(Array.from({ length: plan.clientsPerRoom }, () => connect(plan.homeUrl)));
        for (const client of clients) members.push({ client, room, measured: true, lostAt: NaN, connectedAt: NaN, syncedAt: NaN, completeAt: NaN });
        // The first client lays out the paragraph everyone types into (a new workshop has none).
        ensureParagraphText(clients[0]!.doc);
      }),
    );
    await until(() => members.every((m) => findParagraphText(m.client.doc) !== null), "every client to see the paragraph");
    const measured = members.filter((m) => m.measured);
    const writers = plan.rooms.map((_, room) => members.find((m) => m.room === room && m.measured)!);
    const references = plan.rooms.map((_, room) => members.find((m) => m.room === room && !m.measured)!);

    let killedAt = 0;
    const targets: Array<Map<number, number>> = [];
    const check = (m: Member): void => {
      const target = targets[m.room];
      if (!target || !Number.isNaN(m.completeAt) || !m.client.provider.synced) return;
      if (covers(m.client.doc, target)) m.completeAt = performance.now() - killedAt;
    };
    let armed = false;
    measured.forEach((m, i) => {
      let attempt = 0;
      const provider = m.client.provider;
      provider.on("connection-close", () => {
        if (armed && Number.isNaN(m.lostAt)) m.lostAt = performance.now() - killedAt;
        if (armed) provider.serverUrl = plan.fallbackUrls[(i + attempt++) % plan.fallbackUrls.length]!;
      });
      provider.on("status", ({ status }) => {
        if (armed && status === "connected" && Number.isNaN(m.connectedAt)) m.connectedAt = performance.now() - killedAt;
      });
    });
    for (const m of members) {
      m.client.provider.on("sync", (synced: boolean) => {
        if (!armed || !synced) return;
        if (Number.isNaN(m.syncedAt)) m.syncedAt = performance.now() - killedAt;
        check(m);
      });
      m.client.doc.on("update", () => {
        if (armed) check(m);
      });
    }

    log(`typing in ${plan.rooms.length} workshops, then SIGKILL`);
    let typedBefore = 0;
    for (let round = 0; round < ROUNDS_BEFORE; round++) {
      // The last round is typed just before the kill: those changes are in flight when it dies.
      if (round > 0) await sleep(ROUND_MS);
      for (const [room, writer] of writers.entries()) {
        type(writer.client, ` [w${room}.${round}]`);
        type(references[room]!.client, ` [r${room}.${round}]`);
        typedBefore += 2;
      }
    }
    const closesBefore = members.flatMap((m) => m.client.closes);
    armed = true;
    killedAt = performance.now();
    await plan.kill();
    for (const [room, writer] of writers.entries()) {
      type(writer.client, ` [offline w${room}]`);
      type(references[room]!.client, ` [missed r${room}]`);
    }
    for (const [room] of plan.rooms.entries()) {
      const target = new Map<number, number>();
      for (const m of members.filter((x) => x.room === room)) {
        for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(m.client.doc))) target.set(client, Math.max(clock, target.get(client) ?? 0));
      }
      targets[room] = target;
    }
    let recoverMs: number | null = null;
    if (plan.recover) {
      await plan.recover();
      recoverMs = performance.now() - killedAt;
    }
    const done = await waitFor(() => {
      for (const m of members) check(m);
      return members.every((m) => !Number.isNaN(m.completeAt));
    }, plan.timeoutMs);
    const allCompleteMs = done ? Math.max(...members.map((m) => m.completeAt)) : null;

    const landedOn: { [url: string]: number } = {};
    for (const m of measured) landedOn[m.client.provider.serverUrl] = (landedOn[m.client.provider.serverUrl] ?? 0) + 1;
    const times = (pick: (m: Member) => number): number[] => measured.map(pick).filter((t) => !Number.isNaN(t));
    return {
      clients: measured.length,
      lostMs: times((m) => m.lostAt),
      connectedMs: times((m) => m.connectedAt),
      syncedMs: times((m) => m.syncedAt),
      completeMs: times((m) => m.completeAt),
      allCompleteMs,
      recoverMs,
      typedBefore,
      typedOffline: writers.length,
      typedMissed: references.length,
      incomplete: measured.filter((m) => Number.isNaN(m.completeAt)).length,
      landedOn,
      closesBefore,
    };
  } finally {
    for (const m of members) m.client.destroy();
  }
}
