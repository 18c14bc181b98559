// Servers and temp dirs must not outlive the bench, even when it throws or is interrupted:
// a leftover relay would hold its port and skew the next run.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const children = new Set<ChildProcess>();
const dirs = new Set<string>();

/** Kills `child` when the bench exits, if it is still running then. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once("exit", () => children.delete(child));
}

/** A fresh temporary directory, removed when the bench exits. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

/** Synchronous, so it also works from the process 'exit' event. */
export function cleanupNow(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

/** Cleans up on normal exit, on an uncaught error and on Ctrl-C / SIGTERM. */
export function installCleanupHandlers(): void {
  process.once("exit", cleanupNow);
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping servers\n`);
      cleanupNow();
      process.exit(code);
    });
  }
}
