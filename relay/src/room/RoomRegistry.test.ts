import { DEFINITION_SECTION_ID, initializeWorkshop, metaOf, sectionFragment, sectionText, type Organization } from "@crosswalk/shared";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { WriteBatcher } from "../hooks/WriteBatcher.js";
import { MemoryStore } from "../store/MemoryStore.js";
import type { StoredDocument } from "../store/Store.js";
import { RoomRegistry, type ClusterLink } from "./RoomRegistry.js";

const org: Organization = { id: "district", name: "Eastside Unified", kind: "district", color: "#0072B2" };

/** A store whose document reads wait until the test opens the gate. */
class SlowLoadStore extends MemoryStore {
  private gate: (() => void) | null = null;
  reading = false;
  override async loadDocument(docId: string): Promise<StoredDocument> {
    const stored = await super.loadDocument(docId);
    this.reading = true;
    await new Promise<void>((resolve) => (this.gate = resolve));
    return stored;
  }
  open(): void {
    this.gate?.();
  }
}

/** An update another relay committed after this one read the store: text typed into the definition. */
function remoteEdit(base: Uint8Array, words: string): Uint8Array {
  const other = new Y.Doc();
  Y.applyUpdate(other, base);
  const before = Y.encodeStateVector(other);
  const p = sectionFragment(other, DEFINITION_SECTION_ID).get(0) as Y.XmlElement;
  p.insert(0, [new Y.XmlText(words)]);
  return Y.encodeStateAsUpdate(other, before);
}

describe("RoomRegistry with several relays", () => {
  it("an update another relay commits while this one loads the workshop is applied once the room is live", async () => {
    const store = new SlowLoadStore();
    const seed = new Y.Doc();
    initializeWorkshop(seed, { title: "T", template: "equity-definition", createdAt: 1, organizations: [org] });
    const base = Y.encodeStateAsUpdate(seed);
    await store.createWorkshop({ id: "w", title: "T", template: "equity-definition", createdAt: 1, schemaVersion: 1, organizations: [org], linkGenerations: {} }, base);
    const followed: string[] = [];
    const cluster: ClusterLink = {
      follow: async (id) => void followed.push(`+${id}`),
      unfollow: (id) => void followed.push(`-${id}`),
      publishUpdate: () => {},
      publishAwareness: () => {},
    };
    const batcher = new WriteBatcher(store);
    const registry = new RoomRegistry(store, (id, u) => batcher.append(id, u), { compactAfterUpdates: 1000, unloadDelayMs: 10, cluster });
    const loading = registry.acquire("w");
    while (!store.reading) await new Promise((r) => setImmediate(r));
    registry.applyRemote("w", remoteEdit(base, "typed on relay B"));
    store.open();
    const room = await loading;
    expect(followed).toEqual(["+w"]);
    expect(sectionText(room.doc, DEFINITION_SECTION_ID)).toBe("typed on relay B");
  });

  it("a room dropped after a storage failure stops following the other relays; loading it again follows anew", async () => {
    const store = new MemoryStore();
    const seed = new Y.Doc();
    initializeWorkshop(seed, { title: "T", template: "equity-definition", createdAt: 1, organizations: [org] });
    await store.createWorkshop({ id: "w", title: "T", template: "equity-definition", createdAt: 1, schemaVersion: 1, organizations: [org], linkGenerations: {} }, Y.encodeStateAsUpdate(seed));
    const followed: string[] = [];
    const cluster: ClusterLink = { follow: async (id) => void followed.push(`+${id}`), unfollow: (id) => void followed.push(`-${id}`), publishUpdate: () => {}, publishAwareness: () => {} };
    const batcher = new WriteBatcher(store);
    const registry = new RoomRegistry(store, (id, u) => batcher.append(id, u), { compactAfterUpdates: 1000, unloadDelayMs: 10, cluster });
    const room = await registry.acquire("w");
    store.failNextAppend = new Error("connection lost");
    expect(await room.change(() => metaOf(room.doc).set("note", "x"))).toBe(false);
    expect(registry.peek("w")).toBeNull();
    await registry.acquire("w");
    expect(followed).toEqual(["+w", "-w", "+w"]);
  });
});
