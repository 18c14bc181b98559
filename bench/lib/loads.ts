import type { Load } from "./workload.js";

/** 20 workshops of 10 clients, one typist each at 20 changes/s: a full retreat room. */
export const TWENTY_WORKSHOPS: Load = {
  rooms: 20,
  clientsPerRoom: 10,
  writersPerRoom: 1,
  changesPerSecond: 20,
  warmupMs: 1_000,
  durationMs: 10_000,
  drainMs: 20_000,
};
