// The two servers behind one interface, so a workload runs unchanged against either.
import { randomUUID } from "node:crypto";
import type { OurRelay, StorageCounters } from "./ourRelay.js";
import type { StockServer } from "./stockServer.js";

/** Where one room lives and how its clients authenticate. */
export interface RoomAccess {
  room: string;
  writerParams: Record<string, string>;
  readerParams: Record<string, string>;
}

/** A server a workload can run against. */
export interface Target {
  label: string;
  /** WebsocketProvider's serverUrl; rooms are `${serverUrl}/<room>`. */
  serverUrl: string;
  pid: number;
  /** Whether writers get Crosswalk's saved acknowledgement (message 100). */
  acks: boolean;
  /** Rooms start empty (the stock server) rather than with a workshop's starting document. */
  startsEmpty: boolean;
  openRooms(count: number): Promise<RoomAccess[]>;
  /** Storage commit counters, where the server exposes them. */
  storageCounters?(): Promise<StorageCounters>;
}

/** Our relay: one workshop a room; writers connect with ack=1 as the web app does. */
export function ourTarget(relay: OurRelay): Target {
  return {
    label: "ours",
    serverUrl: relay.wsUrl,
    pid: relay.process.pid,
    acks: true,
    startsEmpty: false,
    storageCounters: relay.storageCounters,
    openRooms: (count) =>
      Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const w = await relay.createWorkshop(`Bench workshop ${i}`);
          const token = Object.values(w.tokens.participants)[0];
          if (token === undefined) throw new Error("the created workshop has no participant token");
          return { room: w.id, writerParams: { token, ack: "1" }, readerParams: { token } };
        }),
      ),
  };
}

/** The stock server: any room name works and nothing authenticates. */
export function stockTarget(stock: StockServer): Target {
  const run = randomUUID().slice(0, 8);
  // Every call gets new rooms: a room name reused would bring back an earlier run's document.
  let opened = 0;
  return {
    label: "stock",
    serverUrl: stock.wsUrl,
    pid: stock.process.pid,
    acks: false,
    startsEmpty: true,
    openRooms: async (count) => Array.from({ length: count }, () => ({ room: `bench-${run}-${opened++}`, writerParams: {}, readerParams: {} })),
  };
}
