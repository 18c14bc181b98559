// Waits until a server stops working: its CPU time stops growing. The stock server relays
// an update before LevelDB stores it, so "every client has it" does not mean "it is on disk";
// a quiet process does. Also used between load steps, so one step's backlog does not slow the next.
import { setTimeout as sleep } from "node:timers/promises";
import { sampleCpu } from "./cpuSample.js";

/** How long the process took to go quiet, or null if it was still busy at the timeout. */
export interface IdleWait {
  idle: boolean;
  waitedMs: number;
}

/**
 * Resolves once `pid` used less than `maxShare` of a core during two windows of `windowMs`
 * in a row (/proc CPU time ticks every 10 ms, so a window of 400 ms resolves 2.5%).
 */
export async function waitForIdle(pid: number, timeoutMs: number, windowMs = 400, maxShare = 0.05): Promise<IdleWait> {
  const started = performance.now();
  let quietWindows = 0;
  let last = sampleCpu(pid).server;
  if (last === null) return { idle: true, waitedMs: 0 };
  while (performance.now() - started < timeoutMs) {
    await sleep(windowMs);
    const now = sampleCpu(pid).server;
    if (now === null) return { idle: true, waitedMs: performance.now() - started };
    quietWindows = now - last <= (windowMs / 1000) * maxShare ? quietWindows + 1 : 0;
    last = now;
    if (quietWindows >= 2) return { idle: true, waitedMs: Math.max(0, performance.now() - started - 2 * windowMs) };
  }
  return { idle: false, waitedMs: performance.now() - started };
}
