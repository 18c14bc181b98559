// The typing load every latency benchmark shares: R rooms of C clients, W of them typing a
// short marked string N times a second. Every client reports when it first sees each marker;
// writers also record when the relay acknowledges the change as saved.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { DEFINITION_SECTION_ID, sectionFragment, sectionText } from "@crosswalk/shared";
import * as Y from "yjs";
import { connectClient, type BenchClient } from "./client.js";
import { cpuBetween, sampleCpu, type CpuUse } from "./cpuSample.js";
import type { StorageCounters } from "./ourRelay.js";
import { ensureParagraphText, findParagraphText } from "./paragraphText.js";
import type { RoomAccess, Target } from "./targets.js";
import { until, waitFor } from "./until.js";

/** The shape of the load. */
export interface Load {
  rooms: number;
  clientsPerRoom: number;
  writersPerRoom: number;
  changesPerSecond: number;
  /** Typing before measuring starts (JIT, room loading, the relay's first authors record). */
  warmupMs: number;
  durationMs: number;
  /** How long to wait after typing stops for the last changes to arrive. */
  drainMs: number;
}

/** What one run measured: raw sums, so runs (rounds) can be added up. */
export interface WorkloadResult {
  /** Changes the load asks for in the measured window; fewer were made if the bench fell behind. */
  plannedChanges: number;
  measuredChanges: number;
  /** One sample per measured change and per client other than its writer. */
  fanoutMs: number[];
  expectedFanout: number;
  /** One sample per measured change (targets with acks only). */
  savedMs: number[];
  expectedSaved: number;
  updateBytes: number;
  updates: number;
  windowSeconds: number;
  cpu: CpuUse;
  /** The bench process's event-loop delay p99 (worst round): high means the clients add latency. */
  clientLoopDelayP99Ms: number;
  unexpectedCloses: number;
  /** Storage commits during the measured window (servers that expose them). */
  storage: StorageCounters | null;
  /** The rooms used, and the definition's text in each after the run, by room name. */
  rooms: RoomAccess[];
  finalTexts: Map<string, string>;
}

interface Writer {
  id: number;
  client: BenchClient | null;
  sentAt: number[];
  measured: boolean[];
  /** Changes not yet acknowledged as saved, oldest first, with the clock just after each. */
  unacked: Array<{ clock: number; seq: number }>;
}

/** ` [writer:seq:timestamp]`: short, and findable in any insert delta. */
const MARKER = /\[(\d+):(\d+):/g;

/** Runs the load against `target` and returns the raw samples. */
export async function runWorkload(target: Target, load: Load, log: (line: string) => void): Promise<WorkloadResult> {
  const fanoutMs: number[] = [];
  const savedMs: number[] = [];
  const writers: Writer[] = [];
  const clients: BenchClient[] = [];
  try {
    const rooms = await target.openRooms(load.rooms);
    log(`${target.label}: connecting ${load.rooms * load.clientsPerRoom} clients`);
    const byRoom = await Promise.all(
      rooms.map(async (access) => {
        const roomClients = await Promise.all(
          Array.from({ length: load.clientsPerRoom }, async (_, i) => {
            if (i >= load.writersPerRoom) return connectClient(target.serverUrl, access.room, { params: access.readerParams });
            const writer: Writer = { id: writers.length, client: null, sentAt: [], measured: [], unacked: [] };
            writers.push(writer);
            const onSaved = target.acks ? (sv: Map<number, number>) => recordSaved(writer, sv, savedMs) : undefined;
            writer.client = await connectClient(target.serverUrl, access.room, { params: access.writerParams, ...(onSaved && { onSaved }) });
            return writer.client;
          }),
        );
        clients.push(...roomClients);
        return { access, roomClients };
      }),
    );

    // The first client of a room is always one of its writers; it lays the paragraph out.
    for (const { roomClients } of byRoom) ensureParagraphText(roomClients[0]!.doc);
    await until(() => clients.every((c) => findParagraphText(c.doc) !== null), "every client to see the paragraph");
    const writerOf = new Map(writers.map((w) => [w.client!, w]));
    for (const client of clients) observeMarkers(client, writerOf.get(client)?.id ?? null, writers, fanoutMs);

    let updateBytes = 0;
    let updates = 0;
    let measuring = false;
    for (const w of writers) {
      w.client!.doc.on("update", (update: Uint8Array, origin: unknown) => {
        if (!measuring || origin !== null) return;
        updateBytes += update.length;
        updates++;
      });
    }

    log(`${target.label}: ${writers.length} writers typing ${load.changesPerSecond}/s for ${(load.warmupMs + load.durationMs) / 1000} s`);
    const stopTyping = startTyping(writers, load.changesPerSecond, target.acks, () => measuring);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    await sleep(load.warmupMs);
    measuring = true;
    loopDelay.enable();
    const cpuBefore = sampleCpu(target.pid);
    const storageBefore = await target.storageCounters?.();
    const started = performance.now();
    await sleep(load.durationMs);
    measuring = false;
    const windowSeconds = (performance.now() - started) / 1000;
    const cpuAfter = sampleCpu(target.pid);
    const storageAfter = await target.storageCounters?.();
    loopDelay.disable();
    stopTyping();

    const measuredChanges = writers.reduce((n, w) => n + w.measured.filter(Boolean).length, 0);
    const expectedFanout = measuredChanges * (load.clientsPerRoom - 1);
    const expectedSaved = target.acks ? measuredChanges : 0;
    const drained = await waitFor(() => fanoutMs.length >= expectedFanout && savedMs.length >= expectedSaved, load.drainMs);
    if (!drained) log(`${target.label}: WARNING some changes never arrived within ${load.drainMs} ms of the end`);

    return {
      plannedChanges: Math.round(writers.length * load.changesPerSecond * (load.durationMs / 1000)),
      measuredChanges,
      fanoutMs,
      expectedFanout,
      savedMs,
      expectedSaved,
      updateBytes,
      updates,
      windowSeconds,
      cpu: cpuBetween(cpuBefore, cpuAfter),
      clientLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      unexpectedCloses: clients.reduce((n, c) => n + c.closes.length, 0),
      storage:
        storageBefore && storageAfter
          ? { commits: storageAfter.commits - storageBefore.commits, commitSeconds: storageAfter.commitSeconds - storageBefore.commitSeconds, updates: storageAfter.updates - storageBefore.updates }
          : null,
      rooms,
      finalTexts: new Map(byRoom.map(({ access, roomClients }) => [access.room, sectionText(roomClients[0]!.doc, DEFINITION_SECTION_ID)])),
    };
  } finally {
    for (const c of clients) c.destroy();
  }
}

/** Starts every writer typing; returns a function that stops them. */
function startTyping(writers: readonly Writer[], changesPerSecond: number, acks: boolean, measuring: () => boolean): () => void {
  const period = 1000 / changesPerSecond;
  const timers: NodeJS.Timeout[] = [];
  writers.forEach((w, i) => {
    const doc = w.client!.doc;
    const text = findParagraphText(doc)!;
    const type = (): void => {
      const seq = w.sentAt.length;
      w.sentAt.push(performance.now());
      w.measured.push(measuring());
      text.insert(text.length, ` [${w.id}:${seq}:${Date.now().toString(36)}]`);
      if (acks) w.unacked.push({ clock: Y.getState(doc.store, doc.clientID), seq });
    };
    const start = (): void => {
      type();
      timers.push(setInterval(type, period));
    };
    // Writers are spread over the period, as real typists are, rather than firing together.
    timers.push(setTimeout(start, (i / writers.length) * period));
  });
  return () => {
    for (const t of timers) clearTimeout(t);
  };
}

/** Records, on every client, the first time it sees each other writer's marker. */
function observeMarkers(client: BenchClient, ownWriter: number | null, writers: readonly Writer[], fanoutMs: number[]): void {
  sectionFragment(client.doc, DEFINITION_SECTION_ID).observeDeep((events) => {
    const now = performance.now();
    for (const event of events) {
      if (!(event instanceof Y.YTextEvent)) continue;
      for (const op of event.delta) {
        if (typeof op.insert !== "string") continue;
        for (const m of op.insert.matchAll(MARKER)) {
          const writer = writers[Number(m[1])];
          const seq = Number(m[2]);
          if (writer && writer.id !== ownWriter && writer.measured[seq]) fanoutMs.push(now - writer.sentAt[seq]!);
        }
      }
    }
  });
}

/** An ack covers every change whose clock it has reached. */
function recordSaved(writer: Writer, stateVector: Map<number, number>, savedMs: number[]): void {
  if (!writer.client) return; // the ack of the connect-time sync, before any change
  const now = performance.now();
  const acked = stateVector.get(writer.client.doc.clientID) ?? 0;
  while (writer.unacked.length > 0 && writer.unacked[0]!.clock <= acked) {
    const { seq } = writer.unacked.shift()!;
    if (writer.measured[seq]) savedMs.push(now - writer.sentAt[seq]!);
  }
}
