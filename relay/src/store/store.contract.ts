// One suite for every store (STYLE.md §10): each backend's test file calls registerStoreContract.
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { Store, WorkshopRecord } from "./Store.js";

/** How a backend's test file makes a fresh, empty store (and cleans it up, if it must). */
export interface StoreFactory {
  create(): Promise<Store>;
}

/** A workshop record for tests. */
export function sampleRecord(id: string): WorkshopRecord {
  return {
    id,
    title: "Eastside retreat",
    template: "full",
    createdAt: 1_700_000_000_000,
    schemaVersion: 1,
    organizations: [{ id: "o1", name: "Eastside Unified", kind: "district", color: "#0072B2" }],
    linkGenerations: { o1: 0 },
  };
}

function textUpdate(text: string, base?: Y.Doc): { doc: Y.Doc; update: Uint8Array } {
  const doc = base ?? new Y.Doc();
  const before = Y.encodeStateVector(doc);
  doc.getText("t").insert(doc.getText("t").length, text);
  return { doc, update: Y.encodeStateAsUpdate(doc, before) };
}

function replay(stored: { snapshot: Uint8Array | null; updates: Uint8Array[] }): string {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc.getText("t").toString();
}

/** Registers the store contract tests for one backend. */
export function registerStoreContract(factory: StoreFactory): void {
  describe("store contract", () => {
    it("creates a workshop with its first state, and reads the record back", async () => {
      const store = await factory.create();
      const { update } = textUpdate("hello");
      await store.createWorkshop(sampleRecord("w1"), update);
      expect(await store.getWorkshop("w1")).toEqual(sampleRecord("w1"));
      expect(await store.getWorkshop("nope")).toBeNull();
      const loaded = await store.loadDocument("w1");
      expect(loaded.snapshot).toBeNull();
      expect(replay(loaded)).toBe("hello");
      await store.close();
    });

    it("lists every workshop's id, oldest first", async () => {
      const store = await factory.create();
      expect(await store.listWorkshopIds()).toEqual([]);
      await store.createWorkshop({ ...sampleRecord("wb"), createdAt: 2 }, textUpdate("b").update);
      await store.createWorkshop({ ...sampleRecord("wa"), createdAt: 3 }, textUpdate("a").update);
      await store.createWorkshop({ ...sampleRecord("wc"), createdAt: 1 }, textUpdate("c").update);
      expect(await store.listWorkshopIds()).toEqual(["wc", "wb", "wa"]);
      await store.close();
    });

    it("refuses a second workshop with the same id and leaves the first intact", async () => {
      const store = await factory.create();
      await store.createWorkshop(sampleRecord("w1"), textUpdate("first").update);
      await expect(store.createWorkshop({ ...sampleRecord("w1"), title: "other" }, textUpdate("second").update)).rejects.toThrow();
      expect((await store.getWorkshop("w1"))?.title).toBe("Eastside retreat");
      expect(replay(await store.loadDocument("w1"))).toBe("first");
      await store.close();
    });

    it("replaces a record, and refuses to replace an unknown one", async () => {
      const store = await factory.create();
      await store.createWorkshop(sampleRecord("w1"), textUpdate("x").update);
      await store.putWorkshop({ ...sampleRecord("w1"), linkGenerations: { o1: 3 } });
      expect((await store.getWorkshop("w1"))?.linkGenerations).toEqual({ o1: 3 });
      await expect(store.putWorkshop(sampleRecord("unknown"))).rejects.toThrow();
      await store.close();
    });

    it("appends updates with increasing sequence numbers and loads them in order, byte for byte", async () => {
      const store = await factory.create();
      const first = textUpdate("a");
      await store.createWorkshop(sampleRecord("w1"), first.update);
      const u2 = textUpdate("b", first.doc).update;
      const u3 = textUpdate("c", first.doc).update;
      const seqs = await store.appendUpdates([
        { docId: "w1", update: u2 },
        { docId: "w1", update: u3 },
      ]);
      expect(seqs).toHaveLength(2);
      expect(seqs[1]!).toBeGreaterThan(seqs[0]!);
      const loaded = await store.loadDocument("w1");
      expect(loaded.updates).toHaveLength(3);
      expect(Array.from(loaded.updates[1]!)).toEqual(Array.from(u2));
      expect(loaded.lastSeq).toBe(seqs[1]);
      expect(replay(loaded)).toBe("abc");
      await store.close();
    });

    it("sync(), where the store has one, resolves once appended updates are durable and they read back alike", async () => {
      const store = await factory.create();
      const first = textUpdate("a");
      await store.createWorkshop(sampleRecord("w1"), first.update);
      await store.appendUpdates([{ docId: "w1", update: textUpdate("b", first.doc).update }]);
      if (store.sync) await expect(store.sync()).resolves.toBeUndefined();
      expect(replay(await store.loadDocument("w1"))).toBe("ab");
      await store.close();
    });

    it("keeps documents apart", async () => {
      const store = await factory.create();
      await store.createWorkshop(sampleRecord("w1"), textUpdate("one").update);
      await store.createWorkshop(sampleRecord("w2"), textUpdate("two").update);
      expect(replay(await store.loadDocument("w1"))).toBe("one");
      expect(replay(await store.loadDocument("w2"))).toBe("two");
      expect(await store.loadDocument("w3")).toEqual({ snapshot: null, updates: [], lastSeq: 0 });
      await store.close();
    });

    it("compaction replaces the log up to a sequence number and keeps what was appended after it", async () => {
      const store = await factory.create();
      const base = textUpdate("a");
      await store.createWorkshop(sampleRecord("w1"), base.update);
      const [s2] = await store.appendUpdates([{ docId: "w1", update: textUpdate("b", base.doc).update }]);
      const state = Y.encodeStateAsUpdate(base.doc);
      // An update appended while the compaction was being prepared must survive it.
      const [s3] = await store.appendUpdates([{ docId: "w1", update: textUpdate("c", base.doc).update }]);
      await store.compact("w1", state, s2!);
      const loaded = await store.loadDocument("w1");
      expect(loaded.snapshot).not.toBeNull();
      expect(loaded.updates).toHaveLength(1);
      expect(loaded.lastSeq).toBe(s3);
      expect(replay(loaded)).toBe("abc");
      await store.close();
    });

    it("holds reflection statements per flag, hidden until revealed, and survives reading them back", async () => {
      const store = await factory.create();
      await store.createWorkshop(sampleRecord("w1"), textUpdate("x").update);
      const statement = (id: string, flagId: string, createdAt: number) => ({
        id,
        flagId,
        orgId: "o1",
        author: "Ana",
        kind: "perspective-making" as const,
        text: `what we mean ${id}`,
        createdAt,
      });
      await store.addStatement("w1", statement("s2", "f1", 20));
      await store.addStatement("w1", statement("s1", "f1", 10));
      await store.addStatement("w1", { ...statement("s3", "f2", 5), kind: "perspective-taking", aboutOrgId: "o2" });
      expect((await store.listStatements("w1", "f1")).map((s) => s.id)).toEqual(["s1", "s2"]);
      expect((await store.listStatements("w1", "f2"))[0]).toEqual({ ...statement("s3", "f2", 5), kind: "perspective-taking", aboutOrgId: "o2" });
      expect(await store.listStatements("w2", "f1")).toEqual([]);
      await expect(store.addStatement("w1", statement("s1", "f1", 30))).rejects.toThrow();
      expect(await store.isRevealed("w1", "f1")).toBe(false);
      await store.markRevealed("w1", "f1");
      await store.markRevealed("w1", "f1");
      expect(await store.isRevealed("w1", "f1")).toBe(true);
      expect(await store.isRevealed("w1", "f2")).toBe(false);
      await store.close();
    });

    it("keeps named versions with their full state, listed oldest first", async () => {
      const store = await factory.create();
      const base = textUpdate("morning");
      await store.createWorkshop(sampleRecord("w1"), base.update);
      await store.createVersion("w1", { id: "v2", label: "Afternoon", author: "F", createdAt: 20 }, textUpdate(" afternoon", base.doc).update);
      await store.createVersion("w1", { id: "v1", label: "After morning session, 26 January", author: "F", createdAt: 10 }, Y.encodeStateAsUpdate(base.doc));
      expect((await store.listVersions("w1")).map((v) => v.label)).toEqual(["After morning session, 26 January", "Afternoon"]);
      expect(await store.listVersions("w2")).toEqual([]);
      const state = await store.getVersionState("w1", "v1");
      expect(replay({ snapshot: state, updates: [] })).toBe("morning afternoon");
      expect(await store.getVersionState("w1", "nope")).toBeNull();
      await expect(store.createVersion("w1", { id: "v1", label: "again", author: "F", createdAt: 30 }, state!)).rejects.toThrow();
      await store.close();
    });

    it("records who deleted what, in order", async () => {
      const store = await factory.create();
      await store.createWorkshop(sampleRecord("w1"), textUpdate("x").update);
      await store.appendDeletions("w1", [{ client: 1, clock: 0, len: 3, orgId: "o1", at: 5 }]);
      await store.appendDeletions("w1", [{ client: 2, clock: 7, len: 1, orgId: null, at: 6 }]);
      expect(await store.listDeletions("w1")).toEqual([
        { client: 1, clock: 0, len: 3, orgId: "o1", at: 5 },
        { client: 2, clock: 7, len: 1, orgId: null, at: 6 },
      ]);
      expect(await store.listDeletions("w2")).toEqual([]);
      await store.close();
    });

    it("compaction from what is stored keeps the document, and later appends", async () => {
      const store = await factory.create();
      const base = textUpdate("a");
      await store.createWorkshop(sampleRecord("w1"), base.update);
      await store.appendUpdates([{ docId: "w1", update: textUpdate("b", base.doc).update }]);
      await store.compactStored("w1");
      await store.compactStored("w1");
      await store.appendUpdates([{ docId: "w1", update: textUpdate("c", base.doc).update }]);
      const loaded = await store.loadDocument("w1");
      expect(loaded.snapshot).not.toBeNull();
      expect(loaded.updates).toHaveLength(1);
      expect(replay(loaded)).toBe("abc");
      await store.close();
    });

    it("a slower, older compaction never undoes a newer one", async () => {
      const store = await factory.create();
      const base = textUpdate("a");
      await store.createWorkshop(sampleRecord("w1"), base.update);
      const [s2] = await store.appendUpdates([{ docId: "w1", update: textUpdate("b", base.doc).update }]);
      const newer = Y.encodeStateAsUpdate(base.doc);
      await store.compact("w1", newer, s2!);
      await store.compact("w1", textUpdate("stale").update, s2! - 1);
      expect(replay(await store.loadDocument("w1"))).toBe("ab");
      await store.close();
    });
  });
}
