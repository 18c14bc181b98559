// Reading a workshop's document for an HTTP answer: the live room's when it is loaded (it
// holds everything relayed), otherwise a throwaway copy from storage (no room is created).
import * as Y from "yjs";
import type { Store } from "../store/Store.js";
import type { RoomRegistry } from "./RoomRegistry.js";

/** Runs `fn` on the workshop's current document. */
export async function readDocument<T>(registry: RoomRegistry, store: Store, id: string, fn: (doc: Y.Doc) => T | Promise<T>): Promise<T> {
  const live = registry.peek(id);
  if (live) return fn(live.doc);
  const stored = await store.loadDocument(id);
  const doc = new Y.Doc();
  doc.transact(() => {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(doc, u);
  });
  try {
    return await fn(doc);
  } finally {
    doc.destroy();
  }
}
