// A workshop's live document and its connections: the y-websocket protocol (sync step 1/2,
// update, awareness, query-awareness) over durable storage. Every update is authorized,
// applied, committed (so a crash of the relay loses none of it), and only then relayed; it is
// acknowledged as saved once the commit is also on disk (fsync) (Durability 1, 2).
import {
  authorsOf,
  Forbidden,
  MalformedMessage,
  MessageTooLarge,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  sectionIdOfField,
  StorageFailure,
  type CloseCode,
} from "@crosswalk/shared";
import * as decoding from "lib0/decoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { authorizeUpdate, type Principal } from "../hooks/authorizeUpdate.js";
import { awarenessName, checkAwareness } from "../hooks/checkAwareness.js";
import { isNoop, updateEffects, type UpdateEffects } from "../hooks/updateEffects.js";
import { Connection, type HeldUpdate, type RoomSocket } from "./Connection.js";
import { awarenessMessage, savedMessage, syncStep1Message, syncStep2Message, updateMessage } from "./messages.js";

/** Origin of changes the relay itself makes (authors records, organizations added over HTTP). */
export const RELAY_ORIGIN = Symbol("relay");
/** Origin of changes another relay committed and relayed to this one (several relays). */
export const REMOTE_ORIGIN = Symbol("remote relay");

/** What the decode guard learnt of a sync update while parsing it in its worker. */
export interface CheckedUpdate {
  /** Client id → the lowest clock of the update's structs for that client. */
  from: Map<number, number>;
}

/** Times a held update may be checked again and found still incomplete before its connection is refused. */
const MAX_HELD_RETRIES = 8;

/** The clocks the document lacks before an update starting at `from` (null: none, no gap). */
function gapNeeds(doc: Y.Doc, from: Map<number, number>): Map<number, number> | null {
  let needs: Map<number, number> | null = null;
  for (const [client, clock] of from) {
    if (clock > Y.getState(doc.store, client)) (needs ??= new Map()).set(client, clock);
  }
  return needs;
}

/** The document has reached every state a held update needs. */
function needsMet(doc: Y.Doc, needs: Map<number, number>): boolean {
  for (const [client, clock] of needs) if (Y.getState(doc.store, client) < clock) return false;
  return true;
}

/** What a room needs from the rest of the relay. */
export interface RoomDeps {
  /** Appends an update to storage; resolves with its sequence number once committed (see Store.appendUpdates). */
  persist(docId: string, update: Uint8Array): Promise<number>;
  /** Resolves once everything committed so far is on disk; absent when commits are durable already. */
  sync?(): Promise<void>;
  /** Most bytes of incomplete updates a connection may have held at once. */
  maxHeldBytes?: number;
  /** Most incomplete updates a connection may have held at once. */
  maxHeldUpdates?: number;
  /** Largest stored size of the workshop: updates that would grow it further are refused (4413). */
  maxWorkshopBytes?: number;
  /** Presence updates a connection may send a second; more are coalesced into the latest. */
  awarenessPerSecond?: number;
  /** Called when the last connection leaves. */
  onEmpty(room: Room): void;
  /** Called when storage failed and the room closed every connection; the registry drops it. */
  onBroken(room: Room, error: unknown): void;
  /** An update of this room is committed: other relays may now relay it (several relays). */
  onCommitted?(room: Room, update: Uint8Array): void;
  /** Presence of this relay's clients changed: other relays may relay it (several relays). */
  onAwareness?(room: Room, update: Uint8Array): void;
  /** Records who deleted which characters of section text (Yjs itself does not). */
  onDeletions?(room: Room, orgId: string | null, ranges: Array<{ client: number; clock: number; len: number }>): void;
  /** Reports a refused connection (for logs and metrics). */
  onRefused?(room: Room, principal: Principal, code: CloseCode, reason: string): void;
}

/** The live state of one workshop. */
export class Room {
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<Connection>();
  /** Sequence number of the last update known to be committed. */
  lastSeq: number;
  /** Updates committed since the log was last compacted. */
  updatesSinceCompaction = 0;
  /** Set when storage failed: the room takes nothing more and is dropped. */
  broken = false;
  /** Bytes stored for the workshop (snapshot and log), kept up to date as updates commit. */
  storedBytes = 0;
  /** A compaction of this room's log is running. */
  compacting = false;
  /** Open holds (HTTP operations in progress) that keep the room loaded without connections. */
  holds = 0;
  /** Updates being committed. */
  private pending = 0;
  /** Updates being committed or synced to disk. */
  private unsynced = 0;
  private retrying = false;
  /** The latest update's commit and sync, each resolving with the state vector as then stored (null: storage failed). */
  private committed: Promise<Uint8Array | null> = Promise.resolve(null);
  private synced: Promise<Uint8Array | null> = Promise.resolve(null);

  constructor(
    readonly id: string,
    readonly doc: Y.Doc,
    lastSeq: number,
    private readonly deps: RoomDeps,
  ) {
    this.lastSeq = lastSeq;
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.awareness.on("update", ({ added, updated, removed }: AwarenessChanges, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      if (origin instanceof Connection) {
        for (const id of added) origin.awarenessIds.add(id);
        for (const id of removed) origin.awarenessIds.delete(id);
      }
      const encoded = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
      const message = awarenessMessage(encoded);
      for (const conn of this.connections) conn.send(message);
      if (origin !== REMOTE_ORIGIN) this.deps.onAwareness?.(this, encoded);
    });
  }

  /** Held updates are parsed again when the document gets what they need; the bounds keep that work small. */
  private get maxHeldBytes(): number {
    return this.deps.maxHeldBytes ?? 512 * 1024;
  }

  private get maxHeldUpdates(): number {
    return this.deps.maxHeldUpdates ?? 64;
  }

  get pendingWrites(): number {
    return this.pending;
  }

  /** Adds a connection: sends our sync step 1 and everyone's presence. */
  join(socket: RoomSocket, principal: Principal, wantsAck: boolean): Connection {
    const conn = new Connection(socket, principal, wantsAck);
    this.connections.add(conn);
    conn.send(syncStep1Message(this.doc));
    const states = this.awareness.getStates();
    if (states.size > 0) conn.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
    return conn;
  }

  /** Removes a connection and its presence. */
  leave(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    conn.closed = true;
    if (conn.awarenessTimer) clearTimeout(conn.awarenessTimer);
    if (conn.awarenessIds.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], null);
    if (this.connections.size === 0) this.deps.onEmpty(this);
  }

  /**
   * Handles one message from a connection. `checked` comes with a sync update the decode guard
   * has already parsed in its worker.
   */
  receive(conn: Connection, data: Uint8Array, checked?: CheckedUpdate): void {
    if (conn.closed || this.broken) return;
    try {
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case MESSAGE_SYNC:
          this.receiveSync(conn, decoder, checked);
          break;
        case MESSAGE_AWARENESS:
          this.receiveAwareness(conn, decoding.readVarUint8Array(decoder));
          break;
        case MESSAGE_QUERY_AWARENESS:
          conn.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])));
          break;
        case MESSAGE_AUTH:
          // Clients never need to send auth messages; the token is checked at connect.
          break;
        default:
          this.refuse(conn, MalformedMessage, `unknown message type ${type}`);
          return;
      }
      if (!conn.closed && decoding.hasContent(decoder)) this.refuse(conn, MalformedMessage, "trailing bytes after the message");
    } catch (error) {
      this.refuse(conn, MalformedMessage, error instanceof Error ? error.message : String(error));
    }
  }

  private receiveSync(conn: Connection, decoder: decoding.Decoder, checked: CheckedUpdate | undefined): void {
    const subtype = decoding.readVarUint(decoder);
    if (subtype === syncProtocol.messageYjsSyncStep1) {
      const stateVector = decoding.readVarUint8Array(decoder);
      // Computed now, sent once everything applied so far is committed: nothing unstored is relayed.
      const update = Y.encodeStateAsUpdate(this.doc, stateVector);
      this.afterCommitted(() => conn.send(syncStep2Message(update)));
    } else if (subtype === syncProtocol.messageYjsSyncStep2 || subtype === syncProtocol.messageYjsUpdate) {
      this.receiveUpdate(conn, decoding.readVarUint8Array(decoder), checked);
    } else {
      this.refuse(conn, MalformedMessage, `unknown sync message ${subtype}`);
    }
  }

  private receiveUpdate(conn: Connection, received: Uint8Array, checked: CheckedUpdate | undefined): void {
    // An update whose first clocks lie beyond the document's (the guard read them in its worker)
    // is held at once, without parsing it here: a client that skips clocks costs the main thread nothing.
    const gap = checked ? gapNeeds(this.doc, checked.from) : null;
    if (gap) return this.hold(conn, { update: received, needs: gap, retries: 0 });
    const effects = this.effectsOf(conn, received);
    if (!effects) return;
    if (effects.incomplete) return this.hold(conn, { update: received, needs: effects.needs, retries: 0 });
    this.integrate(conn, received, effects);
  }

  /** What `update` would do to the document; null when it does not decode (the connection is refused). */
  private effectsOf(conn: Connection, update: Uint8Array): UpdateEffects | null {
    try {
      return updateEffects(this.doc, update);
    } catch (error) {
      this.refuse(conn, MalformedMessage, `undecodable update: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  /**
   * Holds an update that refers to content the document does not have yet: a y-websocket client
   * that reconnects sends live updates before its sync step 2 fills the gap. Held updates are kept
   * one by one (never merged, so no work grows with what is held), bounded in number and bytes,
   * and checked again only once the document has what each needs.
   */
  private hold(conn: Connection, held: HeldUpdate): void {
    if (held.needs.size === 0) return this.refuse(conn, MalformedMessage, "the update refers to content that can never arrive");
    if ((conn.held?.length ?? 0) >= this.maxHeldUpdates || conn.heldBytes + held.update.length > this.maxHeldBytes) {
      return this.refuse(conn, MalformedMessage, "too much held waiting for missing content");
    }
    (conn.held ??= []).push(held);
    conn.heldBytes += held.update.length;
  }

  /** Authorizes, applies, stores, then relays and acknowledges a complete update. */
  private integrate(conn: Connection, update: Uint8Array, effects: UpdateEffects): void {
    const verdict = authorizeUpdate(this.doc, conn.principal, effects);
    if (!verdict.ok) return this.refuse(conn, Forbidden, verdict.reason);
    if (isNoop(effects)) {
      if (conn.wantsAck) this.afterSynced((sv) => conn.send(savedMessage(sv)));
      return;
    }
    if (this.storedBytes + update.length > (this.deps.maxWorkshopBytes ?? Infinity)) {
      return this.refuse(conn, MessageTooLarge, "the workshop has reached its storage limit");
    }
    let emitted: Uint8Array[];
    try {
      emitted = this.capture(() => Y.applyUpdate(this.doc, update, conn));
    } catch (error) {
      // Decodable yet not appliable: the document may hold part of it, so drop the room and reload from storage.
      this.refuse(conn, MalformedMessage, `update could not be applied: ${error instanceof Error ? error.message : String(error)}`);
      this.fail(error);
      return;
    }
    const deleted = effects.removed.filter((r) => r.location.kind !== "gc" && r.location.kind !== "unknown" && sectionIdOfField(r.location.root) !== null);
    const { committed, synced } = this.persist(update);
    void committed.then((sv) => {
      if (sv === null) return;
      for (const u of emitted) this.broadcast(updateMessage(u), conn);
      if (deleted.length > 0) this.deps.onDeletions?.(this, conn.principal.orgId, deleted.map(({ client, clock, len }) => ({ client, clock, len })));
    });
    if (conn.wantsAck) void synced.then((sv) => sv !== null && conn.send(savedMessage(sv)));
    if (conn.principal.role !== "observer") this.recordAuthors(conn, effects.clients);
    this.retryHeld();
  }

  /**
   * The document grew: held updates whose needs are now met are checked again, oldest first, until
   * nothing more can be integrated. One still incomplete after several checks is refused, so a
   * client cannot make the relay parse the same held bytes again and again.
   */
  private retryHeld(): void {
    if (this.retrying) return;
    this.retrying = true;
    try {
      let progress = true;
      while (progress) {
        progress = false;
        for (const conn of this.connections) {
          for (const held of conn.held ? [...conn.held] : []) {
            if (this.broken) return;
            if (conn.closed || !needsMet(this.doc, held.needs)) continue;
            const effects = this.effectsOf(conn, held.update);
            if (!effects) break;
            if (effects.incomplete) {
              held.needs = effects.needs;
              if (++held.retries > MAX_HELD_RETRIES || held.needs.size === 0) {
                this.refuse(conn, MalformedMessage, "a held update stays incomplete");
                break;
              }
              continue;
            }
            const list = conn.held ?? [];
            list.splice(list.indexOf(held), 1);
            if (list.length === 0) conn.held = null;
            conn.heldBytes -= held.update.length;
            this.integrate(conn, held.update, effects);
            progress = true;
          }
        }
      }
    } finally {
      this.retrying = false;
    }
  }

  private receiveAwareness(conn: Connection, update: Uint8Array): void {
    // Cursor storms are coalesced: over the rate, only the latest update is kept and applied
    // when the connection's budget allows (presence is a state, not a log).
    const rate = this.deps.awarenessPerSecond;
    if (rate !== undefined && !conn.awarenessBudget(rate).take(1, Date.now())) {
      conn.pendingAwareness = update;
      conn.awarenessTimer ??= setTimeout(() => {
        conn.awarenessTimer = null;
        const pending = conn.pendingAwareness;
        conn.pendingAwareness = null;
        if (pending && !conn.closed) this.receiveAwareness(conn, pending);
      }, 1000 / rate);
      return;
    }
    this.applyAwareness(conn, update);
  }

  private applyAwareness(conn: Connection, update: Uint8Array): void {
    const check = checkAwareness(update, conn.principal, {
      clock: (id) => this.awareness.meta.get(id)?.clock,
      ownedByOther: (id) => [...this.connections].some((c) => c !== conn && c.awarenessIds.has(id)),
    });
    if (!check.ok) return this.refuse(conn, check.malformed ? MalformedMessage : Forbidden, check.reason);
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, conn);
    for (const entry of check.entries) {
      const name = conn.awarenessIds.has(entry.clientId) ? awarenessName(entry.state) : null;
      if (name) conn.displayName = name;
    }
  }

  /** Writes `authors` records for client ids that have none yet, so every character can be attributed. */
  private recordAuthors(conn: Connection, clients: ReadonlySet<number>): void {
    const authors = authorsOf(this.doc);
    const missing = [...clients].filter((c) => !authors.has(String(c)));
    if (missing.length === 0) return;
    this.change(() => {
      for (const c of missing) {
        authors.set(String(c), { orgId: conn.principal.orgId, name: conn.displayName ?? conn.principal.role });
      }
    });
  }

  /** Makes a change as the relay: applied, committed, then relayed to every connection. */
  change(fn: () => void): Promise<boolean> {
    const emitted = this.capture(() => this.doc.transact(fn, RELAY_ORIGIN));
    if (emitted.length === 0) return Promise.resolve(true);
    this.retryHeld();
    const update = emitted.length === 1 ? emitted[0]! : Y.mergeUpdates(emitted);
    const { committed, synced } = this.persist(update);
    void committed.then((sv) => sv !== null && this.broadcast(updateMessage(update), null));
    return synced.then((sv) => sv !== null);
  }

  /** Applies an update another relay committed, and relays it to this relay's clients. */
  applyRemote(update: Uint8Array): void {
    if (this.broken) return;
    let emitted: Uint8Array[];
    try {
      emitted = this.capture(() => Y.applyUpdate(this.doc, update, REMOTE_ORIGIN));
    } catch {
      return; // the other relay stored and authorized it; a copy that does not apply here is skipped
    }
    for (const u of emitted) this.broadcast(updateMessage(u), null);
    this.retryHeld();
  }

  /** Applies presence from another relay's clients. */
  applyRemoteAwareness(update: Uint8Array): void {
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE_ORIGIN);
    } catch {
      // presence repeats; a bad copy is dropped
    }
  }

  /** Runs fn once everything applied so far is committed, with the state vector as stored. */
  afterCommitted(fn: (stateVector: Uint8Array) => void): void {
    if (this.pending === 0) fn(Y.encodeStateVector(this.doc));
    else void this.committed.then((sv) => sv !== null && fn(sv));
  }

  /** Runs fn once everything applied so far is committed and on disk, with the state vector as stored. */
  afterSynced(fn: (stateVector: Uint8Array) => void): void {
    if (this.unsynced === 0) fn(Y.encodeStateVector(this.doc));
    else void this.synced.then((sv) => sv !== null && fn(sv));
  }

  /** Resolves once everything applied so far is committed and on disk (or storage failed). */
  async whenDurable(): Promise<void> {
    if (this.unsynced > 0) await this.synced;
  }

  private persist(update: Uint8Array): { committed: Promise<Uint8Array | null>; synced: Promise<Uint8Array | null> } {
    const stateVector = Y.encodeStateVector(this.doc);
    this.pending++;
    this.unsynced++;
    // Commits may finish out of order (a store with several at once); each waits for the ones
    // before it, so what is relayed, published and acknowledged follows the order of acceptance,
    // and the latest promise covers every update applied before it.
    const previous = this.committed;
    const committed = this.deps.persist(this.id, update).then(
      async (seq) => {
        await previous;
        this.pending--;
        this.lastSeq = Math.max(this.lastSeq, seq);
        this.updatesSinceCompaction++;
        this.storedBytes += update.length;
        if (this.broken) return null;
        this.deps.onCommitted?.(this, update);
        return stateVector;
      },
      async (error: unknown) => {
        await previous;
        this.pending--;
        this.fail(error);
        return null;
      },
    );
    const sync = this.deps.sync;
    const synced = committed
      .then((sv) =>
        sv === null || !sync
          ? sv
          : sync().then(
              () => (this.broken ? null : sv),
              (error: unknown) => {
                this.fail(error);
                return null;
              },
            ),
      )
      .finally(() => {
        this.unsynced--;
      });
    this.committed = committed;
    this.synced = synced;
    return { committed, synced };
  }

  private capture(fn: () => void): Uint8Array[] {
    const emitted: Uint8Array[] = [];
    const listener = (u: Uint8Array): void => {
      emitted.push(u);
    };
    this.doc.on("update", listener);
    try {
      fn();
    } finally {
      this.doc.off("update", listener);
    }
    return emitted;
  }

  private broadcast(message: Uint8Array, except: Connection | null): void {
    for (const conn of this.connections) if (conn !== except) conn.send(message);
  }

  private refuse(conn: Connection, code: CloseCode, reason: string): void {
    this.deps.onRefused?.(this, conn.principal, code, reason);
    conn.close(code);
    this.leave(conn);
  }

  /** Storage failed: what is in memory may not be stored, so drop it and let clients resync. */
  private fail(error: unknown): void {
    if (this.broken) return;
    this.broken = true;
    for (const conn of [...this.connections]) {
      conn.close(StorageFailure);
      this.connections.delete(conn);
    }
    this.deps.onBroken(this, error);
  }

  /** Closes every connection (shutdown). */
  closeAll(code: CloseCode): void {
    for (const conn of [...this.connections]) {
      conn.close(code);
      this.connections.delete(conn);
    }
  }
}

interface AwarenessChanges {
  added: number[];
  updated: number[];
  removed: number[];
}
