import {
  annotationsOf,
  authorsOf,
  consentKey,
  consentOf,
  flagsOf,
  initializeWorkshop,
  metaOf,
  organizationsOf,
  sectionFragment,
  sectionsOf,
  type Organization,
} from "@crosswalk/shared";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { authorizeUpdate, type Principal } from "./authorizeUpdate.js";
import { isNoop, updateEffects } from "./updateEffects.js";

const orgs: Organization[] = [
  { id: "district", name: "Eastside Unified", kind: "district", color: "#0072B2" },
  { id: "uni", name: "Northgate University", kind: "university", color: "#D55E00" },
];
const district: Principal = { workshopId: "w", role: "participant", orgId: "district" };
const uni: Principal = { workshopId: "w", role: "participant", orgId: "uni" };
const facilitator: Principal = { workshopId: "w", role: "facilitator", orgId: null };
const observer: Principal = { workshopId: "w", role: "observer", orgId: null };

function serverDoc(): Y.Doc {
  const doc = new Y.Doc();
  initializeWorkshop(doc, { title: "T", template: "full", createdAt: 1, organizations: orgs });
  return doc;
}

/** A client synced with the server; returns the update its change produces. */
function change(server: Y.Doc, fn: (client: Y.Doc) => void, clientId?: number): Uint8Array {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  // Set after syncing: Yjs picks a new id when a remote update already uses its own.
  if (clientId !== undefined) client.clientID = clientId;
  const before = Y.encodeStateVector(client);
  fn(client);
  return Y.encodeStateAsUpdate(client, before);
}

function verdict(server: Y.Doc, who: Principal, update: Uint8Array) {
  return authorizeUpdate(server, who, updateEffects(server, update));
}

function annotation(id: string, orgId: string) {
  return { id, sectionId: "definition", orgId, author: "A", stance: "concern", dimensions: [], body: "b", anchor: { start: null, end: null }, quote: "q", createdAt: 1 };
}

function accept(server: Y.Doc, update: Uint8Array): void {
  Y.applyUpdate(server, update);
}

describe("authorizeUpdate (contract: Authorization inside the document)", () => {
  it("an update that changes nothing is never refused, not even from an observer", () => {
    const server = serverDoc();
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    // The sync step 2 a fully synced client sends: all of its delete set, no new structs.
    sectionFragment(server, "definition").delete(0, 1);
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    const syncStep2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    expect(isNoop(updateEffects(server, syncStep2))).toBe(true);
    expect(verdict(server, observer, syncStep2)).toEqual({ ok: true });
  });

  it("4403: an observer's text edit is refused", () => {
    const server = serverDoc();
    const u = change(server, (c) => (sectionFragment(c, "definition").get(0) as Y.XmlElement).insert(0, [new Y.XmlText("x")]));
    expect(verdict(server, observer, u).ok).toBe(false);
  });

  it("participants and facilitators edit section text", () => {
    const server = serverDoc();
    const u = change(server, (c) => (sectionFragment(c, "definition").get(0) as Y.XmlElement).insert(0, [new Y.XmlText("equity")]));
    expect(verdict(server, district, u).ok).toBe(true);
    expect(verdict(server, facilitator, u).ok).toBe(true);
  });

  it("a participant writes, edits, resolves and deletes its own organization's annotations", () => {
    const server = serverDoc();
    const create = change(server, (c) => annotationsOf(c).set("a1", annotation("a1", "district")));
    expect(verdict(server, district, create).ok).toBe(true);
    accept(server, create);
    const resolve = change(server, (c) => annotationsOf(c).set("a1", { ...annotation("a1", "district"), resolved: true }));
    expect(verdict(server, district, resolve).ok).toBe(true);
    const remove = change(server, (c) => annotationsOf(c).delete("a1"));
    expect(verdict(server, district, remove).ok).toBe(true);
  });

  it("4403: a participant writing another organization's annotation is refused", () => {
    const server = serverDoc();
    const u = change(server, (c) => annotationsOf(c).set("a1", annotation("a1", "uni")));
    expect(verdict(server, district, u).ok).toBe(false);
  });

  it("4403: a participant overwriting or deleting another organization's annotation is refused", () => {
    const server = serverDoc();
    accept(server, change(server, (c) => annotationsOf(c).set("a1", annotation("a1", "uni"))));
    const overwrite = change(server, (c) => annotationsOf(c).set("a1", annotation("a1", "district")));
    expect(verdict(server, district, overwrite).ok).toBe(false);
    const remove = change(server, (c) => annotationsOf(c).delete("a1"));
    expect(verdict(server, district, remove).ok).toBe(false);
    expect(verdict(server, uni, remove).ok).toBe(true);
  });

  it("4403: an overwrite hidden behind a set-and-delete in one update is refused", () => {
    const server = serverDoc();
    accept(server, change(server, (c) => annotationsOf(c).set("a1", annotation("a1", "uni"))));
    const sneaky = change(server, (c) =>
      c.transact(() => {
        annotationsOf(c).set("a1", annotation("a1", "district"));
        annotationsOf(c).delete("a1");
      }),
    );
    expect(verdict(server, district, sneaky).ok).toBe(false);
  });

  it("a record's key must match it: annotation id, consent section|org", () => {
    const server = serverDoc();
    expect(verdict(server, district, change(server, (c) => annotationsOf(c).set("other", annotation("a1", "district")))).ok).toBe(false);
    const consent = { sectionId: "definition", orgId: "district", level: "endorse", author: "A", at: 1, contentHash: "0".repeat(64) };
    expect(verdict(server, district, change(server, (c) => consentOf(c).set(consentKey("definition", "district"), consent))).ok).toBe(true);
    expect(verdict(server, district, change(server, (c) => consentOf(c).set(consentKey("definition", "uni"), consent))).ok).toBe(false);
  });

  it("authors: a participant writes only its own client id, for its own organization", () => {
    const server = serverDoc();
    const own = change(server, (c) => authorsOf(c).set(String(c.clientID), { orgId: "district", name: "Ana" }), 1111);
    expect(verdict(server, district, own).ok).toBe(true);
    const otherId = change(server, (c) => authorsOf(c).set("2222", { orgId: "district", name: "Ana" }), 1111);
    expect(verdict(server, district, otherId).ok).toBe(false);
    const otherOrg = change(server, (c) => authorsOf(c).set(String(c.clientID), { orgId: "uni", name: "Ana" }), 1111);
    expect(verdict(server, district, otherOrg).ok).toBe(false);
  });

  it("4403: a participant cannot write text under a client id that writes for another organization", () => {
    const server = serverDoc();
    accept(server, change(server, (c) => authorsOf(c).set(String(c.clientID), { orgId: "uni", name: "Uma" }), 3333));
    const impersonate = change(server, (c) => (sectionFragment(c, "definition").get(0) as Y.XmlElement).insert(0, [new Y.XmlText("x")]), 3333);
    expect(verdict(server, district, impersonate).ok).toBe(false);
    expect(verdict(server, uni, impersonate).ok).toBe(true);
  });

  it("only facilitators write flags, organizations, meta and sections", () => {
    const server = serverDoc();
    const writes = [
      change(server, (c) => flagsOf(c).set("f1", { id: "f1" })),
      change(server, (c) => organizationsOf(c).set("x", { id: "x" })),
      change(server, (c) => metaOf(c).set("title", "Renamed")),
      change(server, (c) => sectionsOf(c).push([{ id: "s", kind: "definition", title: "S" }])),
      change(server, (c) => sectionsOf(c).delete(0, 1)),
      change(server, (c) => organizationsOf(c).delete("district")),
    ];
    for (const u of writes) {
      expect(verdict(server, district, u).ok).toBe(false);
      expect(verdict(server, facilitator, u).ok).toBe(true);
    }
  });

  it("records must be plain JSON: a nested Y type in a record map is refused, even from a facilitator", () => {
    const server = serverDoc();
    const nested = change(server, (c) => annotationsOf(c).set("a1", new Y.Map()));
    expect(verdict(server, facilitator, nested).ok).toBe(false);
    expect(verdict(server, district, nested).ok).toBe(false);
  });

  it("a participant cannot create unknown top-level types or subdocuments", () => {
    const server = serverDoc();
    expect(verdict(server, district, change(server, (c) => c.getMap("secret").set("k", 1))).ok).toBe(false);
    const subdoc = change(server, (c) => (sectionFragment(c, "definition").get(0) as Y.XmlElement).setAttribute("x", new Y.Doc() as never));
    expect(verdict(server, facilitator, subdoc).ok).toBe(false);
  });

  it("a deletion of structs the relay does not have is refused (it would delete another client's future content)", () => {
    const server = serverDoc();
    // An update holding only a delete set for clock range 0..100 of a client nobody has seen.
    const attacker = new Y.Doc();
    attacker.clientID = 4242;
    attacker.getText("t").insert(0, "x".repeat(100));
    attacker.getText("t").delete(0, 100);
    const full = Y.encodeStateAsUpdate(attacker);
    const onlyDeletes = Y.diffUpdate(full, Y.encodeStateVector(attacker));
    const effects = updateEffects(server, onlyDeletes);
    expect(effects.unknownDeletions).toBe(true);
    expect(authorizeUpdate(server, district, effects).ok).toBe(false);
  });

  it("text deleted and typed in one update by a participant is fine", () => {
    const server = serverDoc();
    const u = change(server, (c) => {
      const p = sectionFragment(c, "definition").get(0) as Y.XmlElement;
      const t = new Y.XmlText("draft");
      p.insert(0, [t]);
      t.delete(0, 2);
    });
    expect(verdict(server, uni, u).ok).toBe(true);
  });
});

describe("updateEffects: what an incomplete update needs", () => {
  it("names the clocks the document lacks: a gap, an unknown origin, an unknown deletion", () => {
    const doc = serverDoc();
    const a = new Y.Doc();
    a.clientID = 41;
    a.getText("t").insert(0, "abc");
    const afterAbc = Y.encodeStateVector(a);
    a.getText("t").insert(3, "def");
    // A gap: clocks 3.. of client 41 without 0..2.
    const gap = updateEffects(doc, Y.diffUpdate(Y.encodeStateAsUpdate(a), afterAbc));
    expect(gap.incomplete).toBe(true);
    expect([...gap.needs]).toEqual([[41, 3]]);
    // An origin nobody sent: client 42 types after client 41's "f" (clock 5).
    const b = new Y.Doc();
    b.clientID = 42;
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const bBefore = Y.encodeStateVector(b);
    b.getText("t").insert(6, "!");
    const origin = updateEffects(doc, Y.encodeStateAsUpdate(b, bBefore));
    expect(origin.incomplete).toBe(true);
    expect(origin.needs.get(41)).toBe(6);
    // A deletion of structs the document does not have.
    const c = new Y.Doc();
    Y.applyUpdate(c, Y.encodeStateAsUpdate(a));
    const cBefore = Y.encodeStateVector(c);
    c.getText("t").delete(0, 2);
    const deletion = updateEffects(doc, Y.encodeStateAsUpdate(c, cBefore));
    expect(deletion.incomplete).toBe(true);
    expect(deletion.needs.get(41)).toBe(2);
    // Complete updates need nothing.
    const complete = updateEffects(doc, Y.encodeStateAsUpdate(a));
    expect(complete.incomplete).toBe(false);
    expect(complete.needs.size).toBe(0);
  });
});
