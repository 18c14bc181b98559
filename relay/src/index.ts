// The relay as a library, for tests and benchmarks that start it in-process.
export { loadConfig, type Config } from "./config.js";
export { startRelay, type Relay, type StartOptions } from "./server.js";
export { SqliteStore, sqlitePath } from "./store/SqliteStore.js";
export { MemoryStore } from "./store/MemoryStore.js";
export type { Store, WorkshopRecord } from "./store/Store.js";
