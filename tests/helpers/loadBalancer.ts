// A TCP load balancer for scale-out tests: each new connection goes to the next relay that
// accepts it (round robin, skipping dead ones), like HAProxy or nginx in front of the relays.
// No sticky sessions: a client that reconnects may land on another relay.
import net from "node:net";

/** A running balancer. */
export interface LoadBalancer {
  url: string;
  wsUrl: string;
  /** Connections currently open, per backend port. */
  open: Map<number, number>;
  close(): Promise<void>;
}

/** Balances over `backends` (their ports); the list may be changed while running. */
export async function startLoadBalancer(backends: () => number[]): Promise<LoadBalancer> {
  let next = 0;
  const open = new Map<number, number>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.pause();
    const ports = backends();
    const tryConnect = (attempt: number): void => {
      if (attempt >= ports.length) return void client.destroy();
      const port = ports[(next + attempt) % ports.length]!;
      const upstream = net.connect(port, "127.0.0.1");
      upstream.once("connect", () => {
        next = (next + attempt + 1) % Math.max(1, ports.length);
        sockets.add(upstream);
        open.set(port, (open.get(port) ?? 0) + 1);
        upstream.on("close", () => {
          sockets.delete(upstream);
          open.set(port, (open.get(port) ?? 1) - 1);
          client.destroy();
        });
        client.on("close", () => upstream.destroy());
        client.on("error", () => upstream.destroy());
        upstream.on("error", () => client.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.once("error", () => {
        upstream.destroy();
        tryConnect(attempt + 1);
      });
    };
    tryConnect(0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    open,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
