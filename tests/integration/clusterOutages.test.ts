// Several relays losing Redis or PostgreSQL for a while (issue 9). Redis is a private
// redis-server of the test, killed and restarted (its streams are gone, as after a real
// restart); PostgreSQL is the machine's, made unreachable for 10 s by cutting the TCP path to it
// (connections reset, new ones refused, as when it is stopped) so the other tests keep theirs.
import { describe, expect, it, onTestFinished } from "vitest";
import * as Y from "yjs";
import { connectClient, type Client } from "../helpers/client.js";
import { ackedClock, expectConverged, expectEachOnce, health, keepTyping, participantTokens, text, typeWord } from "../helpers/clusterWords.js";
import { startRedisServer } from "../helpers/redisServer.js";
import { createWorkshop, startCluster } from "../helpers/relay.js";
import { TEST_DATABASE_URL } from "../helpers/spawnRelay.js";
import { startTcpProxy } from "../helpers/tcpProxy.js";
import { until } from "../helpers/until.js";

describe("several relays through Redis and PostgreSQL outages", () => {
  it("Redis killed and restarted mid-session: writes are refused (never acknowledged) while it is gone, and every relay catches up after", async () => {
    const redis = await startRedisServer();
    const relays = await startCluster(3, { redisUrl: redis.url });
    const w = await createWorkshop(relays[0]!);
    const tokens = participantTokens(w);
    const clients: Client[] = [];
    for (let i = 0; i < 6; i++) clients.push(await connectClient(relays[i % 3]!, w.id, tokens[i % tokens.length]!));
    const typing = keepTyping(clients, "rd");
    await until(() => clients.every((c) => c.acks.length >= 3), "saved acknowledgements before the outage");

    await redis.kill();
    await until(async () => (await Promise.all(relays.map(health))).every((h) => h.status === 503 && h.body.redis === "down"), "every relay to report Redis down (503)");
    const clockAtOutage = clients.map((c) => Y.getState(c.doc.store, c.doc.clientID));
    await until(() => clients.every((c) => !c.provider.wsconnected), "clients sent away (1013)");
    await new Promise((r) => setTimeout(r, 500));
    for (const [i, c] of clients.entries()) expect(ackedClock(c), `client ${i}: nothing typed during the outage is acknowledged`).toBeLessThanOrEqual(clockAtOutage[i]!);
    expect(clients.some((c) => c.closes.some((e) => e.code === 1013))).toBe(true);

    await redis.start();
    await until(async () => (await Promise.all(relays.map(health))).every((h) => h.status === 200), "every relay healthy again");
    await until(() => clients.every((c) => c.provider.wsconnected), "clients back");
    await new Promise((r) => setTimeout(r, 300));
    await typing.stop();
    const final = await expectConverged(clients, relays, w);
    expectEachOnce(final, typing.words);
    // After the restart, messages flow through the new Redis: a word on relay 0 reaches relay 2.
    typeWord(clients[0]!.doc, "after-redis-restart");
    await until(() => text(clients[2]!).includes("after-redis-restart"), "a write on relay 0 reaching a client of relay 2");
  });

  it("PostgreSQL unreachable for 10 s: /healthz 503, nothing acknowledged meanwhile, everything converges after", async () => {
    const pgProxy = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(TEST_DATABASE_URL).port || 5432) });
    onTestFinished(() => pgProxy.close());
    const url = new URL(TEST_DATABASE_URL);
    url.port = String(pgProxy.port);
    const relays = await startCluster(3, { databaseUrl: url.toString() });
    const w = await createWorkshop(relays[0]!);
    const tokens = participantTokens(w);
    const clients: Client[] = [];
    for (let i = 0; i < 6; i++) clients.push(await connectClient(relays[i % 3]!, w.id, tokens[i % tokens.length]!));
    const typing = keepTyping(clients, "pg");
    await until(() => clients.every((c) => c.acks.length >= 3), "saved acknowledgements before the outage");

    const cutAt = Date.now();
    await pgProxy.cut();
    await until(async () => (await Promise.all(relays.map(health))).every((h) => h.status === 503 && h.body.postgres === "down"), "every relay to report PostgreSQL down (503)");
    const clockAtOutage = clients.map((c) => Y.getState(c.doc.store, c.doc.clientID));
    await until(() => clients.every((c) => !c.provider.wsconnected), "clients sent away");
    await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - cutAt))));
    for (const [i, c] of clients.entries()) expect(ackedClock(c), `client ${i}: nothing typed during the outage is acknowledged`).toBeLessThanOrEqual(clockAtOutage[i]!);

    await pgProxy.restore();
    await until(async () => (await Promise.all(relays.map(health))).every((h) => h.status === 200), "every relay healthy again", 20_000);
    await until(() => clients.every((c) => c.provider.wsconnected), "clients back", 20_000);
    await new Promise((r) => setTimeout(r, 300));
    await typing.stop();
    const final = await expectConverged(clients, relays, w);
    expectEachOnce(final, typing.words);
  }, 60_000);
});
