// The embedded store: SQLite in WAL mode. Every write but the document update log commits with
// synchronous=FULL (an fsync of the WAL in the commit). Update batches commit with
// synchronous=NORMAL: written to the WAL, so a crash of the process loses nothing (Durability 1:
// the relay may relay them), and sync() then fsyncs the WAL on libuv's thread pool before any
// "saved" acknowledgement goes out (Durability 2). The relay's thread never waits for the disk
// while it relays keystrokes; the WAL is append-only, so one fsync covers every commit before it.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import * as Y from "yjs";
import type { DeletionRecord, HeldStatement, PendingUpdate, Store, StoredDocument, VersionRecord, WorkshopRecord } from "./Store.js";

/** Versioned migrations; each runs once, in order, inside a transaction. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE workshops (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, record TEXT NOT NULL);
   CREATE TABLE doc_updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL, data BLOB NOT NULL);
   CREATE INDEX doc_updates_by_doc ON doc_updates (doc_id, seq);
   CREATE TABLE doc_snapshots (doc_id TEXT PRIMARY KEY, upto_seq INTEGER NOT NULL, data BLOB NOT NULL);`,
  `CREATE TABLE held_statements (workshop_id TEXT NOT NULL, flag_id TEXT NOT NULL, id TEXT NOT NULL, created_at INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY (workshop_id, flag_id, id));
   CREATE TABLE revealed_flags (workshop_id TEXT NOT NULL, flag_id TEXT NOT NULL, revealed_at INTEGER NOT NULL, PRIMARY KEY (workshop_id, flag_id));`,
  `CREATE TABLE versions (workshop_id TEXT NOT NULL, id TEXT NOT NULL, label TEXT NOT NULL, author TEXT NOT NULL, created_at INTEGER NOT NULL, state BLOB NOT NULL, PRIMARY KEY (workshop_id, id));
   CREATE TABLE deletions (seq INTEGER PRIMARY KEY AUTOINCREMENT, workshop_id TEXT NOT NULL, client INTEGER NOT NULL, clock INTEGER NOT NULL, len INTEGER NOT NULL, org_id TEXT, at INTEGER NOT NULL);
   CREATE INDEX deletions_by_workshop ON deletions (workshop_id, seq);`,
];

/** The SQLite file inside a data directory. */
export function sqlitePath(dataDir: string): string {
  return path.join(dataDir, "crosswalk.sqlite");
}

/** SQLite-backed Store. */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly stmts;
  private readonly walFile: string;
  /** A descriptor of the WAL file for fsync (opened on first use; fsync flushes the file, whoever wrote it). */
  private walFd: number | null = null;

  /** Opens (creating if needed) the store file and migrates it. */
  constructor(file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.walFile = `${file}-wal`;
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    this.migrate();
    this.stmts = {
      insertWorkshop: this.db.prepare("INSERT INTO workshops (id, created_at, record) VALUES (?, ?, ?)"),
      getWorkshop: this.db.prepare<[string], { record: string }>("SELECT record FROM workshops WHERE id = ?"),
      listWorkshopIds: this.db.prepare<[], { id: string }>("SELECT id FROM workshops ORDER BY created_at, id"),
      putWorkshop: this.db.prepare("UPDATE workshops SET record = ? WHERE id = ?"),
      append: this.db.prepare("INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)"),
      updates: this.db.prepare<[string, number], { seq: number; data: Buffer }>(
        "SELECT seq, data FROM doc_updates WHERE doc_id = ? AND seq > ? ORDER BY seq",
      ),
      snapshot: this.db.prepare<[string], { upto_seq: number; data: Buffer }>("SELECT upto_seq, data FROM doc_snapshots WHERE doc_id = ?"),
      putSnapshot: this.db.prepare(
        "INSERT INTO doc_snapshots (doc_id, upto_seq, data) VALUES (?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET upto_seq = excluded.upto_seq, data = excluded.data",
      ),
      deleteUpTo: this.db.prepare("DELETE FROM doc_updates WHERE doc_id = ? AND seq <= ?"),
      addStatement: this.db.prepare("INSERT INTO held_statements (workshop_id, flag_id, id, created_at, record) VALUES (?, ?, ?, ?, ?)"),
      listStatements: this.db.prepare<[string, string], { record: string }>(
        "SELECT record FROM held_statements WHERE workshop_id = ? AND flag_id = ? ORDER BY created_at, id",
      ),
      isRevealed: this.db.prepare<[string, string], { n: number }>("SELECT COUNT(*) AS n FROM revealed_flags WHERE workshop_id = ? AND flag_id = ?"),
      markRevealed: this.db.prepare("INSERT INTO revealed_flags (workshop_id, flag_id, revealed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"),
      createVersion: this.db.prepare("INSERT INTO versions (workshop_id, id, label, author, created_at, state) VALUES (?, ?, ?, ?, ?, ?)"),
      listVersions: this.db.prepare<[string], { id: string; label: string; author: string; created_at: number }>(
        "SELECT id, label, author, created_at FROM versions WHERE workshop_id = ? ORDER BY created_at, id",
      ),
      versionState: this.db.prepare<[string, string], { state: Buffer }>("SELECT state FROM versions WHERE workshop_id = ? AND id = ?"),
      addDeletion: this.db.prepare("INSERT INTO deletions (workshop_id, client, clock, len, org_id, at) VALUES (?, ?, ?, ?, ?, ?)"),
      listDeletions: this.db.prepare<[string], { client: number; clock: number; len: number; org_id: string | null; at: number }>(
        "SELECT client, clock, len, org_id, at FROM deletions WHERE workshop_id = ? ORDER BY seq",
      ),
    };
  }

  private migrate(): void {
    this.db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
    const done = new Set(this.db.prepare<[], { version: number }>("SELECT version FROM schema_migrations").all().map((r) => r.version));
    MIGRATIONS.forEach((sql, i) => {
      const version = i + 1;
      if (done.has(version)) return;
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(version, Date.now());
      }).immediate();
    });
  }

  async createWorkshop(record: WorkshopRecord, initialState: Uint8Array): Promise<void> {
    this.db.transaction(() => {
      this.stmts.insertWorkshop.run(record.id, record.createdAt, JSON.stringify(record));
      this.stmts.append.run(record.id, initialState);
    }).immediate();
  }

  async listWorkshopIds(): Promise<string[]> {
    return this.stmts.listWorkshopIds.all().map((r) => r.id);
  }

  async getWorkshop(id: string): Promise<WorkshopRecord | null> {
    const row = this.stmts.getWorkshop.get(id);
    return row ? (JSON.parse(row.record) as WorkshopRecord) : null;
  }

  async putWorkshop(record: WorkshopRecord): Promise<void> {
    const result = this.stmts.putWorkshop.run(JSON.stringify(record), record.id);
    if (result.changes !== 1) throw new Error(`unknown workshop ${record.id}`);
  }

  async appendUpdates(batch: readonly PendingUpdate[]): Promise<number[]> {
    this.db.pragma("synchronous = NORMAL");
    try {
      return this.db.transaction(() => batch.map((u) => Number(this.stmts.append.run(u.docId, u.update).lastInsertRowid))).immediate();
    } finally {
      this.db.pragma("synchronous = FULL");
    }
  }

  async sync(): Promise<void> {
    if (!this.db.open) throw new Error("the store is closed");
    // The WAL exists from the first write (the migrations) until the database closes.
    this.walFd ??= fs.openSync(this.walFile, "r");
    const fd = this.walFd;
    await new Promise<void>((resolve, reject) => fs.fsync(fd, (error) => (error ? reject(error) : resolve())));
  }

  async loadDocument(docId: string): Promise<StoredDocument> {
    return this.db.transaction(() => {
      const snap = this.stmts.snapshot.get(docId);
      const after = snap?.upto_seq ?? 0;
      const rows = this.stmts.updates.all(docId, after);
      return {
        snapshot: snap ? new Uint8Array(snap.data) : null,
        updates: rows.map((r) => new Uint8Array(r.data)),
        lastSeq: rows.length > 0 ? rows[rows.length - 1]!.seq : after,
      };
    }).deferred();
  }

  async compact(docId: string, state: Uint8Array, uptoSeq: number): Promise<void> {
    this.db.transaction(() => {
      const current = this.stmts.snapshot.get(docId);
      // A snapshot never moves backwards: a slower compaction must not undo a newer one.
      if (current && current.upto_seq >= uptoSeq) return;
      this.stmts.putSnapshot.run(docId, uptoSeq, state);
      this.stmts.deleteUpTo.run(docId, uptoSeq);
    }).immediate();
  }

  async addStatement(workshopId: string, statement: HeldStatement): Promise<void> {
    this.stmts.addStatement.run(workshopId, statement.flagId, statement.id, statement.createdAt, JSON.stringify(statement));
  }

  async listStatements(workshopId: string, flagId: string): Promise<HeldStatement[]> {
    return this.stmts.listStatements.all(workshopId, flagId).map((r) => JSON.parse(r.record) as HeldStatement);
  }

  async isRevealed(workshopId: string, flagId: string): Promise<boolean> {
    return (this.stmts.isRevealed.get(workshopId, flagId)?.n ?? 0) > 0;
  }

  async markRevealed(workshopId: string, flagId: string): Promise<void> {
    this.stmts.markRevealed.run(workshopId, flagId, Date.now());
  }

  async createVersion(workshopId: string, version: VersionRecord, state: Uint8Array): Promise<void> {
    this.stmts.createVersion.run(workshopId, version.id, version.label, version.author, version.createdAt, state);
  }

  async listVersions(workshopId: string): Promise<VersionRecord[]> {
    return this.stmts.listVersions.all(workshopId).map((r) => ({ id: r.id, label: r.label, author: r.author, createdAt: r.created_at }));
  }

  async getVersionState(workshopId: string, versionId: string): Promise<Uint8Array | null> {
    const row = this.stmts.versionState.get(workshopId, versionId);
    return row ? new Uint8Array(row.state) : null;
  }

  async appendDeletions(workshopId: string, records: readonly DeletionRecord[]): Promise<void> {
    this.db.transaction(() => {
      for (const r of records) this.stmts.addDeletion.run(workshopId, r.client, r.clock, r.len, r.orgId, r.at);
    })();
  }

  async listDeletions(workshopId: string): Promise<DeletionRecord[]> {
    return this.stmts.listDeletions.all(workshopId).map((r) => ({ client: r.client, clock: r.clock, len: r.len, orgId: r.org_id, at: r.at }));
  }

  async compactStored(docId: string): Promise<void> {
    const stored = await this.loadDocument(docId);
    if (stored.updates.length === 0) return;
    const doc = new Y.Doc();
    doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(doc, u);
    });
    // One process writes this file, so "everything up to the last sequence number" is what was read.
    await this.compact(docId, Y.encodeStateAsUpdate(doc), stored.lastSeq);
    doc.destroy();
  }

  async close(): Promise<void> {
    if (this.walFd !== null) {
      fs.closeSync(this.walFd);
      this.walFd = null;
    }
    if (this.db.open) this.db.close();
  }
}
