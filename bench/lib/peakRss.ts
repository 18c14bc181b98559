// The peak resident memory of a server over a window of work. Linux keeps each process's
// high-water mark (VmHWM in /proc/<pid>/status) and resets it when "5" is written to
// /proc/<pid>/clear_refs (proc(5)), so the peak of a window is exact rather than sampled; where
// that reset is refused, VmRSS is sampled every few milliseconds instead (a short spike can
// then be missed, and the figure says so).
import fs from "node:fs";
import { processMemory } from "./processMemory.js";

const SAMPLE_MS = 5;

/** The peak of a window, in bytes. */
export interface PeakRss {
  peak: number;
  /** true when it is the kernel's high-water mark, false when sampled. */
  exact: boolean;
}

function highWaterMark(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error("no VmHWM in /proc status");
  return Number(m[1]) * 1024;
}

function resetHighWaterMark(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** Starts watching `pid`'s resident memory; `stop()` gives the peak since. */
export function watchPeakRss(pid: number): { stop(): PeakRss } {
  const exact = resetHighWaterMark(pid);
  let sampled = processMemory(pid).rss;
  const timer = exact ? null : setInterval(() => (sampled = Math.max(sampled, processMemory(pid).rss)), SAMPLE_MS);
  return {
    stop: () => {
      if (timer) clearInterval(timer);
      return exact ? { peak: highWaterMark(pid), exact } : { peak: Math.max(sampled, processMemory(pid).rss), exact };
    },
  };
}
