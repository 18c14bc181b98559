// A private redis-server for one test (Debian's binary), so a test can kill and restart Redis
// without disturbing the machine's Redis that other tests share. No persistence, like the
// machine's: a restart loses every stream, which is what the relays must survive.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { onTestFinished } from "vitest";
import { until } from "./until.js";

/** A redis-server child process. */
export interface RedisServer {
  url: string;
  /** SIGKILL (data is lost); resolves once it exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("error", () => resolve(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      resolve(data.toString().startsWith("+PONG"));
      socket.destroy();
    });
  });
}

/** Starts redis-server on a free loopback port; killed when the test finishes. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async (): Promise<void> => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    await until(() => answersPing(port), `redis-server on port ${port}`, 10_000);
  };
  const kill = async (): Promise<void> => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once("exit", () => resolve()));
    c.kill("SIGKILL");
    await exited;
  };
  await start();
  onTestFinished(kill);
  return { url: `redis://127.0.0.1:${port}`, kill, start };
}
