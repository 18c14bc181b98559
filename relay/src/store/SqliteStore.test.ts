import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { SqliteStore, sqlitePath } from "./SqliteStore.js";
import { registerStoreContract, sampleRecord } from "./store.contract.js";

const dirs: string[] = [];
function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crosswalk-sqlite-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

registerStoreContract({ create: async () => new SqliteStore(sqlitePath(tmpDir())) });

describe("SqliteStore", () => {
  it("survives reopening the same file", async () => {
    const file = sqlitePath(tmpDir());
    const doc = new Y.Doc();
    doc.getText("t").insert(0, "kept");
    const store = new SqliteStore(file);
    await store.createWorkshop(sampleRecord("w1"), Y.encodeStateAsUpdate(doc));
    await store.close();
    const again = new SqliteStore(file);
    const loaded = await again.loadDocument("w1");
    const copy = new Y.Doc();
    for (const u of loaded.updates) Y.applyUpdate(copy, u);
    expect(copy.getText("t").toString()).toBe("kept");
    expect((await again.getWorkshop("w1"))?.title).toBe("Eastside retreat");
    await again.close();
  });

  it("runs in WAL mode (Durability 1, 2)", async () => {
    const file = sqlitePath(tmpDir());
    const store = new SqliteStore(file);
    await store.close();
    expect(fs.existsSync(file)).toBe(true);
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(file);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("update batches are committed to the WAL at once and made durable by sync(), an fsync of the WAL file off the main thread", async () => {
    const file = sqlitePath(tmpDir());
    const store = new SqliteStore(file);
    await store.createWorkshop(sampleRecord("w1"), Uint8Array.of(0, 0));
    const fsync = vi.spyOn(fs, "fsync");
    try {
      const [seq] = await store.appendUpdates([{ docId: "w1", update: Uint8Array.of(1, 2, 3) }]);
      // Committed: another connection (as after a crash of this process) reads it before any fsync.
      const { default: Database } = await import("better-sqlite3");
      const reader = new Database(file, { readonly: true });
      expect(reader.prepare("SELECT COUNT(*) AS n FROM doc_updates WHERE seq = ?").get(seq)).toEqual({ n: 1 });
      reader.close();
      expect(fsync).not.toHaveBeenCalled();
      await store.sync();
      expect(fsync).toHaveBeenCalledTimes(1);
      const fd = fsync.mock.calls[0]![0];
      expect(fs.readlinkSync(`/proc/self/fd/${fd}`)).toBe(`${fs.realpathSync(file)}-wal`);
    } finally {
      fsync.mockRestore();
      await store.close();
    }
    await expect(store.sync()).rejects.toThrow(/closed/);
  });
});
