// A typing load whose clients are placed on chosen servers, so one workshop can span several
// relays: each client of a room connects to `urls[i]` for the index its placement gives it (a
// writer on relay A and readers on B and C, or every index 0 for one server). Writers type
// markers `~#<writer>.<seq>#` on a fixed schedule; readers are raw y-websocket clients
// (rawClient.ts) that look for the markers in the bytes they receive, as rateStep.ts does, so
// the bench process stays light beside three relays, PostgreSQL and Redis on a 2-core machine.
// Writers ask for our relay's saved acknowledgement, so a delivery's latency splits into the
// wait for the commit (send to "saved") and what came after it (for a reader on another relay:
// the way through Redis).
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { MESSAGE_SAVED } from "@crosswalk/shared";
import * as decoding from "lib0/decoding";
import * as Y from "yjs";
import { cpuBetween, sampleCpu, type CpuSample, type CpuUse } from "./cpuSample.js";
import type { StorageCounters } from "./ourRelay.js";
import { ensureParagraphText } from "./paragraphText.js";
import { percentiles } from "./percentiles.js";
import { connectRaw, roomUrl, type RawClient } from "./rawClient.js";
import type { RoomAccess, Target } from "./targets.js";
import { waitFor } from "./until.js";
import { workshopDocument } from "./workshopDocument.js";

/** Servers that hold the same rooms: one server, or relays sharing PostgreSQL and Redis. */
export interface PlacedServers {
  label: string;
  /** WebSocket base URLs; a room is at `${url}/<room>` on each. */
  urls: string[];
  pids: number[];
  /** Rooms start empty (the stock server): the first writer brings the workshop's starting document. */
  startsEmpty: boolean;
  openRooms(count: number): Promise<RoomAccess[]>;
  /** Storage commit counters of all servers together, where they expose them. */
  storageCounters?(): Promise<StorageCounters>;
}

/** Where the clients of every room connect: indexes into PlacedServers.urls. */
export interface Placement {
  writers: readonly number[];
  readers: readonly number[];
}

/** The shape of the load. */
export interface PlacedLoad {
  rooms: number;
  placement: Placement;
  /**
   * Shift every index by the room's number (modulo the servers), so the roles rotate: room 0's
   * writer is on server 0 with readers on 1 and 2, room 1's on server 1 with readers on 2 and 0...
   */
  rotate?: boolean;
  /** Changes a second of each writer. */
  writerRate: number;
  /** Typing before the measured window (JIT, room loading, the relay's first authors record). */
  warmupMs: number;
  durationMs: number;
  /** How long after the last change the readers have to receive everything. */
  drainMs: number;
}

/** What one run measured, over the changes scheduled in the measured window. */
export interface PlacedResult {
  changes: number;
  /** Deliveries expected: changes times readers per room. */
  expected: number;
  /** Send-to-arrival time of every delivery that arrived, in ms. */
  latencies: number[];
  /** Send to the writer's saved acknowledgement, one per acknowledged change (servers with acks). */
  savedMs: number[];
  /** Saved acknowledgement to arrival, one per delivery of an acknowledged change (may be negative: the ack travels too). */
  afterSavedMs: number[];
  /** Deliveries of acknowledged (committed) changes that never arrived: lost, not late, once the drain is over. */
  savedNotDelivered: number;
  /** p50 latency of the first and of the last fifth of the window (a backlog grows between them). */
  firstFifthP50: number;
  lastFifthP50: number;
  /** p99 of how late changes were sent against their schedule (the bench's own lag). */
  sendLagP99Ms: number;
  meanUpdateBytes: number;
  windowSeconds: number;
  /** `server` is all servers together; PostgreSQL and Redis count among `others`. */
  cpu: CpuUse;
  clientLoopDelayP99Ms: number;
  /** Close codes any client received during the run (a healthy run has none). */
  closes: number[];
  /** Storage commits during the measured window (servers that expose them). */
  storage: StorageCounters | null;
}

interface Writer {
  id: number;
  room: number;
  /** Schedule: change k is due at offset + k * period (ms after the start). */
  offset: number;
  planned: number;
  sent: number;
  sentAt: Float64Array;
  /** The writer's clock just after each change, and when the relay acknowledged it as saved. */
  clocks: Float64Array;
  savedAt: Float64Array;
  acked: number;
  /** Arrival per change and reader of its room: [seq * readers + reader]. */
  arrivals: Float64Array;
  text: Y.XmlText | null;
}

const MARK = Buffer.from("~#");
const HASH = 0x23;

/** Reads every marker in a raw [sync, update] message; calls `found` with writer and sequence. */
function scanMarkers(data: Buffer, found: (writer: number, seq: number) => void): void {
  if (data[0] !== 0 || data[1] !== 2) return;
  for (let i = data.indexOf(MARK); i >= 0; i = data.indexOf(MARK, i + 2)) {
    const end = data.indexOf(HASH, i + 2);
    if (end < 0 || end - i > 16) continue;
    const [w, s] = data.toString("latin1", i + 2, end).split(".");
    const writer = parseInt(w ?? "", 36);
    const seq = parseInt(s ?? "", 36);
    if (Number.isInteger(writer) && Number.isInteger(seq)) found(writer, seq);
  }
}

/** A saved acknowledgement (message 100) covers every change whose clock it has reached. */
function onSaved(w: Writer, doc: Y.Doc, data: Buffer, at: number): void {
  if (data[0] !== MESSAGE_SAVED) return;
  const decoder = decoding.createDecoder(data);
  decoding.readVarUint(decoder);
  const acked = Y.decodeStateVector(decoding.readVarUint8Array(decoder)).get(doc.clientID) ?? 0;
  while (w.acked < w.sent && w.clocks[w.acked]! <= acked) w.savedAt[w.acked++] = at;
}

/** sampleCpu for several server processes: `server` is their sum. */
function sampleServers(pids: readonly number[]): CpuSample {
  const samples = pids.map(sampleCpu);
  const sum = (pick: (s: CpuSample) => number | null): number | null => samples.reduce<number | null>((n, s) => (n === null || pick(s) === null ? null : n + pick(s)!), 0);
  return { ...samples[0]!, server: sum((s) => s.server), serverUser: sum((s) => s.serverUser) };
}

/** Runs the load on fresh rooms of `servers`; every client is closed when it returns. */
export async function runPlacedLoad(servers: PlacedServers, load: PlacedLoad): Promise<PlacedResult> {
  const { writers: writerPlaces, readers: readerPlaces } = load.placement;
  const readersPerRoom = readerPlaces.length;
  const period = 1000 / load.writerRate;
  const endMs = load.warmupMs + load.durationMs;
  const totalWriters = load.rooms * writerPlaces.length;
  const writers: Writer[] = [];
  for (let room = 0; room < load.rooms; room++) {
    for (let k = 0; k < writerPlaces.length; k++) {
      const id = writers.length;
      // Writers are spread over the period, as real typists are, rather than firing together.
      const offset = (id / totalWriters) * period;
      const planned = Math.max(1, Math.ceil((endMs - offset) / period));
      writers.push({ id, room, offset, planned, sent: 0, sentAt: new Float64Array(planned).fill(NaN), clocks: new Float64Array(planned), savedAt: new Float64Array(planned).fill(NaN), acked: 0, arrivals: new Float64Array(planned * readersPerRoom).fill(NaN), text: null });
    }
  }
  const scheduled = (w: Writer, seq: number): number => w.offset + seq * period;
  const measured = (w: Writer, seq: number): boolean => scheduled(w, seq) >= load.warmupMs && scheduled(w, seq) < endMs;
  let expected = 0;
  for (const w of writers) for (let seq = 0; seq < w.planned; seq++) if (measured(w, seq)) expected += readersPerRoom;
  let delivered = 0;

  const clients: RawClient[] = [];
  const closeAll = (): void => {
    for (const c of clients.splice(0)) c.close();
  };
  try {
    const rooms = await servers.openRooms(load.rooms);
    const presence = (i: number) => ({ clientId: 3_000_000 + i, state: { user: { name: `Bench ${i}`, color: "#2f6f9f" } } });
    let updateBytes = 0;
    let updates = 0;
    await Promise.all(
      rooms.map(async (access, room) => {
        const shift = load.rotate ? room : 0;
        const url = (server: number, params: Record<string, string>): string => roomUrl(servers.urls[(server + shift) % servers.urls.length]!, access.room, params);
        // Writers first, one after another: on the stock server the first brings the document.
        for (const [k, server] of writerPlaces.entries()) {
          const w = writers[room * writerPlaces.length + k]!;
          const doc = servers.startsEmpty && k === 0 ? workshopDocument(`Bench ${room}`) : new Y.Doc();
          const client = await connectRaw(url(server, access.writerParams), { doc, applyUpdates: false, awareness: presence(w.id), onMessage: (data, at) => onSaved(w, doc, data, at) });
          clients.push(client);
          await client.synced;
          doc.on("update", (update: Uint8Array, origin: unknown) => {
            if (origin === "remote") return;
            updateBytes += update.length;
            updates++;
            client.sendUpdate(update);
          });
          w.text = ensureParagraphText(doc);
        }
        for (const [r, server] of readerPlaces.entries()) {
          const reader = await connectRaw(url(server, access.readerParams), {
            awareness: presence(totalWriters + room * readersPerRoom + r),
            onMessage: (data, at) =>
              scanMarkers(data, (id, seq) => {
                const w = writers[id];
                if (!w || w.room !== room || seq >= w.planned) return;
                const k = seq * readersPerRoom + r;
                if (!Number.isNaN(w.arrivals[k]!)) return;
                w.arrivals[k] = at;
                if (measured(w, seq)) delivered++;
              }),
          });
          clients.push(reader);
          await reader.synced;
        }
      }),
    );
    // Let the paragraph (and, on our relay, each writer's authors record) settle before timing.
    await sleep(200);

    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const lag: number[] = [];
    let cpuBefore: CpuSample | null = null;
    // Read without awaiting (the typing loop must not stall); the relays answer /metrics at once.
    let storageBefore: Promise<StorageCounters | null> | null = null;
    const readStorage = (): Promise<StorageCounters | null> | null => servers.storageCounters?.().catch(() => null) ?? null;
    let windowStart = 0;
    const start = performance.now();
    for (;;) {
      const now = performance.now() - start;
      if (cpuBefore === null && now >= load.warmupMs) {
        cpuBefore = sampleServers(servers.pids);
        storageBefore = readStorage();
        windowStart = performance.now();
        updateBytes = 0;
        updates = 0;
      }
      let done = true;
      for (const w of writers) {
        // Changes are sent in the bursts the timer allows (every ~1 ms), each its own transaction and message.
        while (w.sent < w.planned && scheduled(w, w.sent) <= performance.now() - start) {
          const at = performance.now();
          lag.push(at - start - scheduled(w, w.sent));
          w.sentAt[w.sent] = at;
          w.text!.insert(w.text!.length, `~#${w.id.toString(36)}.${w.sent.toString(36)}#`);
          w.clocks[w.sent] = Y.getState(w.text!.doc!.store, w.text!.doc!.clientID);
          w.sent++;
        }
        if (w.sent < w.planned) done = false;
      }
      if (done) break;
      await sleep(1);
    }
    const windowSeconds = (performance.now() - windowStart) / 1000;
    const cpuAfter = sampleServers(servers.pids);
    const storageAfter = readStorage();
    loopDelay.disable();
    const [before, after] = await Promise.all([storageBefore, storageAfter]);
    const storage = before && after ? { commits: after.commits - before.commits, commitSeconds: after.commitSeconds - before.commitSeconds, updates: after.updates - before.updates } : null;
    await waitFor(() => delivered >= expected, load.drainMs);
    // A change saved at the end of the drain may still be on its way: a short grace, so that
    // "saved but never delivered" counts losses only.
    const savedButMissing = (): number => {
      let n = 0;
      for (const w of writers) {
        for (let seq = 0; seq < w.acked; seq++) {
          if (!measured(w, seq)) continue;
          for (let r = 0; r < readersPerRoom; r++) if (Number.isNaN(w.arrivals[seq * readersPerRoom + r]!)) n++;
        }
      }
      return n;
    };
    await waitFor(() => savedButMissing() === 0, 1_000);
    const closes = clients.flatMap((c) => c.closes);
    closeAll();

    const latencies: number[] = [];
    const savedMs: number[] = [];
    const afterSavedMs: number[] = [];
    let savedNotDelivered = 0;
    const first: number[] = [];
    const last: number[] = [];
    for (const w of writers) {
      for (let seq = 0; seq < w.planned; seq++) {
        if (!measured(w, seq)) continue;
        const at = scheduled(w, seq) - load.warmupMs;
        const saved = w.savedAt[seq]!;
        if (!Number.isNaN(saved)) savedMs.push(saved - w.sentAt[seq]!);
        for (let r = 0; r < readersPerRoom; r++) {
          const arrival = w.arrivals[seq * readersPerRoom + r]!;
          if (Number.isNaN(arrival)) {
            if (!Number.isNaN(saved)) savedNotDelivered++;
            continue;
          }
          const ms = arrival - w.sentAt[seq]!;
          latencies.push(ms);
          if (!Number.isNaN(saved)) afterSavedMs.push(arrival - saved);
          if (at < load.durationMs / 5) first.push(ms);
          if (at >= (load.durationMs * 4) / 5) last.push(ms);
        }
      }
    }
    return {
      changes: expected / readersPerRoom,
      expected,
      latencies,
      savedMs,
      afterSavedMs,
      savedNotDelivered,
      firstFifthP50: percentiles(first)?.p50 ?? NaN,
      lastFifthP50: percentiles(last)?.p50 ?? NaN,
      sendLagP99Ms: percentiles(lag)?.p99 ?? 0,
      meanUpdateBytes: updates === 0 ? 0 : updateBytes / updates,
      windowSeconds,
      cpu: cpuBetween(cpuBefore ?? cpuAfter, cpuAfter),
      clientLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      closes,
      storage,
    };
  } finally {
    closeAll();
  }
}

/** One server as PlacedServers (every placement index must be 0). */
export function singleServer(target: Target): PlacedServers {
  return {
    label: target.label,
    urls: [target.serverUrl],
    pids: [target.pid],
    startsEmpty: target.startsEmpty,
    openRooms: target.openRooms,
    ...(target.storageCounters && { storageCounters: target.storageCounters }),
  };
}

/** The storage counters of several relays, added up. */
export async function sumCounters(readers: ReadonlyArray<() => Promise<StorageCounters>>): Promise<StorageCounters> {
  const all = await Promise.all(readers.map((read) => read()));
  return all.reduce((a, b) => ({ commits: a.commits + b.commits, commitSeconds: a.commitSeconds + b.commitSeconds, updates: a.updates + b.updates }), { commits: 0, commitSeconds: 0, updates: 0 });
}
