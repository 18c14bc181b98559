// The stock y-websocket server (@y/websocket-server), with its LevelDB persistence on,
// so the comparison is between two servers that both store what they relay.
import path from "node:path";
import { freePort } from "./freePort.js";
import { spawnServer, type ServerProcess } from "./serverProcess.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SERVER = path.join(ROOT, "node_modules/@y/websocket-server/src/server.js");
const NO_LEVELDB = path.join(import.meta.dirname, "noLeveldb.mjs");
/** What a failure to load leveldown's native binary (or y-leveldb) looks like. */
const LEVELDB_FAILURE = /leveldown|leveldb|node-gyp-build|No native build|\.node\b|ERR_DLOPEN_FAILED/i;

/** How the stock server stores documents in this run. */
export type StockPersistence = { kind: "leveldb"; dir: string } | { kind: "none"; reason: string };

/** A running stock server. */
export interface StockServer {
  /** Rooms are at `${wsUrl}/<roomname>`. */
  wsUrl: string;
  persistence: StockPersistence;
  process: ServerProcess;
  stop(): Promise<void>;
}

async function spawnStock(env: Record<string, string>, nodeArgs: string[]): Promise<{ server: ServerProcess; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    try {
      const { server } = await spawnServer({
        label: "stock @y/websocket-server",
        args: [...nodeArgs, SERVER],
        cwd: ROOT,
        env: { HOST: "127.0.0.1", PORT: String(port), ...env },
        ready: /^running at '.*' on port (\d+)$/,
      });
      return { server, port };
    } catch (error) {
      // freePort() can race with another process taking the port.
      if (attempt < 3 && String(error).includes("EADDRINUSE")) continue;
      throw error;
    }
  }
}

/**
 * Starts the stock server persisting to `persistDir` (`options.env` adds variables). If
 * LevelDB cannot load, starts it without persistence instead and says why in `persistence.reason`.
 */
export async function startStockServer(persistDir: string, options: { forceNoPersistence?: boolean; env?: Record<string, string> } = {}): Promise<StockServer> {
  const extra = options.env ?? {};
  let persistence: StockPersistence;
  let started: { server: ServerProcess; port: number };
  try {
    if (options.forceNoPersistence) throw new Error("LevelDB persistence disabled by BENCH_STOCK_NO_LEVELDB=1");
    started = await spawnStock({ ...extra, YPERSISTENCE: persistDir }, []);
    if (!started.server.output().includes("Persisting documents to")) {
      await started.server.stop();
      throw new Error("the stock server started but did not report LevelDB persistence");
    }
    persistence = { kind: "leveldb", dir: persistDir };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!options.forceNoPersistence && !LEVELDB_FAILURE.test(message)) throw error;
    const reason = message.split("\n").find((l) => LEVELDB_FAILURE.test(l))?.trim() ?? message.split("\n")[0]!;
    started = await spawnStock(extra, ["--import", NO_LEVELDB]);
    persistence = { kind: "none", reason };
  }
  const { server, port } = started;
  return { wsUrl: `ws://127.0.0.1:${port}`, persistence, process: server, stop: () => server.stop() };
}
