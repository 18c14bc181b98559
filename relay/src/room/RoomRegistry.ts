// The rooms in memory: one per workshop while anyone is connected, loaded from storage on
// first use and unloaded after the last client leaves, once its state is durable and
// compacted (never while a write of it is in flight: Durability 4).
import * as Y from "yjs";
import type { Store } from "../store/Store.js";
import { Room, type RoomDeps } from "./Room.js";

/** Registry settings. */
export interface RegistryOptions {
  /** Compact the update log once this many updates were appended since the last compaction. */
  compactAfterUpdates: number;
  /** How long an empty room stays loaded, so a quick reconnect does not reload it. */
  unloadDelayMs: number;
  /** Largest stored size of a workshop (see RoomDeps.maxWorkshopBytes). */
  maxWorkshopBytes?: number;
  /** Presence updates a connection may send a second. */
  awarenessPerSecond?: number;
  /** Observers of room lifecycle (logs, metrics). */
  onLoad?(id: string, millis: number): void;
  onUnload?(id: string): void;
  onBroken?(id: string, error: unknown): void;
  /** The link to other relays (several relays), or none. */
  cluster?: ClusterLink;
  /** Makes committed updates durable on disk (see RoomDeps.sync). */
  sync?(): Promise<void>;
}

/** What the registry needs of the link between relays. */
export interface ClusterLink {
  /** Starts receiving a workshop's updates from other relays (before it is loaded from storage). */
  follow(docId: string): Promise<void>;
  unfollow(docId: string): void;
  publishUpdate(docId: string, update: Uint8Array): void;
  publishAwareness(docId: string, update: Uint8Array): void;
}

type Entry = { state: "loading"; promise: Promise<Room>; remote: Uint8Array[] } | { state: "live"; room: Room; timer: NodeJS.Timeout | null } | { state: "unloading"; promise: Promise<void> };

/** Loads, holds and unloads rooms. */
export class RoomRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: Store,
    private readonly persist: RoomDeps["persist"],
    private readonly options: RegistryOptions,
    private readonly onRefused?: RoomDeps["onRefused"],
    private readonly onDeletions?: RoomDeps["onDeletions"],
  ) {}

  /** The room of a workshop, loading it if needed. The caller knows the workshop exists. */
  async acquire(id: string): Promise<Room> {
    for (;;) {
      const entry = this.entries.get(id);
      if (!entry) {
        const loading: Entry = { state: "loading", promise: this.load(id), remote: [] };
        this.entries.set(id, loading);
        try {
          const room = await loading.promise;
          // Updates other relays committed while this one read the store: the read may predate them.
          for (const update of loading.remote.splice(0)) room.applyRemote(update);
          this.entries.set(id, { state: "live", room, timer: null });
          return room;
        } catch (error) {
          this.entries.delete(id);
          throw error;
        }
      }
      if (entry.state === "loading") {
        await entry.promise;
        continue;
      }
      if (entry.state === "unloading") {
        await entry.promise;
        continue;
      }
      if (entry.timer) {
        clearTimeout(entry.timer);
        entry.timer = null;
      }
      return entry.room;
    }
  }

  /**
   * An update another relay committed (several relays): applied to the room if it is in memory,
   * kept for it while it loads (the stored state it loads may predate the update), else dropped
   * (the room will load it from storage).
   */
  applyRemote(id: string, update: Uint8Array): void {
    const entry = this.entries.get(id);
    if (entry?.state === "live") entry.room.applyRemote(update);
    else if (entry?.state === "loading") entry.remote.push(update);
  }

  /** The room of a workshop if it is in memory. */
  peek(id: string): Room | null {
    const entry = this.entries.get(id);
    return entry?.state === "live" ? entry.room : null;
  }

  /** Number of rooms in memory. */
  get size(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.state === "live") n++;
    return n;
  }

  /** Every room in memory. */
  rooms(): Room[] {
    const out: Room[] = [];
    for (const e of this.entries.values()) if (e.state === "live") out.push(e.room);
    return out;
  }

  /** Lets an acquired room unload again when nobody joined it after all. */
  releaseIfIdle(room: Room): void {
    if (room.holds === 0 && room.connections.size === 0) this.scheduleUnload(room);
  }

  /** Runs fn with the workshop's room loaded and kept loaded until fn settles. */
  async withRoom<T>(id: string, fn: (room: Room) => Promise<T> | T): Promise<T> {
    const room = await this.acquire(id);
    room.holds++;
    try {
      return await fn(room);
    } finally {
      room.holds--;
      if (room.holds === 0 && room.connections.size === 0) this.scheduleUnload(room);
    }
  }

  private async load(id: string): Promise<Room> {
    const started = performance.now();
    // Follow other relays' updates first: one committed between the read and the follow is not missed.
    await this.options.cluster?.follow(id);
    const stored = await this.store.loadDocument(id);
    const doc = new Y.Doc({ gc: true });
    doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(doc, u);
    });
    const room = new Room(id, doc, stored.lastSeq, {
      persist: async (docId, update) => {
        const seq = await this.persist(docId, update);
        if (room.updatesSinceCompaction >= this.options.compactAfterUpdates) void this.compact(room);
        return seq;
      },
      ...(this.options.sync ? { sync: this.options.sync } : {}),
      onEmpty: (r) => this.scheduleUnload(r),
      ...(this.options.cluster
        ? {
            onCommitted: (r: Room, update: Uint8Array) => this.options.cluster!.publishUpdate(r.id, update),
            onAwareness: (r: Room, update: Uint8Array) => this.options.cluster!.publishAwareness(r.id, update),
          }
        : {}),
      ...(this.options.maxWorkshopBytes !== undefined ? { maxWorkshopBytes: this.options.maxWorkshopBytes } : {}),
      ...(this.options.awarenessPerSecond !== undefined ? { awarenessPerSecond: this.options.awarenessPerSecond } : {}),
      onBroken: (r, error) => {
        this.entries.delete(r.id);
        // Following again on the next load, from then on, as for any load.
        this.options.cluster?.unfollow(r.id);
        r.doc.destroy();
        this.options.onBroken?.(r.id, error);
      },
      ...(this.onRefused ? { onRefused: this.onRefused } : {}),
      ...(this.onDeletions ? { onDeletions: this.onDeletions } : {}),
    });
    room.updatesSinceCompaction = stored.updates.length;
    room.storedBytes = (stored.snapshot?.length ?? 0) + stored.updates.reduce((n, u) => n + u.length, 0);
    if (stored.updates.length >= this.options.compactAfterUpdates) await this.compact(room);
    this.options.onLoad?.(id, performance.now() - started);
    return room;
  }

  /** Replaces the stored log by the room's merged state, once everything applied is durable. */
  async compact(room: Room): Promise<void> {
    if (room.compacting) return;
    room.compacting = true;
    try {
      await room.whenDurable();
      if (this.store.shared) {
        // Other relays append to the same log: merge what is stored, not this room's view.
        await this.store.compactStored(room.id);
        room.updatesSinceCompaction = 0;
        return;
      }
      if (room.broken || room.pendingWrites > 0) return; // more arrived meanwhile: the next commit retries
      const uptoSeq = room.lastSeq;
      const count = room.updatesSinceCompaction;
      const state = Y.encodeStateAsUpdate(room.doc);
      await this.store.compact(room.id, state, uptoSeq);
      room.updatesSinceCompaction = Math.max(0, room.updatesSinceCompaction - count);
      room.storedBytes = state.length;
    } finally {
      room.compacting = false;
    }
  }

  private scheduleUnload(room: Room): void {
    const entry = this.entries.get(room.id);
    if (entry?.state !== "live" || entry.room !== room || entry.timer) return;
    entry.timer = setTimeout(() => {
      entry.timer = null;
      void this.unload(room);
    }, this.options.unloadDelayMs);
    entry.timer.unref();
  }

  private async unload(room: Room): Promise<void> {
    const entry = this.entries.get(room.id);
    if (entry?.state !== "live" || entry.room !== room || room.connections.size > 0 || room.holds > 0) return;
    const promise = (async () => {
      try {
        await room.whenDurable();
        if (!room.broken && room.updatesSinceCompaction > 0) await this.compact(room);
      } finally {
        this.entries.delete(room.id);
        this.options.cluster?.unfollow(room.id);
        room.doc.destroy();
        this.options.onUnload?.(room.id);
      }
    })();
    this.entries.set(room.id, { state: "unloading", promise });
    await promise;
  }

  /** Catches every loaded room up from storage (after the link to other relays was interrupted). */
  async resyncAll(): Promise<void> {
    for (const room of this.rooms()) {
      const stored = await this.store.loadDocument(room.id);
      if (stored.snapshot) room.applyRemote(stored.snapshot);
      for (const u of stored.updates) room.applyRemote(u);
    }
  }

  /** Closes every connection of every room (storage or the link to other relays is down). */
  closeAllConnections(code: Parameters<Room["closeAll"]>[0]): void {
    for (const room of this.rooms()) room.closeAll(code);
  }

  /** Unloads every room (shutdown): waits for writes, compacts. */
  async unloadAll(): Promise<void> {
    for (const [, entry] of this.entries) {
      if (entry.state === "live" && entry.timer) clearTimeout(entry.timer);
    }
    await Promise.all(
      [...this.entries.values()].map(async (entry) => {
        if (entry.state === "live") {
          await entry.room.whenDurable();
          if (!entry.room.broken && entry.room.updatesSinceCompaction > 0) await this.compact(entry.room).catch(() => {});
        } else await entry.promise.catch(() => {});
      }),
    );
    this.entries.clear();
  }
}
