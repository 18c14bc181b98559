// Seeded convergence through the relay's room (STYLE.md §11, in-memory level): clients make
// random edits and records, messages are delivered in random order and amounts, clients drop
// and rejoin; in the end every document and the stored log agree.
import {
  annotationsOf,
  consentKey,
  consentOf,
  DEFINITION_SECTION_ID,
  flagsOf,
  initializeWorkshop,
  sectionFragment,
  sectionText,
  type Organization,
} from "@crosswalk/shared";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { Principal } from "../hooks/authorizeUpdate.js";
import { WriteBatcher } from "../hooks/WriteBatcher.js";
import { MemoryStore } from "../store/MemoryStore.js";
import { MemoryClient } from "./MemorySocketPair.js";
import { Room } from "./Room.js";

const RUNS = process.env.CROSSWALK_EXTENSIVE ? 1000 : 40;
const orgs: Organization[] = ["a", "b", "c"].map((id, i) => ({ id, name: `Org ${id}`, kind: "other", color: ["#0072B2", "#D55E00", "#009E73"][i]! }));
const principals: Principal[] = [
  { workshopId: "w", role: "participant", orgId: "a" },
  { workshopId: "w", role: "participant", orgId: "b" },
  { workshopId: "w", role: "facilitator", orgId: null },
];

type Op =
  | { kind: "editSectionText"; client: number; at: number; text: string }
  | { kind: "deleteText"; client: number; at: number; len: number }
  | { kind: "addAnnotation"; client: number; id: number }
  | { kind: "setConsent"; client: number; level: "endorse" | "block" }
  | { kind: "raiseFlag"; client: number; id: number }
  | { kind: "toServer"; client: number; count: number }
  | { kind: "toClient"; client: number; count: number }
  | { kind: "commit" }
  | { kind: "drop"; client: number }
  | { kind: "rejoin"; client: number };

const client = fc.integer({ min: 0, max: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("editSectionText" as const), client, at: fc.nat(200), text: fc.string({ minLength: 1, maxLength: 6 }) }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant("deleteText" as const), client, at: fc.nat(200), len: fc.integer({ min: 1, max: 5 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("addAnnotation" as const), client, id: fc.nat(5) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("setConsent" as const), client, level: fc.constantFrom("endorse" as const, "block" as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("raiseFlag" as const), client, id: fc.nat(3) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("toServer" as const), client, count: fc.integer({ min: 1, max: 4 }) }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant("toClient" as const), client, count: fc.integer({ min: 1, max: 4 }) }), weight: 5 },
  { arbitrary: fc.constant({ kind: "commit" as const }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("drop" as const), client }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("rejoin" as const), client }), weight: 1 },
);

function paragraphText(doc: Y.Doc): Y.XmlText | null {
  const p = sectionFragment(doc, DEFINITION_SECTION_ID).get(0);
  if (!(p instanceof Y.XmlElement)) return null;
  const t = p.get(0);
  return t instanceof Y.XmlText ? t : null;
}

async function scenario(ops: Op[]): Promise<{ records: number }> {
  const store = new MemoryStore();
  const ticks: Array<() => void> = [];
  const batcher = new WriteBatcher(store, (fn) => ticks.push(fn));
  const seed = new Y.Doc();
  initializeWorkshop(seed, { title: "T", template: "equity-definition", createdAt: 1, organizations: orgs });
  (sectionFragment(seed, DEFINITION_SECTION_ID).get(0) as Y.XmlElement).insert(0, [new Y.XmlText("equity ")]);
  const initial = Y.encodeStateAsUpdate(seed);
  await store.createWorkshop({ id: "w", title: "T", template: "full", createdAt: 1, schemaVersion: 1, organizations: orgs, linkGenerations: {} }, initial);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, initial);
  const room = new Room("w", doc, 1, { persist: (id, u) => batcher.append(id, u), onEmpty: () => {}, onBroken: () => {} });
  const clients = principals.map((p) => new MemoryClient(room).connect(p));
  const commit = async () => {
    for (const t of ticks.splice(0)) t();
    await batcher.drain();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  let records = 0;
  for (const o of ops) {
    const c = "client" in o ? clients[o.client]! : null;
    switch (o.kind) {
      case "editSectionText": {
        const t = paragraphText(c!.doc);
        if (t) t.insert(Math.min(o.at, t.length), o.text);
        break;
      }
      case "deleteText": {
        const t = paragraphText(c!.doc);
        if (t && t.length > 0) {
          const at = Math.min(o.at, t.length - 1);
          t.delete(at, Math.min(o.len, t.length - at));
        }
        break;
      }
      case "addAnnotation": {
        const p = principals[o.client]!;
        const orgId = p.orgId ?? "a";
        if (p.role === "facilitator") break;
        const id = `${orgId}-${o.id}`;
        annotationsOf(c!.doc).set(id, { id, sectionId: DEFINITION_SECTION_ID, orgId, author: "x", stance: "concern", dimensions: [], body: "b", anchor: { start: null, end: null }, quote: "q", createdAt: 1 });
        records++;
        break;
      }
      case "setConsent": {
        const orgId = principals[o.client]!.orgId;
        if (!orgId) break;
        consentOf(c!.doc).set(consentKey(DEFINITION_SECTION_ID, orgId), { sectionId: DEFINITION_SECTION_ID, orgId, level: o.level, author: "x", at: 1, contentHash: "0".repeat(64) });
        records++;
        break;
      }
      case "raiseFlag":
        if (principals[o.client]!.role === "facilitator") {
          flagsOf(c!.doc).set(`f${o.id}`, { id: `f${o.id}`, title: "t" });
          records++;
        }
        break;
      case "toServer":
        if (c!.conn) for (const bytes of c!.toServer.splice(0, o.count)) room.receive(c!.conn, bytes);
        break;
      case "toClient": {
        const rest = c!.toClient.splice(o.count);
        c!.flushToClient();
        c!.toClient.push(...rest);
        break;
      }
      case "commit":
        await commit();
        break;
      case "drop":
        c!.disconnect();
        break;
      case "rejoin":
        if (!c!.conn) c!.connect(principals[o.client]!);
        break;
    }
  }
  // Heal: everyone rejoins and all messages flow until nothing is left.
  for (const [i, c] of clients.entries()) {
    if (c.connected) continue;
    c.disconnect();
    c.connect(principals[i]!);
  }
  for (let round = 0; round < 20; round++) {
    for (const c of clients) c.flushToServer();
    await commit();
    for (const c of clients) c.flushToClient();
  }
  for (const c of clients) expect(c.closed, "no legitimate client is refused").toBeNull();
  const expected = Y.encodeStateVector(room.doc);
  for (const c of clients) {
    expect(Y.encodeStateVector(c.doc)).toEqual(expected);
    expect(sectionText(c.doc, DEFINITION_SECTION_ID)).toBe(sectionText(room.doc, DEFINITION_SECTION_ID));
    expect(annotationsOf(c.doc).toJSON()).toEqual(annotationsOf(room.doc).toJSON());
    expect(consentOf(c.doc).toJSON()).toEqual(consentOf(room.doc).toJSON());
  }
  // Replaying what was stored gives the same document.
  const log = await store.loadDocument("w");
  const replay = new Y.Doc();
  if (log.snapshot) Y.applyUpdate(replay, log.snapshot);
  for (const u of log.updates) Y.applyUpdate(replay, u);
  expect(Y.encodeStateVector(replay)).toEqual(expected);
  expect(sectionText(replay, DEFINITION_SECTION_ID)).toBe(sectionText(room.doc, DEFINITION_SECTION_ID));
  return { records };
}

describe("convergence through the room (seeded)", () => {
  it("random edits, records, deliveries, drops and rejoins converge, and the stored log replays to the same state", async () => {
    let exercised = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 80 }), async (ops) => {
        exercised += (await scenario(ops)).records;
      }),
      { numRuns: RUNS, verbose: 1 },
    );
    // Guard: the fuzz really produced the records it claims to exercise.
    expect(exercised).toBeGreaterThan(RUNS);
  });
});
