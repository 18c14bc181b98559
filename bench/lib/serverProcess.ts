// A server under test as a child process: started, awaited until it prints its ready line,
// and always tracked so it is killed when the bench exits.
import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import { trackChild } from "./cleanup.js";

/** A running server process. */
export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL (a crash), resolved once it has exited. */
  kill(): Promise<void>;
}

/** What to start and which stdout line means it accepts connections. */
export interface SpawnOptions {
  label: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  ready: RegExp;
  timeoutMs?: number;
}

/** Starts the server and resolves with the match of its ready line. */
export async function spawnServer(options: SpawnOptions): Promise<{ server: ServerProcess; ready: RegExpExecArray }> {
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  trackChild(child);
  let output = "";
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;

  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.label} did not print its ready line within ${options.timeoutMs ?? 15_000} ms:\n${output}`)), options.timeoutMs ?? 15_000);
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      output += `${line}\n`;
      const m = options.ready.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${options.label} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`));
    });
  }).catch((error: unknown) => {
    if (alive()) child.kill("SIGKILL");
    throw error;
  });

  const server: ServerProcess = {
    child,
    pid: child.pid!,
    output: () => output,
    stop: async (graceMs = 5_000) => {
      if (!alive()) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => alive() && child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
    kill: async () => {
      if (alive()) child.kill("SIGKILL");
      await exited;
    },
  };
  return { server, ready };
}
