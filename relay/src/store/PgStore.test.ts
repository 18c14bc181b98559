// The store contract against the machine's PostgreSQL (127.0.0.1:5432, database test), one
// fresh schema per store, dropped afterwards.
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { PgStore } from "./PgStore.js";
import { registerStoreContract, sampleRecord } from "./store.contract.js";

const URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schemas: string[] = [];
let n = 0;
async function fresh(): Promise<PgStore> {
  const schema = `cw_test_${process.pid}_${Date.now()}_${n++}`;
  schemas.push(schema);
  return PgStore.open({ connectionString: URL, schema, max: 4 });
}
afterAll(async () => {
  const client = new pg.Client({ connectionString: URL });
  await client.connect();
  for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await client.end();
});

registerStoreContract({ create: fresh });

describe("PgStore", () => {
  it("several relays may start (and migrate) at once", async () => {
    const schema = `cw_test_${process.pid}_${Date.now()}_concurrent`;
    schemas.push(schema);
    const stores = await Promise.all(Array.from({ length: 4 }, () => PgStore.open({ connectionString: URL, schema, max: 2 })));
    await stores[0]!.createWorkshop(sampleRecord("w1"), Y.encodeStateAsUpdate(new Y.Doc()));
    expect(await stores[3]!.getWorkshop("w1")).toEqual(sampleRecord("w1"));
    await Promise.all(stores.map((s) => s.close()));
  });

  it("compaction from storage keeps every row it did not merge, whatever its sequence number", async () => {
    const store = await fresh();
    const doc = new Y.Doc();
    const text = doc.getText("t");
    const update = (s: string) => {
      const before = Y.encodeStateVector(doc);
      text.insert(text.length, s);
      return Y.encodeStateAsUpdate(doc, before);
    };
    await store.createWorkshop(sampleRecord("w1"), update("a"));
    await store.appendUpdates([{ docId: "w1", update: update("b") }]);
    // Compactions racing appends from another relay: nothing may be lost.
    await Promise.all([store.compactStored("w1"), store.appendUpdates([{ docId: "w1", update: update("c") }]), store.compactStored("w1")]);
    await store.appendUpdates([{ docId: "w1", update: update("d") }]);
    await store.compactStored("w1");
    const loaded = await store.loadDocument("w1");
    const copy = new Y.Doc();
    if (loaded.snapshot) Y.applyUpdate(copy, loaded.snapshot);
    for (const u of loaded.updates) Y.applyUpdate(copy, u);
    expect(copy.getText("t").toString()).toBe("abcd");
    await store.close();
  });

  it("sync() returns once the server's WAL is flushed past every update appended before it", async () => {
    const store = await fresh();
    await store.createWorkshop(sampleRecord("w1"), Y.encodeStateAsUpdate(new Y.Doc()));
    const client = new pg.Client({ connectionString: URL });
    await client.connect();
    try {
      const doc = new Y.Doc();
      doc.getText("t").insert(0, "x".repeat(10_000));
      await store.appendUpdates([{ docId: "w1", update: Y.encodeStateAsUpdate(doc) }]);
      const { rows } = await client.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn");
      await store.sync();
      const flushed = await client.query<{ ok: boolean }>("SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn AS ok", [rows[0]!.lsn]);
      expect(flushed.rows[0]!.ok).toBe(true);
    } finally {
      await client.end();
      await store.close();
    }
  });

  it("an unreachable database is reported, not hung on", async () => {
    await expect(PgStore.open({ connectionString: "postgres://postgres@127.0.0.1:1/test", schema: "cw_nowhere" })).rejects.toThrow();
  });
});
