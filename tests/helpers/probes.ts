// Measuring a relay while something else happens to it: the fan-out latency of a writer→reader
// pair, /healthz answers, and raw sockets that send hostile frames and report how they closed.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { onTestFinished } from "vitest";
import * as Y from "yjs";
import WebSocket from "ws";
import type { Client } from "./client.js";
import { definitionText } from "./definitionText.js";
import type { RelayProcess } from "./spawnRelay.js";
import { until } from "./until.js";

/** The p-th percentile (0–100) of some numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** What a fan-out probe measured. */
export interface FanoutResult {
  sent: number;
  /** Milliseconds from the writer's insertion to the reader's doc, one per word. */
  latencies: number[];
  p50: number;
  p99: number;
  max: number;
  /**
   * The longest this test process's own event loop was held up meanwhile (ms). Both ends of the
   * probe live in this process, so a stall here (GC, the attack's own work, a starved core) adds
   * to every latency measured during it; the relay's share of a latency is at least p99 − this.
   */
  ownStallMs: number;
}

/**
 * The writer types a probe word into the definition every `everyMs`; the reader notes when each
 * arrives (decoding the relayed update). `stop()` waits until every word arrived and the writer's
 * words are acknowledged as saved, then reports the latencies.
 */
export function fanoutProbe(writer: Client, reader: Client, everyMs = 20): { arrived(): number; stop(): Promise<FanoutResult> } {
  const sentAt = new Map<number, number>();
  const latencies = new Map<number, number>();
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== reader.provider) return;
    const now = performance.now();
    for (const s of Y.decodeUpdate(update).structs) {
      if (!(s instanceof Y.Item) || !(s.content instanceof Y.ContentString)) continue;
      for (const m of s.content.str.matchAll(/probe(\d+)/g)) {
        const n = Number(m[1]);
        const at = sentAt.get(n);
        if (at !== undefined && !latencies.has(n)) latencies.set(n, now - at);
      }
    }
  };
  reader.doc.on("update", onUpdate);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let n = 0;
  const timer = setInterval(() => {
    const text = definitionText(writer.doc, true);
    sentAt.set(n, performance.now());
    text.insert(text.length, `probe${n} `);
    n++;
  }, everyMs);
  onTestFinished(() => {
    clearInterval(timer);
    loop.disable();
  });
  return {
    arrived: () => latencies.size,
    async stop() {
      clearInterval(timer);
      await until(() => latencies.size === sentAt.size, `every probe word to reach the reader (${latencies.size}/${sentAt.size})`, 30_000);
      await writer.waitSaved();
      reader.doc.off("update", onUpdate);
      loop.disable();
      const values = [...latencies.values()];
      const ownStallMs = Math.max(0, loop.max / 1e6 - 10);
      return { sent: sentAt.size, latencies: values, p50: percentile(values, 50), p99: percentile(values, 99), max: Math.max(...values), ownStallMs };
    },
  };
}

/** A one-line summary of a fan-out probe, for the test output. */
export function describeFanout(f: FanoutResult): string {
  return `fan-out over ${f.sent} edits: p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, max ${f.max.toFixed(1)} ms (this process stalled at most ${f.ownStallMs.toFixed(0)} ms)`;
}

/** Polls GET /healthz every `everyMs`; `stop()` reports every status and the slowest answer. */
export function healthPoller(relay: Pick<RelayProcess, "url">, everyMs = 100): { stop(): Promise<{ statuses: number[]; slowestMs: number }> } {
  const statuses: number[] = [];
  let slowestMs = 0;
  let on = true;
  const loop = (async () => {
    while (on) {
      const started = performance.now();
      try {
        const res = await fetch(`${relay.url}/healthz`, { signal: AbortSignal.timeout(5_000) });
        const body = (await res.json()) as { ok?: unknown };
        statuses.push(res.status === 200 && body.ok === true ? 200 : res.status);
      } catch {
        statuses.push(0);
      }
      slowestMs = Math.max(slowestMs, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  onTestFinished(() => {
    on = false;
  });
  return {
    async stop() {
      on = false;
      await loop;
      return { statuses, slowestMs };
    },
  };
}

/** How a socket ended: its close code and reason, or code -1 when it did not close in time. */
export interface Closed {
  code: number;
  reason: string;
}

/**
 * Opens a WebSocket to `url`, sends `frames` right away (binary, or text for strings) and
 * resolves with how the relay closed it. The client masks with zeros, so that sending a huge
 * frame costs this process no CPU (masking is no protection on loopback).
 */
export function sendFrames(url: string, frames: ReadonlyArray<Uint8Array | string>, timeoutMs = 30_000): Promise<Closed> {
  return new Promise<Closed>((resolve) => {
    const ws = new WebSocket(url, { generateMask: (mask: Buffer) => void mask.fill(0) });
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ code: -1, reason: `no close within ${timeoutMs} ms` });
    }, timeoutMs);
    ws.on("error", () => {});
    ws.on("open", () => {
      for (const f of frames) ws.send(f, { binary: typeof f !== "string" });
    });
    ws.on("close", (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}
