// Several relays on one PostgreSQL and one Redis (issue 9): real relay processes, real
// y-websocket clients, a TCP load balancer without sticky sessions in front, a relay killed
// with SIGKILL. Redis and PostgreSQL outages are in clusterOutages.test.ts.
import { consentKey, consentOf, DEFINITION_SECTION_ID } from "@crosswalk/shared";
import { Redis } from "ioredis";
import { describe, expect, it, onTestFinished } from "vitest";
import * as Y from "yjs";
import { connectClient, rawSocket, type Client } from "../helpers/client.js";
import { startLoadBalancer } from "../helpers/loadBalancer.js";
import { createWorkshop, metric, startCluster } from "../helpers/relay.js";
import { clusterNames, spawnRelay } from "../helpers/spawnRelay.js";
import { until } from "../helpers/until.js";
import { ackedClock, expectConverged, expectEachOnce, health, keepTyping, participantTokens, text, typeWord } from "../helpers/clusterWords.js";

describe("several relays on PostgreSQL and Redis", () => {
  it("12 y-websocket clients spread over 3 relays by a load balancer edit concurrently, drop and reconnect, and converge; every relay reads the same text", async () => {
    const relays = await startCluster(3);
    const lb = await startLoadBalancer(() => relays.map((r) => Number(new URL(r.url).port)));
    onTestFinished(() => lb.close());
    const w = await createWorkshop(relays[0]!);
    const tokens = participantTokens(w);
    const clients: Client[] = [];
    for (let i = 0; i < 12; i++) clients.push(await connectClient(lb, w.id, tokens[i % tokens.length]!));
    // Round robin without stickiness: four on each relay.
    for (const r of relays) expect(lb.open.get(Number(new URL(r.url).port))).toBe(4);

    const words: string[] = [];
    for (let round = 0; round < 6; round++) {
      for (const [i, c] of clients.entries()) {
        // A third of the clients drop for a round and type offline, then reconnect (maybe elsewhere).
        if ((i + round) % 3 === 0 && round % 2 === 0) c.provider.disconnect();
        for (let k = 0; k < 5; k++) {
          const word = `r${round}c${i}k${k}`;
          typeWord(c.doc, word);
          words.push(word);
        }
      }
      await new Promise((r) => setTimeout(r, 20));
      for (const c of clients) if (!c.provider.wsconnected && !c.provider.wsconnecting) c.provider.connect();
    }
    const final = await expectConverged(clients, relays, w);
    expectEachOnce(final, words);
  });

  it("a relay killed with SIGKILL mid-typing: its clients reconnect to the others; nothing relayed or saved is lost, nothing duplicated", async () => {
    const relays = await startCluster(3);
    const alive = new Set(relays);
    const lb = await startLoadBalancer(() => [...alive].map((r) => Number(new URL(r.url).port)));
    onTestFinished(() => lb.close());
    const w = await createWorkshop(relays[0]!);
    const tokens = participantTokens(w);
    const clients: Client[] = [];
    for (let i = 0; i < 6; i++) clients.push(await connectClient(lb, w.id, tokens[i % tokens.length]!));
    const victim = relays[0]!;
    const watchers = [await connectClient(relays[1]!, w.id, w.tokens.observer), await connectClient(relays[2]!, w.id, w.tokens.observer)];

    const typing = keepTyping(clients, "k");
    await until(() => clients.every((c) => c.acks.length >= 5), "some saved acknowledgements before the kill");
    alive.delete(victim);
    await victim.kill();
    // What anyone saw relayed or acknowledged before the kill.
    const relayedBefore = watchers.map(text);
    const ackedBefore = clients.map(ackedClock);
    const stateBefore = clients.map((c) => Y.encodeStateAsUpdate(c.doc));
    await new Promise((r) => setTimeout(r, 300));
    await typing.stop();

    const final = await expectConverged([...clients, ...watchers], [relays[1]!, relays[2]!], w);
    expectEachOnce(final, typing.words);
    for (const seen of relayedBefore) for (const word of seen.split(/\s+/).filter(Boolean)) expect(final).toContain(`${word} `);
    // Everything acknowledged as saved before the kill is in storage: a relay that never saw it reads it.
    const fresh = await connectClient(relays[2]!, w.id, w.tokens.observer);
    for (const [i, c] of clients.entries()) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, stateBefore[i]!);
      expect(Y.getState(fresh.doc.store, c.doc.clientID), `client ${i}'s acknowledged clock`).toBeGreaterThanOrEqual(ackedBefore[i]!);
      doc.destroy();
    }
  });

  it("rotating a link on one relay closes the old token's sockets on all three (4401) within 5 s; the old token is refused everywhere", async () => {
    const relays = await startCluster(3);
    const w = await createWorkshop(relays[0]!);
    const org = w.organizations[0]!;
    const token = w.tokens.participants[org.id]!;
    const old = await Promise.all(relays.map((r) => connectClient(r, w.id, token)));
    const other = await connectClient(relays[2]!, w.id, w.tokens.participants[w.organizations[1]!.id]!);
    const res = await fetch(`${relays[0]!.url}/api/workshops/${w.id}/organizations/${org.id}/rotate`, {
      method: "POST",
      headers: { authorization: `Bearer ${w.tokens.facilitator}` },
    });
    expect(res.status).toBe(200);
    await until(() => old.every((c) => c.closes.some((e) => e.code === 4401)), "the old token's sockets closed with 4401 on every relay", 5_000);
    for (const relay of relays) {
      const { closed } = await rawSocket(relay, w.id, `?token=${token}`);
      expect((await closed).code, `old token on ${relay.url}`).toBe(4401);
    }
    expect(other.closes).toEqual([]);
  });

  it("a participant's forged write is refused (4403) on whichever relay it arrives, and reaches no one", async () => {
    const relays = await startCluster(3);
    const w = await createWorkshop(relays[0]!);
    const [org0, org1] = [w.organizations[0]!.id, w.organizations[1]!.id];
    const watchers = await Promise.all(relays.map((r) => connectClient(r, w.id, w.tokens.observer)));
    const facilitator = await connectClient(relays[0]!, w.id, w.tokens.facilitator);
    for (const [i, relay] of relays.entries()) {
      const attacker = await connectClient(relay, w.id, w.tokens.participants[org0]!);
      // Consent recorded in another organization's name.
      consentOf(attacker.doc).set(consentKey(DEFINITION_SECTION_ID, org1), { sectionId: DEFINITION_SECTION_ID, orgId: org1, level: "block", author: "Forged", at: 1, contentHash: "0".repeat(64) });
      await until(() => attacker.closes.some((c) => c.code === 4403), `close 4403 on relay ${i}`);
      facilitator.doc.getMap("meta").set(`sentinel-${i}`, true);
      await until(() => watchers.every((wa) => wa.doc.getMap("meta").get(`sentinel-${i}`) === true), "the sentinel on every relay");
      for (const wa of watchers) expect(consentOf(wa.doc).has(consentKey(DEFINITION_SECTION_ID, org1))).toBe(false);
    }
  });

  it("messages on the relays' Redis keys that are not theirs are ignored and counted, never applied", async () => {
    const [a, b] = await startCluster(2);
    const w = await createWorkshop(a!);
    const watcher = await connectClient(b!, w.id, w.tokens.observer);
    const writer = await connectClient(a!, w.id, w.tokens.participants[w.organizations[0]!.id]!);
    typeWord(writer.doc, "genuine");
    await until(() => text(watcher).includes("genuine"), "a genuine update across relays");

    // A well-formed Yjs update that would add text, published without the relays' signature.
    const forger = new Y.Doc();
    Y.applyUpdate(forger, Y.encodeStateAsUpdate(watcher.doc));
    const before = Y.encodeStateVector(forger);
    typeWord(forger, "forged");
    const forged = Buffer.from(Y.encodeStateAsUpdate(forger, before));
    const { prefix } = clusterNames(b!.dataDir);
    const redis = new Redis(b!.env.REDIS_URL!);
    onTestFinished(() => redis.disconnect());
    const counted = await metric(b!, "crosswalk_bus_foreign_messages_total");
    await redis.xadd(`${prefix}s:${w.id}`, "*", "r", "0011223344556677", "u", forged, "m", Buffer.alloc(16));
    await redis.xadd(`${prefix}s:${w.id}`, "*", "junk", "not ours");
    await redis.publish(`${prefix}a:${w.id}`, Buffer.from("not an awareness update"));
    await redis.publish(`${prefix}revoke`, "{not json");
    await until(async () => (await metric(b!, "crosswalk_bus_foreign_messages_total")) >= counted + 4, "four foreign messages counted");
    typeWord(writer.doc, "after");
    await until(() => text(watcher).includes("after"), "genuine updates still flow");
    expect(text(watcher)).not.toContain("forged");
    expect(watcher.closes).toEqual([]);
  });

  it("connection limits count sockets on every relay: the fifth socket of a 4-socket workshop is refused (4429) on whichever relay, and admitted once one leaves", async () => {
    const relays = await startCluster(2, { env: { MAX_CONNECTIONS_PER_WORKSHOP: "4" } });
    const w = await createWorkshop(relays[0]!);
    const token = w.tokens.observer;
    const clients = [];
    for (let i = 0; i < 4; i++) clients.push(await connectClient(relays[i % 2]!, w.id, token));
    for (const relay of relays) {
      const { closed } = await rawSocket(relay, w.id, `?token=${token}`);
      expect((await closed).code, `fifth socket on ${relay.url}`).toBe(4429);
    }
    clients[0]!.destroy();
    await until(async () => {
      const { ws, closed } = await rawSocket(relays[1]!, w.id, `?token=${token}`);
      const outcome = await Promise.race([closed.then(() => "closed"), new Promise((r) => setTimeout(() => r("open"), 500))]);
      ws.close();
      return outcome === "open";
    }, "a place freed on relay 0 to be usable on relay 1");
    // Per address as well (every test client is 127.0.0.1).
    const perIp = await startCluster(2, { env: { MAX_CONNECTIONS_PER_IP: "3" } });
    const v = await createWorkshop(perIp[0]!);
    for (let i = 0; i < 3; i++) await connectClient(perIp[i % 2]!, v.id, v.tokens.observer);
    const { closed } = await rawSocket(perIp[1]!, v.id, `?token=${v.tokens.observer}`);
    expect((await closed).code).toBe(4429);
  });

  it("/healthz reports PostgreSQL and Redis", async () => {
    const [relay] = await startCluster(1);
    expect(await health(relay!)).toEqual({ status: 200, body: { ok: true, postgres: "ok", redis: "ok" } });
  });

  it("DATABASE_URL or REDIS_URL malformed or unreachable at start: exits non-zero with one line naming the variable", async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ DATABASE_URL: "mysql://nowhere/db" }, "DATABASE_URL"],
      [{ DATABASE_URL: "postgres://postgres@127.0.0.1:1/test" }, "DATABASE_URL"],
      [{ REDIS_URL: "http://127.0.0.1:6379" }, "REDIS_URL"],
      [{ REDIS_URL: "redis://127.0.0.1:1" }, "REDIS_URL"],
      [{ DATABASE_URL: "" }, "DATABASE_URL"],
    ];
    for (const [env, variable] of cases) {
      const started = spawnRelay({ cluster: true, env });
      const error = await started.then(
        async (relay) => {
          await relay.kill();
          return "started";
        },
        (e: unknown) => String(e),
      );
      const output = error.split("before listening:\n")[1]?.trim() ?? error;
      expect(error, JSON.stringify(env)).toMatch(/relay exited with [1-9]\d* before listening/);
      expect(output.split("\n"), JSON.stringify(env)).toHaveLength(1);
      expect(output).toContain(variable);
    }
  });
});
