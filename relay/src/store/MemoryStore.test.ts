import { MemoryStore } from "./MemoryStore.js";
import { registerStoreContract } from "./store.contract.js";

registerStoreContract({ create: async () => new MemoryStore() });
