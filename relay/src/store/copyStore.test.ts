import { flagsOf } from "@crosswalk/shared";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { copyStore } from "./copyStore.js";
import { MemoryStore } from "./MemoryStore.js";
import { sampleRecord } from "./store.contract.js";
import type { HeldStatement, Store } from "./Store.js";

function statement(id: string, flagId: string): HeldStatement {
  return { id, flagId, orgId: "o1", author: "Ana", kind: "perspective-making", text: `statement ${id}`, createdAt: 1 };
}

/** A workshop with text in its log and snapshot, a flag with statements (revealed), a version and deletions. */
async function populated(): Promise<MemoryStore> {
  const store = new MemoryStore();
  const doc = new Y.Doc();
  doc.getText("t").insert(0, "first ");
  await store.createWorkshop(sampleRecord("w1"), Y.encodeStateAsUpdate(doc));
  const [seq] = await store.appendUpdates([{ docId: "w1", update: Y.encodeStateAsUpdate(doc) }]);
  await store.compact("w1", Y.encodeStateAsUpdate(doc), seq!);
  const before = Y.encodeStateVector(doc);
  doc.getText("t").insert(6, "second");
  flagsOf(doc).set("f1", { id: "f1" });
  await store.appendUpdates([{ docId: "w1", update: Y.encodeStateAsUpdate(doc, before) }]);
  await store.addStatement("w1", statement("s1", "f1"));
  await store.addStatement("w1", statement("s2", "f1"));
  await store.markRevealed("w1", "f1");
  await store.createVersion("w1", { id: "v1", label: "Morning", author: "Facilitator", createdAt: 5 }, Y.encodeStateAsUpdate(doc));
  await store.appendDeletions("w1", [
    { client: 1, clock: 0, len: 2, orgId: "o1", at: 3 },
    { client: 1, clock: 4, len: 1, orgId: null, at: 4 },
  ]);
  await store.createWorkshop({ ...sampleRecord("w2"), createdAt: 1_800_000_000_000, title: "Second" }, Y.encodeStateAsUpdate(new Y.Doc()));
  return store;
}

async function contents(store: Store, id: string) {
  const stored = await store.loadDocument(id);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return {
    record: await store.getWorkshop(id),
    text: doc.getText("t").toString(),
    statements: await store.listStatements(id, "f1"),
    revealed: await store.isRevealed(id, "f1"),
    versions: await store.listVersions(id),
    versionText: await store.getVersionState(id, "v1").then((s) => {
      if (!s) return null;
      const v = new Y.Doc();
      Y.applyUpdate(v, s);
      return v.getText("t").toString();
    }),
    deletions: await store.listDeletions(id),
  };
}

describe("copyStore", () => {
  it("copies every workshop with its document, statements, revealed flags, versions and deletions", async () => {
    const from = await populated();
    const to = new MemoryStore();
    const lines: string[] = [];
    const report = await copyStore(from, to, (l) => lines.push(l));
    expect(report).toEqual({ copied: ["w1", "w2"], skipped: [] });
    expect(await contents(to, "w1")).toEqual(await contents(from, "w1"));
    expect((await contents(to, "w1")).text).toBe("first second");
    expect(await contents(to, "w2")).toEqual(await contents(from, "w2"));
    expect(lines).toHaveLength(2);
  });

  it("run again, it leaves copied workshops alone; after an interruption it completes without writing anything twice", async () => {
    const from = await populated();
    const to = new MemoryStore();
    // As if a first run stopped after one statement, the version and one deletion of w1.
    await to.addStatement("w1", statement("s1", "f1"));
    await to.createVersion("w1", (await from.listVersions("w1"))[0]!, (await from.getVersionState("w1", "v1"))!);
    await to.appendDeletions("w1", [(await from.listDeletions("w1"))[0]!]);
    await copyStore(from, to);
    expect(await contents(to, "w1")).toEqual(await contents(from, "w1"));
    const again = await copyStore(from, to);
    expect(again).toEqual({ copied: [], skipped: ["w1", "w2"] });
    expect(await contents(to, "w1")).toEqual(await contents(from, "w1"));
  });
});
