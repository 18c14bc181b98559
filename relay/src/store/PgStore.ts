// The scale-out store: PostgreSQL, shared by every relay. Update batches commit asynchronously
// (synchronous_commit=off, on connections of their own): committed and visible to every relay at
// once, so a crash of the relay loses nothing (Durability 1: the relay may relay them), without
// waiting for the server's WAL flush. sync() then commits a small transaction synchronously,
// which flushes the WAL up to it and so every commit before it, and only then does the relay send
// "saved" (Durability 2). Every other write commits synchronously (the default).
// Migrations are versioned and run under an advisory lock, so relays may start together.
import pg from "pg";
import * as Y from "yjs";
import type { DeletionRecord, HeldStatement, PendingUpdate, Store, StoredDocument, VersionRecord, WorkshopRecord } from "./Store.js";

/** Versioned migrations; each runs once, in order, in a transaction. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE workshops (id TEXT PRIMARY KEY, created_at BIGINT NOT NULL, record JSONB NOT NULL);
   CREATE TABLE doc_updates (seq BIGSERIAL PRIMARY KEY, doc_id TEXT NOT NULL, data BYTEA NOT NULL);
   CREATE INDEX doc_updates_by_doc ON doc_updates (doc_id, seq);
   CREATE TABLE doc_snapshots (doc_id TEXT PRIMARY KEY, upto_seq BIGINT NOT NULL, data BYTEA NOT NULL);
   CREATE TABLE held_statements (workshop_id TEXT NOT NULL, flag_id TEXT NOT NULL, id TEXT NOT NULL, created_at BIGINT NOT NULL, record JSONB NOT NULL, PRIMARY KEY (workshop_id, flag_id, id));
   CREATE TABLE revealed_flags (workshop_id TEXT NOT NULL, flag_id TEXT NOT NULL, revealed_at BIGINT NOT NULL, PRIMARY KEY (workshop_id, flag_id));
   CREATE TABLE versions (workshop_id TEXT NOT NULL, id TEXT NOT NULL, label TEXT NOT NULL, author TEXT NOT NULL, created_at BIGINT NOT NULL, state BYTEA NOT NULL, PRIMARY KEY (workshop_id, id));
   CREATE TABLE deletions (seq BIGSERIAL PRIMARY KEY, workshop_id TEXT NOT NULL, client BIGINT NOT NULL, clock BIGINT NOT NULL, len BIGINT NOT NULL, org_id TEXT, at BIGINT NOT NULL);
   CREATE INDEX deletions_by_workshop ON deletions (workshop_id, seq);`,
];

/** Connections (and so commits at once) for update batches. */
const APPEND_CONNECTIONS = 4;

/** Any number; the key of the advisory lock that serializes migrations. */
const MIGRATION_LOCK = 7_312_009;

/** Options of the PostgreSQL store. */
export interface PgStoreOptions {
  connectionString: string;
  /** Schema holding the tables (created if missing); tests use one per run. */
  schema: string;
  /** Pool size. */
  max?: number;
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid schema name "${name}"`);
  return `"${name}"`;
}

/** PostgreSQL-backed Store; every relay of a deployment uses the same database. */
export class PgStore implements Store {
  /** Several relays share it: compaction must work from what is stored, under a lock. */
  readonly shared = true;
  /** Update batches commit on their own pool of this many connections, several at a time. */
  readonly concurrentAppends = APPEND_CONNECTIONS;
  private readonly pool: pg.Pool;
  /** Connections for update batches, with synchronous_commit=off. */
  private readonly appendPool: pg.Pool;

  private constructor(pool: pg.Pool, appendPool: pg.Pool) {
    this.pool = pool;
    this.appendPool = appendPool;
  }

  /** Connects, creates the schema if needed and migrates. Rejects when the database is unreachable. */
  static async open(options: PgStoreOptions): Promise<PgStore> {
    const schema = quoteIdent(options.schema);
    const open = (max: number, settings: string): pg.Pool => {
      const pool = new pg.Pool({
        connectionString: options.connectionString,
        max,
        connectionTimeoutMillis: 5000,
        // Every connection starts in the relay's schema (a startup parameter, so no query races it).
        options: `-c search_path=${schema}${settings}`,
      });
      pool.on("connect", (client) => {
        // A client losing its server while checked out (the pool only watches idle ones) must not
        // crash the relay: the query in flight rejects, and the pool discards the broken client.
        client.on("error", () => {});
      });
      // An idle client losing its server (a restart) must not crash the relay; queries report it.
      pool.on("error", () => {});
      return pool;
    };
    const pool = open(options.max ?? 10, "");
    const appendPool = open(APPEND_CONNECTIONS, " -c synchronous_commit=off");
    const store = new PgStore(pool, appendPool);
    try {
      await store.migrate(schema);
    } catch (error) {
      await Promise.all([pool.end(), appendPool.end()]).catch(() => {});
      throw error;
    }
    return store;
  }

  private async migrate(schema: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await client.query(`SET search_path TO ${schema}`);
        await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
        const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
        const done = new Set(rows.map((r) => r.version));
        for (const [i, sql] of MIGRATIONS.entries()) {
          if (done.has(i + 1)) continue;
          await client.query("BEGIN");
          try {
            await client.query(sql);
            await client.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [i + 1, Date.now()]);
            await client.query("COMMIT");
          } catch (error) {
            await client.query("ROLLBACK");
            throw error;
          }
        }
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
      }
    } finally {
      client.release();
    }
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await fn(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** Reachability, for /healthz. */
  async ping(): Promise<void> {
    await this.pool.query("SELECT 1");
  }

  async createWorkshop(record: WorkshopRecord, initialState: Uint8Array): Promise<void> {
    await this.tx(async (c) => {
      await c.query("INSERT INTO workshops (id, created_at, record) VALUES ($1, $2, $3)", [record.id, record.createdAt, JSON.stringify(record)]);
      await c.query("INSERT INTO doc_updates (doc_id, data) VALUES ($1, $2)", [record.id, Buffer.from(initialState)]);
    });
  }

  /** The latest migration applied. */
  async schemaVersion(): Promise<number> {
    const { rows } = await this.pool.query<{ v: number | null }>("SELECT max(version) AS v FROM schema_migrations");
    return rows[0]?.v ?? 0;
  }

  async listWorkshopIds(): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>("SELECT id FROM workshops ORDER BY created_at, id");
    return rows.map((r) => r.id);
  }

  async getWorkshop(id: string): Promise<WorkshopRecord | null> {
    const { rows } = await this.pool.query<{ record: WorkshopRecord }>("SELECT record FROM workshops WHERE id = $1", [id]);
    return rows[0]?.record ?? null;
  }

  async putWorkshop(record: WorkshopRecord): Promise<void> {
    const { rowCount } = await this.pool.query("UPDATE workshops SET record = $1 WHERE id = $2", [JSON.stringify(record), record.id]);
    if (rowCount !== 1) throw new Error(`unknown workshop ${record.id}`);
  }

  async appendUpdates(batch: readonly PendingUpdate[]): Promise<number[]> {
    if (batch.length === 0) return [];
    // One statement is one transaction: a single round trip, all rows or none; committed
    // without waiting for the WAL flush (see sync()).
    const { rows } = await this.appendPool.query<{ seq: string }>(
      "INSERT INTO doc_updates (doc_id, data) SELECT * FROM unnest($1::text[], $2::bytea[]) RETURNING seq",
      [batch.map((u) => u.docId), batch.map((u) => Buffer.from(u.update))],
    );
    return rows.map((r) => Number(r.seq));
  }

  async loadDocument(docId: string): Promise<StoredDocument> {
    return this.tx(async (c) => {
      const snap = await c.query<{ upto_seq: string; data: Buffer }>("SELECT upto_seq, data FROM doc_snapshots WHERE doc_id = $1", [docId]);
      // Every row still in the log: compaction deletes exactly the rows it merged, so rows
      // committed out of sequence order are never skipped.
      const rows = await c.query<{ seq: string; data: Buffer }>("SELECT seq, data FROM doc_updates WHERE doc_id = $1 ORDER BY seq", [docId]);
      const s = snap.rows[0];
      const last = rows.rows[rows.rows.length - 1];
      return {
        snapshot: s ? new Uint8Array(s.data) : null,
        updates: rows.rows.map((r) => new Uint8Array(r.data)),
        lastSeq: Math.max(last ? Number(last.seq) : 0, s ? Number(s.upto_seq) : 0),
      };
    });
  }

  async compact(docId: string, state: Uint8Array, uptoSeq: number): Promise<void> {
    await this.tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [docId]);
      const cur = await c.query<{ upto_seq: string }>("SELECT upto_seq FROM doc_snapshots WHERE doc_id = $1", [docId]);
      if (cur.rows[0] && Number(cur.rows[0].upto_seq) >= uptoSeq) return;
      await c.query(
        "INSERT INTO doc_snapshots (doc_id, upto_seq, data) VALUES ($1, $2, $3) ON CONFLICT (doc_id) DO UPDATE SET upto_seq = excluded.upto_seq, data = excluded.data",
        [docId, uptoSeq, Buffer.from(state)],
      );
      await c.query("DELETE FROM doc_updates WHERE doc_id = $1 AND seq <= $2", [docId, uptoSeq]);
    });
  }

  /**
   * Compaction that is safe while several relays append: under a per-document lock, merge the
   * snapshot with the rows visible now, then delete exactly those rows (a row committed
   * meanwhile, whatever its sequence number, stays in the log).
   */
  async compactStored(docId: string): Promise<void> {
    await this.tx(async (c) => {
      const locked = await c.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok", [docId]);
      if (!locked.rows[0]?.ok) return; // another relay is compacting this document
      const snap = await c.query<{ upto_seq: string; data: Buffer }>("SELECT upto_seq, data FROM doc_snapshots WHERE doc_id = $1", [docId]);
      const rows = await c.query<{ seq: string; data: Buffer }>("SELECT seq, data FROM doc_updates WHERE doc_id = $1 ORDER BY seq", [docId]);
      if (rows.rows.length === 0) return;
      const doc = new Y.Doc();
      doc.transact(() => {
        if (snap.rows[0]) Y.applyUpdate(doc, new Uint8Array(snap.rows[0].data));
        for (const r of rows.rows) Y.applyUpdate(doc, new Uint8Array(r.data));
      });
      const seqs = rows.rows.map((r) => r.seq);
      const upto = Math.max(...seqs.map(Number), snap.rows[0] ? Number(snap.rows[0].upto_seq) : 0);
      await c.query(
        "INSERT INTO doc_snapshots (doc_id, upto_seq, data) VALUES ($1, $2, $3) ON CONFLICT (doc_id) DO UPDATE SET upto_seq = excluded.upto_seq, data = excluded.data",
        [docId, upto, Buffer.from(Y.encodeStateAsUpdate(doc))],
      );
      await c.query("DELETE FROM doc_updates WHERE doc_id = $1 AND seq = ANY($2::bigint[])", [docId, seqs]);
      doc.destroy();
    });
  }

  async addStatement(workshopId: string, statement: HeldStatement): Promise<void> {
    await this.pool.query("INSERT INTO held_statements (workshop_id, flag_id, id, created_at, record) VALUES ($1, $2, $3, $4, $5)", [
      workshopId,
      statement.flagId,
      statement.id,
      statement.createdAt,
      JSON.stringify(statement),
    ]);
  }

  async listStatements(workshopId: string, flagId: string): Promise<HeldStatement[]> {
    const { rows } = await this.pool.query<{ record: HeldStatement }>(
      "SELECT record FROM held_statements WHERE workshop_id = $1 AND flag_id = $2 ORDER BY created_at, id",
      [workshopId, flagId],
    );
    return rows.map((r) => r.record);
  }

  async isRevealed(workshopId: string, flagId: string): Promise<boolean> {
    const { rows } = await this.pool.query("SELECT 1 FROM revealed_flags WHERE workshop_id = $1 AND flag_id = $2", [workshopId, flagId]);
    return rows.length > 0;
  }

  async markRevealed(workshopId: string, flagId: string): Promise<void> {
    await this.pool.query("INSERT INTO revealed_flags (workshop_id, flag_id, revealed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [workshopId, flagId, Date.now()]);
  }

  async createVersion(workshopId: string, version: VersionRecord, state: Uint8Array): Promise<void> {
    await this.pool.query("INSERT INTO versions (workshop_id, id, label, author, created_at, state) VALUES ($1, $2, $3, $4, $5, $6)", [
      workshopId,
      version.id,
      version.label,
      version.author,
      version.createdAt,
      Buffer.from(state),
    ]);
  }

  async listVersions(workshopId: string): Promise<VersionRecord[]> {
    const { rows } = await this.pool.query<{ id: string; label: string; author: string; created_at: string }>(
      "SELECT id, label, author, created_at FROM versions WHERE workshop_id = $1 ORDER BY created_at, id",
      [workshopId],
    );
    return rows.map((r) => ({ id: r.id, label: r.label, author: r.author, createdAt: Number(r.created_at) }));
  }

  async getVersionState(workshopId: string, versionId: string): Promise<Uint8Array | null> {
    const { rows } = await this.pool.query<{ state: Buffer }>("SELECT state FROM versions WHERE workshop_id = $1 AND id = $2", [workshopId, versionId]);
    return rows[0] ? new Uint8Array(rows[0].state) : null;
  }

  async appendDeletions(workshopId: string, records: readonly DeletionRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.pool.query(
      "INSERT INTO deletions (workshop_id, client, clock, len, org_id, at) SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[])",
      [workshopId, records.map((r) => r.client), records.map((r) => r.clock), records.map((r) => r.len), records.map((r) => r.orgId), records.map((r) => r.at)],
    );
  }

  async listDeletions(workshopId: string): Promise<DeletionRecord[]> {
    const { rows } = await this.pool.query<{ client: string; clock: string; len: string; org_id: string | null; at: string }>(
      "SELECT client, clock, len, org_id, at FROM deletions WHERE workshop_id = $1 ORDER BY seq",
      [workshopId],
    );
    return rows.map((r) => ({ client: Number(r.client), clock: Number(r.clock), len: Number(r.len), orgId: r.org_id, at: Number(r.at) }));
  }

  async sync(): Promise<void> {
    // A transaction that writes WAL (a transactional logical message: no table, any role, any
    // wal_level) commits synchronously, so its commit waits until the WAL is flushed up to it:
    // every asynchronous commit before it (on any connection, of any relay) is then on disk.
    // (A transaction that only takes an id, such as SELECT txid_current(), commits without a flush.)
    await this.pool.query("SELECT pg_logical_emit_message(true, 'crosswalk-sync', '')");
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.appendPool.end()]);
  }
}
