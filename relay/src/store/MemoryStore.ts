// An in-memory Store for unit tests of the room and hooks; it passes the same contract suite.
import * as Y from "yjs";
import type { DeletionRecord, HeldStatement, PendingUpdate, Store, StoredDocument, VersionRecord, WorkshopRecord } from "./Store.js";

interface MemoryDoc {
  snapshot: Uint8Array | null;
  uptoSeq: number;
  updates: Array<{ seq: number; data: Uint8Array }>;
}

/** Store kept in memory; `failNextAppend` lets tests exercise storage failures. */
export class MemoryStore implements Store {
  private readonly workshops = new Map<string, string>();
  private readonly docs = new Map<string, MemoryDoc>();
  private seq = 0;
  private readonly statements = new Map<string, HeldStatement[]>();
  private readonly revealed = new Set<string>();
  private readonly versions = new Map<string, Array<{ record: VersionRecord; state: Uint8Array }>>();
  private readonly deletions = new Map<string, DeletionRecord[]>();
  /** When set, the next appendUpdates rejects with this error. */
  failNextAppend: Error | null = null;

  private doc(docId: string): MemoryDoc {
    let d = this.docs.get(docId);
    if (!d) {
      d = { snapshot: null, uptoSeq: 0, updates: [] };
      this.docs.set(docId, d);
    }
    return d;
  }

  async createWorkshop(record: WorkshopRecord, initialState: Uint8Array): Promise<void> {
    if (this.workshops.has(record.id)) throw new Error(`workshop ${record.id} exists`);
    this.workshops.set(record.id, JSON.stringify(record));
    this.doc(record.id).updates.push({ seq: ++this.seq, data: initialState.slice() });
  }

  async listWorkshopIds(): Promise<string[]> {
    return [...this.workshops.entries()]
      .map(([id, raw]) => ({ id, createdAt: (JSON.parse(raw) as WorkshopRecord).createdAt }))
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((w) => w.id);
  }

  async getWorkshop(id: string): Promise<WorkshopRecord | null> {
    const raw = this.workshops.get(id);
    return raw === undefined ? null : (JSON.parse(raw) as WorkshopRecord);
  }

  async putWorkshop(record: WorkshopRecord): Promise<void> {
    if (!this.workshops.has(record.id)) throw new Error(`unknown workshop ${record.id}`);
    this.workshops.set(record.id, JSON.stringify(record));
  }

  async appendUpdates(batch: readonly PendingUpdate[]): Promise<number[]> {
    if (this.failNextAppend) {
      const error = this.failNextAppend;
      this.failNextAppend = null;
      throw error;
    }
    return batch.map((u) => {
      const seq = ++this.seq;
      this.doc(u.docId).updates.push({ seq, data: u.update.slice() });
      return seq;
    });
  }

  async loadDocument(docId: string): Promise<StoredDocument> {
    const d = this.docs.get(docId);
    if (!d) return { snapshot: null, updates: [], lastSeq: 0 };
    const last = d.updates[d.updates.length - 1];
    return { snapshot: d.snapshot?.slice() ?? null, updates: d.updates.map((u) => u.data.slice()), lastSeq: last ? last.seq : d.uptoSeq };
  }

  async compact(docId: string, state: Uint8Array, uptoSeq: number): Promise<void> {
    const d = this.doc(docId);
    if (d.uptoSeq >= uptoSeq && d.snapshot) return;
    d.snapshot = state.slice();
    d.uptoSeq = uptoSeq;
    d.updates = d.updates.filter((u) => u.seq > uptoSeq);
  }

  async addStatement(workshopId: string, statement: HeldStatement): Promise<void> {
    const key = `${workshopId}|${statement.flagId}`;
    const list = this.statements.get(key) ?? [];
    if (list.some((s) => s.id === statement.id)) throw new Error(`statement ${statement.id} exists`);
    list.push(structuredClone(statement));
    this.statements.set(key, list);
  }

  async listStatements(workshopId: string, flagId: string): Promise<HeldStatement[]> {
    return [...(this.statements.get(`${workshopId}|${flagId}`) ?? [])]
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .map((s) => structuredClone(s));
  }

  async isRevealed(workshopId: string, flagId: string): Promise<boolean> {
    return this.revealed.has(`${workshopId}|${flagId}`);
  }

  async markRevealed(workshopId: string, flagId: string): Promise<void> {
    this.revealed.add(`${workshopId}|${flagId}`);
  }

  async createVersion(workshopId: string, version: VersionRecord, state: Uint8Array): Promise<void> {
    const list = this.versions.get(workshopId) ?? [];
    if (list.some((v) => v.record.id === version.id)) throw new Error(`version ${version.id} exists`);
    list.push({ record: { ...version }, state: state.slice() });
    this.versions.set(workshopId, list);
  }

  async listVersions(workshopId: string): Promise<VersionRecord[]> {
    return (this.versions.get(workshopId) ?? []).map((v) => ({ ...v.record })).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  async getVersionState(workshopId: string, versionId: string): Promise<Uint8Array | null> {
    return this.versions.get(workshopId)?.find((v) => v.record.id === versionId)?.state.slice() ?? null;
  }

  async appendDeletions(workshopId: string, records: readonly DeletionRecord[]): Promise<void> {
    this.deletions.set(workshopId, [...(this.deletions.get(workshopId) ?? []), ...records.map((r) => ({ ...r }))]);
  }

  async listDeletions(workshopId: string): Promise<DeletionRecord[]> {
    return (this.deletions.get(workshopId) ?? []).map((r) => ({ ...r }));
  }

  async compactStored(docId: string): Promise<void> {
    const stored = await this.loadDocument(docId);
    if (stored.updates.length === 0) return;
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(doc, u);
    await this.compact(docId, Y.encodeStateAsUpdate(doc), stored.lastSeq);
  }

  async close(): Promise<void> {}
}
