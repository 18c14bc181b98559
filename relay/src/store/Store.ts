// The relay's storage, behind one interface so every backend passes one contract suite
// (store.contract.ts). Document names never become file paths (Durability 4).
import type { Organization, Template } from "@crosswalk/shared";

/** What the relay keeps about a workshop outside its Y.Doc (never sent to clients). */
export interface WorkshopRecord {
  id: string;
  title: string;
  template: Template;
  createdAt: number;
  /** Highest editor schema version that has opened the workshop (Durability 5). */
  schemaVersion: number;
  /** Organizations at creation and added later, so tokens can be checked without loading the document. */
  organizations: Organization[];
  /** Per organization, the generation of its participant link; rotating bumps it and revokes older tokens. */
  linkGenerations: Record<string, number>;
}

/** A reflection statement the relay holds back until the facilitator reveals the flag's statements. */
export interface HeldStatement {
  id: string;
  flagId: string;
  orgId: string;
  author: string;
  kind: "perspective-making" | "perspective-taking";
  aboutOrgId?: string;
  text: string;
  createdAt: number;
}

/** A named, immutable snapshot of a workshop ("After the morning session"). */
export interface VersionRecord {
  id: string;
  label: string;
  author: string;
  createdAt: number;
}

/** Who deleted a run of characters (Yjs records who inserted, not who deleted). */
export interface DeletionRecord {
  client: number;
  clock: number;
  len: number;
  orgId: string | null;
  at: number;
}

/** One document update to append. */
export interface PendingUpdate {
  docId: string;
  update: Uint8Array;
}

/** A document as stored: the compacted state (if any) and the updates appended after it. */
export interface StoredDocument {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
  /** Sequence number of the last update included (snapshot or log); 0 when empty. */
  lastSeq: number;
}

/** The relay's storage. Every method's promise resolves only once the change is durable (appendUpdates: see there). */
export interface Store {
  /** Creates a workshop and its first document state atomically; rejects if the id exists. */
  createWorkshop(record: WorkshopRecord, initialState: Uint8Array): Promise<void>;
  /** The workshop's record, or null when unknown. */
  getWorkshop(id: string): Promise<WorkshopRecord | null>;
  /** Every workshop's id, oldest first (moving a store, backups). */
  listWorkshopIds(): Promise<string[]>;
  /** Replaces a workshop's record (same id). */
  putWorkshop(record: WorkshopRecord): Promise<void>;
  /**
   * Appends updates in one transaction; resolves with their sequence numbers, in order, once
   * committed: a crash of the relay's process (SIGKILL) loses none of them. With a `sync` method,
   * they survive a crash of the machine only once a `sync()` called after this resolved has resolved.
   */
  appendUpdates(batch: readonly PendingUpdate[]): Promise<number[]>;
  /**
   * Makes every update appended so far durable on disk (fsync). Stores whose commits are durable
   * already (PostgreSQL, memory) have none. Runs off the relay's thread: other work goes on meanwhile.
   */
  sync?(): Promise<void>;
  /**
   * How many appendUpdates calls may run at once (default 1). More than one only helps a store
   * whose commits wait on the network (PostgreSQL); batches may then finish out of order.
   */
  readonly concurrentAppends?: number;
  /** Everything stored for a document. */
  loadDocument(docId: string): Promise<StoredDocument>;
  /** Replaces the snapshot and every update with seq ≤ uptoSeq by `state`; updates after uptoSeq stay. */
  compact(docId: string, state: Uint8Array, uptoSeq: number): Promise<void>;
  /**
   * Merges the snapshot with the updates stored now and deletes exactly those updates, from
   * what is stored alone (safe while other relays append to the same document).
   */
  compactStored(docId: string): Promise<void>;
  /** True when several relays share the store (compaction then works from storage). */
  readonly shared?: boolean;
  /** Holds a statement (hidden from every client). */
  addStatement(workshopId: string, statement: HeldStatement): Promise<void>;
  /** The statements held for a flag, oldest first. */
  listStatements(workshopId: string, flagId: string): Promise<HeldStatement[]>;
  /** Whether a flag's statements were revealed. */
  isRevealed(workshopId: string, flagId: string): Promise<boolean>;
  /** Marks a flag's statements revealed (statements sent later go straight into the document). */
  markRevealed(workshopId: string, flagId: string): Promise<void>;
  /** Stores a version: the workshop's full encoded state with its label. */
  createVersion(workshopId: string, version: VersionRecord, state: Uint8Array): Promise<void>;
  /** The workshop's versions, oldest first (without their states). */
  listVersions(workshopId: string): Promise<VersionRecord[]>;
  /** A version's encoded state, or null when unknown. */
  getVersionState(workshopId: string, versionId: string): Promise<Uint8Array | null>;
  /** Records who deleted which characters. */
  appendDeletions(workshopId: string, records: readonly DeletionRecord[]): Promise<void>;
  /** Every deletion recorded for a workshop, oldest first. */
  listDeletions(workshopId: string): Promise<DeletionRecord[]>;
  /** Flushes and closes. */
  close(): Promise<void>;
}
