// One step of the throughput ramp: a writer types into a fresh workshop at a fixed rate for a
// fixed time while 10 readers listen, and every reader's arrival time of every change is
// recorded. Readers are raw y-websocket clients (rawClient.ts): they complete the handshake
// as the provider does but only look for the change markers in the bytes they receive, so
// the bench process can listen to tens of thousands of changes a second on a 2-core machine.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import * as Y from "yjs";
import { cpuBetween, sampleCpu, type CpuUse } from "./cpuSample.js";
import type { StorageCounters } from "./ourRelay.js";
import { ensureParagraphText } from "./paragraphText.js";
import { percentiles, type Percentiles } from "./percentiles.js";
import { connectRaw, roomUrl, type RawClient } from "./rawClient.js";
import type { Target } from "./targets.js";
import { waitFor } from "./until.js";
import { waitForIdle } from "./waitForIdle.js";
import { workshopDocument } from "./workshopDocument.js";

/** How a step is judged. */
export interface StepRules {
  readers: number;
  /** A change slower than this at its p99 means the readers fell behind. */
  maxP99Ms: number;
  /**
   * Latency may grow through the step by at most this many ms per second of sending (the
   * least-squares slope over all changes, so a passing disturbance weighs little, while a
   * server that takes 5% more than it can handle grows its backlog by 50 ms every second).
   */
  maxGrowthMsPerSecond: number;
  /** ...unless the last fifth of changes is still this fast (a slope from 1 to 5 ms is no backlog). */
  growthFloorMs: number;
  /** How long after the last change the readers have to receive everything. */
  drainMs: number;
  /** The writer (the bench) may fall this far behind its schedule (p99) before the step counts as failed. */
  maxSendLagMs: number;
}

/** What one step measured. */
export interface StepResult {
  rate: number;
  durationMs: number;
  sent: number;
  /** Arrivals counted once per reader and change. */
  delivered: number;
  expected: number;
  latency: Percentiles | null;
  /** p50 of the first and last fifth of changes (by send order). */
  firstFifthP50: number;
  lastFifthP50: number;
  /** Least-squares slope of latency against send time, in ms per second. */
  growthMsPerSecond: number;
  /** p99 of how late the writer sent a change against its schedule (the bench's own lag). */
  sendLagP99Ms: number;
  meanUpdateBytes: number;
  cpu: CpuUse;
  windowSeconds: number;
  clientLoopDelayP99Ms: number;
  /** Storage commits during the sending (servers that expose them: ours). */
  storage: StorageCounters | null;
  /** Time the server kept working after the readers had everything (the stock server's LevelDB backlog). */
  settleMs: number;
  settled: boolean;
  unexpectedCloses: number;
  passed: boolean;
  /** Why it failed, in words. */
  failure: string | null;
}

/** `~#<seq in base 36>#`: short, and findable in the raw bytes of any update that carries it. */
const MARK = Buffer.from("~#");
const HASH = 0x23;

/** Reads every marker in a raw message; calls `found` with each sequence number. */
function scanMarkers(data: Buffer, found: (seq: number) => void): void {
  if (data[0] !== 0 || data[1] !== 2) return; // only [sync, update] messages carry changes
  for (let i = data.indexOf(MARK); i >= 0; i = data.indexOf(MARK, i + 2)) {
    const end = data.indexOf(HASH, i + 2);
    if (end < 0 || end - i > 12) continue;
    const seq = parseInt(data.toString("latin1", i + 2, end), 36);
    if (Number.isInteger(seq)) found(seq);
  }
}

/** An online least-squares fit of y against x. */
class LeastSquares {
  private n = 0;
  private sx = 0;
  private sy = 0;
  private sxx = 0;
  private sxy = 0;

  add(x: number, y: number): void {
    this.n++;
    this.sx += x;
    this.sy += y;
    this.sxx += x * x;
    this.sxy += x * y;
  }

  /** dy/dx, or 0 with fewer than two distinct x. */
  slope(): number {
    const d = this.n * this.sxx - this.sx * this.sx;
    return d <= 0 ? 0 : (this.n * this.sxy - this.sx * this.sy) / d;
  }
}

/** Runs one step against a fresh room of `target`; the room's clients are gone when it returns. */
export async function runRateStep(target: Target, rate: number, durationMs: number, rules: StepRules): Promise<StepResult> {
  const planned = Math.max(1, Math.round((rate * durationMs) / 1000));
  const sentAt = new Float64Array(planned);
  const arrivals = new Float64Array(planned * rules.readers).fill(NaN);
  const counts = new Array<number>(rules.readers).fill(0);
  const clients: RawClient[] = [];
  const closeAll = (): void => {
    for (const c of clients.splice(0)) c.close();
  };
  try {
    const [access] = await target.openRooms(1);
    if (!access) throw new Error("no room");
    const url = (params: Record<string, string>): string => roomUrl(target.serverUrl, access.room, params);
    const presence = (i: number) => ({ clientId: 2_000_000 + i, state: { user: { name: `Bench ${i}`, color: "#2f6f9f" } } });

    // The writer: a document of its own, synced first; the stock room gets the workshop's starting document from it.
    const doc = target.startsEmpty ? workshopDocument("Throughput") : new Y.Doc();
    const writer = await connectRaw(url(access.writerParams), { doc, applyUpdates: false, awareness: presence(0) });
    clients.push(writer);
    await writer.synced;
    for (let r = 0; r < rules.readers; r++) {
      const reader = await connectRaw(url(access.readerParams), {
        awareness: presence(r + 1),
        onMessage: (data, at) =>
          scanMarkers(data, (seq) => {
            const k = seq * rules.readers + r;
            if (seq < planned && Number.isNaN(arrivals[k]!)) {
              arrivals[k] = at;
              counts[r]!++;
            }
          }),
      });
      clients.push(reader);
      await reader.synced;
    }
    let updateBytes = 0;
    doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === "remote") return;
      updateBytes += update.length;
      writer.sendUpdate(update);
    });
    const text = ensureParagraphText(doc);
    // Let the paragraph (and, on our relay, the writer's authors record) settle before timing.
    await sleep(200);

    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const cpuBefore = sampleCpu(target.pid);
    const storageBefore = await target.storageCounters?.();
    const lag: number[] = [];
    let sent = 0;
    updateBytes = 0;
    const start = performance.now();
    // Changes are sent in the bursts the timer allows (every ~1 ms), each its own transaction
    // and message, at the planned time or as soon after as the bench can.
    while (sent < planned) {
      const now = performance.now();
      const due = Math.min(planned, Math.floor(((now - start) * rate) / 1000) + 1);
      while (sent < due) {
        const at = performance.now();
        lag.push(at - (start + (sent * 1000) / rate));
        sentAt[sent] = at;
        text.insert(text.length, `~#${sent.toString(36)}#`);
        sent++;
      }
      await sleep(1);
    }
    const windowSeconds = (performance.now() - start) / 1000;
    const cpuAfter = sampleCpu(target.pid);
    const storageAfter = await target.storageCounters?.();
    loopDelay.disable();
    await waitFor(() => counts.every((c) => c >= planned), rules.drainMs);
    const delivered = counts.reduce((a, b) => a + b, 0);
    const closeCodes = clients.flatMap((c) => c.closes);
    closeAll();
    // What the server still has to do (the stock server's LevelDB queue) must not slow the next step.
    const settle = await waitForIdle(target.pid, 10_000);

    const latencies: number[] = [];
    const fifth = Math.max(1, Math.floor(planned / 5));
    const first: number[] = [];
    const last: number[] = [];
    const slope = new LeastSquares();
    for (let seq = 0; seq < planned; seq++) {
      for (let r = 0; r < rules.readers; r++) {
        const at = arrivals[seq * rules.readers + r]!;
        if (Number.isNaN(at)) continue;
        const ms = at - sentAt[seq]!;
        latencies.push(ms);
        slope.add((sentAt[seq]! - start) / 1000, ms);
        if (seq < fifth) first.push(ms);
        if (seq >= planned - fifth) last.push(ms);
      }
    }
    const growthMsPerSecond = slope.slope();
    const latency = percentiles(latencies);
    const firstFifthP50 = percentiles(first)?.p50 ?? NaN;
    const lastFifthP50 = percentiles(last)?.p50 ?? NaN;
    const sendLagP99Ms = percentiles(lag)?.p99 ?? 0;
    const expected = planned * rules.readers;
    const unexpectedCloses = closeCodes.length;

    let failure: string | null = null;
    if (unexpectedCloses > 0) failure = `clients were disconnected (codes ${closeCodes.join(", ")})`;
    else if (delivered < expected) failure = `${expected - delivered} of ${expected} deliveries missing ${rules.drainMs} ms after the last change`;
    else if (!latency || latency.p99 > rules.maxP99Ms) failure = `p99 ${latency?.p99.toFixed(0)} ms > ${rules.maxP99Ms} ms`;
    else if (sendLagP99Ms > rules.maxSendLagMs) failure = `the bench could not send at this rate (p99 ${sendLagP99Ms.toFixed(0)} ms behind schedule)`;
    else if (growthMsPerSecond > rules.maxGrowthMsPerSecond && lastFifthP50 > rules.growthFloorMs) {
      failure = `latency kept growing (${growthMsPerSecond.toFixed(0)} ms per second; p50 ${firstFifthP50.toFixed(0)} -> ${lastFifthP50.toFixed(0)} ms)`;
    }
    return {
      rate,
      durationMs,
      sent,
      delivered,
      expected,
      latency,
      firstFifthP50,
      lastFifthP50,
      growthMsPerSecond,
      sendLagP99Ms,
      meanUpdateBytes: sent === 0 ? 0 : updateBytes / sent,
      cpu: cpuBetween(cpuBefore, cpuAfter),
      storage:
        storageBefore && storageAfter
          ? { commits: storageAfter.commits - storageBefore.commits, commitSeconds: storageAfter.commitSeconds - storageBefore.commitSeconds, updates: storageAfter.updates - storageBefore.updates }
          : null,
      windowSeconds,
      clientLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      settleMs: settle.waitedMs,
      settled: settle.idle,
      unexpectedCloses,
      passed: failure === null,
      failure,
    };
  } finally {
    closeAll();
  }
}
