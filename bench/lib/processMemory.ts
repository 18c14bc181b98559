// A server's memory as the kernel sees it (/proc/<pid>/status), the same way for any server:
// the stock one has no metrics endpoint. Linux only.
import fs from "node:fs";

/** Resident memory of a process, in bytes. */
export interface ProcessMemory {
  /** VmRSS: everything resident (heap, code, shared libraries' pages). */
  rss: number;
  /** RssAnon: the anonymous part (JS heap, malloc), which connections grow. */
  rssAnon: number;
}

function field(status: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB$`, "m").exec(status);
  if (!m) throw new Error(`no ${name} in /proc status`);
  return Number(m[1]) * 1024;
}

/** Current resident memory of `pid`. */
export function processMemory(pid: number): ProcessMemory {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return { rss: field(status, "VmRSS"), rssAnon: field(status, "RssAnon") };
}

/** The soft and hard limits on open files of `pid` ("unlimited" as Infinity). */
export function openFileLimits(pid: number | "self"): { soft: number; hard: number } {
  const line = fs.readFileSync(`/proc/${pid}/limits`, "utf8").split("\n").find((l) => l.startsWith("Max open files"));
  const [soft, hard] = (line?.match(/(\d+|unlimited)/g) ?? []).map((v) => (v === "unlimited" ? Infinity : Number(v)));
  return { soft: soft ?? NaN, hard: hard ?? NaN };
}

/** Mebibytes with one decimal. */
export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
