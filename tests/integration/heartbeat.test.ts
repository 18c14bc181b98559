// The relay pings every socket each HEARTBEAT_MS and drops one that did not answer the previous
// ping (a laptop closed mid-retreat), while live clients stay connected however long they idle.
import net from "node:net";
import { describe, expect, it } from "vitest";
import { connectClient } from "../helpers/client.js";
import { createWorkshop, startRelay } from "../helpers/relay.js";
import { until } from "../helpers/until.js";

/** A peer that completes the WebSocket handshake and then never answers anything (pings included). */
async function deadPeer(url: string, path: string): Promise<{ closed: Promise<void>; handshake: string }> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  );
  const handshake = await new Promise<string>((resolve) => socket.once("data", (d: Buffer) => resolve(d.toString("latin1"))));
  socket.on("data", () => {}); // reads, and ignores, everything: pings go unanswered
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.on("error", () => {});
  return { closed, handshake };
}

describe("heartbeat", () => {
  it("idle clients stay connected across many heartbeats; a peer that stops answering pings is dropped", async () => {
    const relay = await startRelay({ env: { HEARTBEAT_MS: "150" } });
    const w = await createWorkshop(relay);
    const idle = await connectClient(relay, w.id, w.tokens.observer);
    const dead = await deadPeer(relay.url, `/ws/${w.id}?token=${w.tokens.observer}`);
    expect(dead.handshake).toMatch(/^HTTP\/1\.1 101/);
    let droppedAfter = 0;
    const started = Date.now();
    await dead.closed.then(() => (droppedAfter = Date.now() - started));
    expect(droppedAfter).toBeGreaterThan(0);
    // Ten heartbeats later the idle client was never closed.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(idle.closes).toEqual([]);
    expect(idle.provider.wsconnected).toBe(true);
    await until(() => idle.provider.synced, "still synced");
  });
});
