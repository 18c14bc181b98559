import { DEFINITION_SECTION_ID, initializeWorkshop, sectionFragment, sectionText, type Organization } from "@crosswalk/shared";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { Principal } from "../hooks/authorizeUpdate.js";
import { WriteBatcher } from "../hooks/WriteBatcher.js";
import { MemoryStore } from "../store/MemoryStore.js";
import type { PendingUpdate } from "../store/Store.js";
import { MemoryClient } from "./MemorySocketPair.js";
import { Room } from "./Room.js";

const org: Organization = { id: "district", name: "Eastside Unified", kind: "district", color: "#0072B2" };
const participant: Principal = { workshopId: "w", role: "participant", orgId: "district" };
const observer: Principal = { workshopId: "w", role: "observer", orgId: null };

/** A store whose commits wait until the test opens the gate. */
class GatedStore extends MemoryStore {
  private waiting: Array<() => void> = [];
  gated = false;
  override async appendUpdates(batch: readonly PendingUpdate[]): Promise<number[]> {
    if (this.gated) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return super.appendUpdates(batch);
  }
  open(): void {
    this.gated = false;
    for (const w of this.waiting.splice(0)) w();
  }
}

async function setup() {
  const store = new GatedStore();
  const ticks: Array<() => void> = [];
  const batcher = new WriteBatcher(store, (fn) => ticks.push(fn));
  const seed = new Y.Doc();
  initializeWorkshop(seed, { title: "T", template: "equity-definition", createdAt: 1, organizations: [org] });
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(seed));
  const broken: unknown[] = [];
  const room = new Room("w", doc, 0, {
    persist: (id, u) => batcher.append(id, u),
    onEmpty: () => {},
    onBroken: (_r, e) => broken.push(e),
  });
  /** Runs scheduled batch flushes without waiting for a gated store. */
  const flushTicks = async () => {
    for (const t of ticks.splice(0)) t();
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  /** Runs scheduled batch flushes and lets their commits settle. */
  const commit = async () => {
    for (const t of ticks.splice(0)) t();
    await batcher.drain();
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  return { store, room, commit, flushTicks, broken };
}

function type(client: MemoryClient, text: string): void {
  const p = sectionFragment(client.doc, DEFINITION_SECTION_ID).get(0) as Y.XmlElement;
  if (!(p.get(0) instanceof Y.XmlText)) p.insert(0, [new Y.XmlText()]);
  const t = p.get(0) as Y.XmlText;
  t.insert(t.length, text);
}

async function sync(commit: () => Promise<void>, ...clients: MemoryClient[]): Promise<void> {
  for (let i = 0; i < 4; i++) {
    for (const c of clients) c.flushToServer();
    await commit();
    for (const c of clients) c.flushToClient();
  }
}

describe("Room", () => {
  it("Durability 1: an update reaches no other client before it is committed", async () => {
    const { store, room, commit, flushTicks } = await setup();
    const a = new MemoryClient(room).connect(participant);
    const b = new MemoryClient(room).connect(participant);
    await sync(commit, a, b);
    store.gated = true;
    type(a, "committed first");
    a.flushToServer();
    await flushTicks();
    b.flushToClient();
    expect(sectionText(b.doc, DEFINITION_SECTION_ID)).toBe("");
    expect(a.acks.some((sv) => (sv.get(a.doc.clientID) ?? 0) > 0)).toBe(false);
    store.open();
    await commit();
    b.flushToClient();
    a.flushToClient();
    expect(sectionText(b.doc, DEFINITION_SECTION_ID)).toBe("committed first");
    expect(a.acks.at(-1)?.get(a.doc.clientID)).toBe(Y.getState(a.doc.store, a.doc.clientID));
  });

  it("Durability 1, 2: an update is relayed once committed, and acknowledged as saved only once the commit is on disk (fsync)", async () => {
    class SyncGatedStore extends MemoryStore {
      readonly syncs: Array<() => void> = [];
      sync(): Promise<void> {
        return new Promise<void>((resolve) => this.syncs.push(resolve));
      }
    }
    const store = new SyncGatedStore();
    const batcher = new WriteBatcher(store);
    const seed = new Y.Doc();
    initializeWorkshop(seed, { title: "T", template: "equity-definition", createdAt: 1, organizations: [org] });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(seed));
    const room = new Room("w", doc, 0, { persist: (id, u) => batcher.append(id, u), sync: () => batcher.sync(), onEmpty: () => {}, onBroken: () => {} });
    const settle = async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    };
    const a = new MemoryClient(room).connect(participant);
    const b = new MemoryClient(room).connect(observer);
    for (let i = 0; i < 3; i++) {
      a.flushToServer();
      b.flushToServer();
      await settle();
      for (const s of store.syncs.splice(0)) s();
      await settle();
      a.flushToClient();
      b.flushToClient();
    }
    const acks = a.acks.length;
    type(a, "typed");
    const messages = a.toServer.length; // one per transaction (the paragraph's text node, then the text)
    a.flushToServer();
    await settle();
    b.flushToClient();
    a.flushToClient();
    expect(sectionText(b.doc, DEFINITION_SECTION_ID), "relayed once committed").toBe("typed");
    expect(a.acks.length, "not acknowledged before the fsync").toBe(acks);
    let durable = false;
    void room.whenDurable().then(() => (durable = true));
    await settle();
    expect(durable).toBe(false);
    expect(store.syncs.length).toBeGreaterThan(0);
    for (const s of store.syncs.splice(0)) s();
    await settle();
    a.flushToClient();
    expect(a.acks.length, "one fsync covers the whole batch: every message acknowledged").toBe(acks + messages);
    expect(a.acks.at(-1)?.get(a.doc.clientID)).toBe(Y.getState(a.doc.store, a.doc.clientID));
    expect(durable).toBe(true);
  });

  it("Durability 1: with commits finishing out of order (several at once), nothing is relayed before every earlier update is committed", async () => {
    const seed = new Y.Doc();
    initializeWorkshop(seed, { title: "T", template: "equity-definition", createdAt: 1, organizations: [org] });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(seed));
    // A store stand-in: each commit finishes when the test says, in any order.
    const commits: Array<{ finish: () => void }> = [];
    let seq = 0;
    const room = new Room("w", doc, 0, {
      persist: () => new Promise<number>((resolve) => commits.push({ finish: () => resolve(++seq) })),
      onEmpty: () => {},
      onBroken: () => {},
    });
    const settle = async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    const a = new MemoryClient(room).connect(participant);
    const b = new MemoryClient(room).connect(observer);
    a.flushToServer();
    b.flushToServer();
    for (const c of commits.splice(0)) c.finish();
    await settle();
    a.flushToClient();
    b.flushToClient();
    const relayedBefore = b.received.length;
    type(a, "one");
    a.flushToServer();
    type(a, " two");
    a.flushToServer();
    const [first, ...later] = commits.splice(0);
    expect(later.length).toBeGreaterThan(0);
    for (const c of later) c.finish();
    await settle();
    b.flushToClient();
    expect(b.received.length, "later commits done, the first not: nothing relayed").toBe(relayedBefore);
    first!.finish();
    await settle();
    b.flushToClient();
    expect(sectionText(b.doc, DEFINITION_SECTION_ID)).toBe("one two");
  });

  it("Durability 1: a joining client's sync step 2 waits for updates still being committed", async () => {
    const { store, room, commit, flushTicks } = await setup();
    const a = new MemoryClient(room).connect(participant);
    await sync(commit, a);
    store.gated = true;
    type(a, "not yet stored");
    a.flushToServer();
    const late = new MemoryClient(room).connect(observer);
    late.flushToServer();
    await flushTicks();
    late.flushToClient();
    expect(sectionText(late.doc, DEFINITION_SECTION_ID)).toBe("");
    store.open();
    await commit();
    late.flushToClient();
    expect(sectionText(late.doc, DEFINITION_SECTION_ID)).toBe("not yet stored");
  });

  it("holds an update that skips clocks until the update that completes it arrives, then applies both", async () => {
    const { room, commit } = await setup();
    const writer = new MemoryClient(room).connect(participant);
    await sync(commit, writer);
    // Two changes; the second reaches the relay first (as after a reconnect, live update before sync step 2).
    writer.toServer.length = 0;
    const before = Y.encodeStateVector(writer.doc);
    type(writer, "first ");
    const mid = Y.encodeStateVector(writer.doc);
    type(writer, "second");
    writer.toServer.length = 0;
    const first = Y.encodeStateAsUpdate(writer.doc, before);
    const second = Y.diffUpdate(Y.encodeStateAsUpdate(writer.doc), mid);
    const reader = new MemoryClient(room).connect(observer);
    await sync(commit, reader);
    writer.toServer.push(updateMessage(second));
    writer.flushToServer();
    await commit();
    reader.flushToClient();
    expect(writer.closed).toBeNull();
    expect(sectionText(room.doc, DEFINITION_SECTION_ID)).toBe("");
    writer.toServer.push(updateMessage(first));
    writer.flushToServer();
    await commit();
    reader.flushToClient();
    expect(sectionText(room.doc, DEFINITION_SECTION_ID)).toBe("first second");
    expect(sectionText(reader.doc, DEFINITION_SECTION_ID)).toBe("first second");
    expect(room.doc.store.pendingStructs).toBeNull();
  });

  it("acknowledges every update message once, a held one when it is finally stored (the web app counts acks)", async () => {
    const { room, commit } = await setup();
    const writer = new MemoryClient(room).connect(participant);
    await sync(commit, writer);
    writer.flushToClient();
    const acksBefore = writer.acks.length;
    const before = Y.encodeStateVector(writer.doc);
    type(writer, "one ");
    const mid = Y.encodeStateVector(writer.doc);
    type(writer, "two");
    writer.toServer.length = 0;
    writer.sendRaw(updateMessage(Y.diffUpdate(Y.encodeStateAsUpdate(writer.doc), mid)));
    writer.flushToServer();
    await commit();
    writer.flushToClient();
    expect(writer.acks.length - acksBefore, "nothing is acknowledged while the update is held").toBe(0);
    writer.sendRaw(updateMessage(Y.encodeStateAsUpdate(writer.doc, before)));
    writer.flushToServer();
    await commit();
    writer.flushToClient();
    expect(writer.acks.length - acksBefore).toBe(2);
    expect(writer.acks.at(-1)?.get(writer.doc.clientID)).toBe(Y.getState(writer.doc.store, writer.doc.clientID));
  });

  it("a held update is completed by another connection's update, and then stored and relayed", async () => {
    const { room, commit } = await setup();
    const a = new MemoryClient(room).connect(participant);
    const b = new MemoryClient(room).connect(participant);
    await sync(commit, a, b);
    // a writes; b edits a's text before the relay has a's edit (b saw it elsewhere): b's update is held.
    a.toServer.length = 0;
    type(a, "hello");
    const aUpdate = a.toServer.splice(0);
    b.toServer.length = 0;
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc), b); // as if relayed: not sent back
    type(b, " world");
    b.flushToServer();
    await commit();
    a.flushToClient();
    expect(sectionText(room.doc, DEFINITION_SECTION_ID)).toBe("");
    expect(b.closed).toBeNull();
    for (const m of aUpdate) a.toServer.push(m);
    a.flushToServer();
    await commit();
    a.flushToClient();
    expect(sectionText(room.doc, DEFINITION_SECTION_ID)).toBe("hello world");
    expect(sectionText(a.doc, DEFINITION_SECTION_ID)).toBe("hello world");
  });

  it("held updates are bounded in number and in bytes (4400), and an update that nothing can complete is refused", async () => {
    const gapUpdate = (client: number, text: string): Uint8Array => {
      const d = new Y.Doc();
      d.clientID = client;
      d.getText("t").insert(0, "x");
      const sv = Y.encodeStateVector(d);
      d.getText("t").insert(1, text);
      return Y.encodeStateAsUpdate(d, sv);
    };
    const { room, commit } = await setup();
    const many = new MemoryClient(room).connect(participant);
    await sync(commit, many);
    for (let i = 0; i < 64; i++) many.sendRaw(updateMessage(gapUpdate(1000 + i, "y")));
    many.flushToServer();
    expect(many.closed).toBeNull();
    many.sendRaw(updateMessage(gapUpdate(2000, "y")));
    many.flushToServer();
    expect(many.closed).toEqual({ code: 4400, reason: expect.any(String) as string });

    const big = new MemoryClient(room).connect(participant);
    await sync(commit, big);
    big.sendRaw(updateMessage(gapUpdate(3000, "z".repeat(300_000))));
    big.flushToServer();
    expect(big.closed).toBeNull();
    big.sendRaw(updateMessage(gapUpdate(3001, "z".repeat(300_000))));
    big.flushToServer();
    expect(big.closed?.code).toBe(4400);
  });

  it("4403: an observer's edit is refused, not applied, not relayed", async () => {
    const { room, commit } = await setup();
    const watcher = new MemoryClient(room).connect(participant);
    const obs = new MemoryClient(room).connect(observer);
    await sync(commit, watcher, obs);
    type(obs, "observer text");
    await sync(commit, watcher, obs);
    expect(obs.closed?.code).toBe(4403);
    expect(sectionText(room.doc, DEFINITION_SECTION_ID)).toBe("");
    expect(sectionText(watcher.doc, DEFINITION_SECTION_ID)).toBe("");
  });

  it("4400: random bytes and truncated messages close that connection only", async () => {
    const { room, commit } = await setup();
    const good = new MemoryClient(room).connect(participant);
    const bad = new MemoryClient(room).connect(participant);
    await sync(commit, good, bad);
    bad.sendRaw(new Uint8Array([0, 2, 200, 1, 2]));
    bad.flushToServer();
    expect(bad.closed?.code).toBe(4400);
    const bad2 = new MemoryClient(room).connect(participant);
    bad2.sendRaw(new Uint8Array([77, 1, 2, 3]));
    bad2.flushToServer();
    expect(bad2.closed?.code).toBe(4400);
    type(good, "still fine");
    await sync(commit, good);
    expect(sectionText(room.doc, DEFINITION_SECTION_ID)).toBe("still fine");
    expect(good.closed).toBeNull();
  });

  it("a storage failure closes every connection (1011) and drops the room, relaying nothing unsaved", async () => {
    const { store, room, commit, broken } = await setup();
    const a = new MemoryClient(room).connect(participant);
    const b = new MemoryClient(room).connect(participant);
    await sync(commit, a, b);
    store.failNextAppend = new Error("disk full");
    type(a, "lost?");
    a.flushToServer();
    await commit().catch(() => {});
    b.flushToClient();
    expect(a.closed?.code).toBe(1011);
    expect(b.closed?.code).toBe(1011);
    expect(sectionText(b.doc, DEFINITION_SECTION_ID)).toBe("");
    expect(broken).toHaveLength(1);
    expect(room.broken).toBe(true);
  });

  it("writes an authors record for each new client id, for the connection's organization", async () => {
    const { room, commit } = await setup();
    const a = new MemoryClient(room).connect(participant);
    await sync(commit, a);
    type(a, "hello");
    await sync(commit, a);
    expect(room.doc.getMap("authors").get(String(a.doc.clientID))).toEqual({ orgId: "district", name: "participant" });
    expect(a.doc.getMap("authors").get(String(a.doc.clientID))).toEqual({ orgId: "district", name: "participant" });
  });
});

function updateMessage(update: Uint8Array): Uint8Array {
  // [MESSAGE_SYNC, messageYjsUpdate, varUint8Array(update)]
  const len: number[] = [];
  let n = update.length;
  while (n > 127) {
    len.push((n & 127) | 128);
    n >>>= 7;
  }
  len.push(n);
  return new Uint8Array([0, 2, ...len, ...update]);
}

describe("Room and crafted updates", () => {
  it("an update that would make Y.mergeUpdates loop forever (yjs#687) is refused with 4400, even after a held update", async () => {
    const { room, commit } = await setup();
    const attacker = new MemoryClient(room).connect(participant);
    await sync(commit, attacker);
    // First something held back (it skips clocks of a client), so the next update would be merged with it …
    const gap = new Y.Doc();
    gap.clientID = 77;
    gap.getText("t").insert(0, "abc");
    const afterFirst = Y.encodeStateVector(gap);
    gap.getText("t").insert(3, "def");
    attacker.sendRaw(updateMessage(Y.diffUpdate(Y.encodeStateAsUpdate(gap), afterFirst)));
    attacker.flushToServer();
    expect(attacker.closed).toBeNull();
    // … then the published V1 buffer from yjs' own limits tests ("too many updates").
    const poison = new Uint8Array([228, 156, 16, 0, 5, 255, 255, 5, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 237, 0, 0, 0, 1, 1, 0, 254, 184, 194, 233, 173, 135, 217, 18, 0, 0, 1, 1, 255, 237, 246]);
    attacker.sendRaw(updateMessage(poison));
    attacker.flushToServer();
    expect(attacker.closed?.code).toBe(4400);
  });
});
