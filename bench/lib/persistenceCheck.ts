// Whether a server keeps what it relayed: kill it outright (SIGKILL, a crash or an OOM), start
// it again on the same storage, and read every room back with a fresh client.
import { DEFINITION_SECTION_ID, sectionText } from "@crosswalk/shared";
import { connectClient } from "./client.js";
import type { RoomAccess } from "./targets.js";
import { waitFor } from "./until.js";

/** What survived a kill. */
export interface Survival {
  rooms: number;
  /** Rooms whose text came back exactly as every client last saw it. */
  intact: number;
  /** Typed changes (markers) every client saw that were gone after the restart. */
  changesLost: number;
}

/** A server started again on the same storage. */
export interface Restarted {
  serverUrl: string;
  stop(): Promise<void>;
}

const MARKER = /\[\d+:\d+:/g;
const markers = (text: string): number => text.match(MARKER)?.length ?? 0;

/** Kills the server, restarts it and compares every room with `expected` (room -> text). */
export async function survivesKill(kill: () => Promise<void>, restart: () => Promise<Restarted>, rooms: readonly RoomAccess[], expected: ReadonlyMap<string, string>): Promise<Survival> {
  await kill();
  const server = await restart();
  const connected = await Promise.allSettled(rooms.map((r) => connectClient(server.serverUrl, r.room, { params: r.readerParams })));
  const clients = connected.flatMap((c) => (c.status === "fulfilled" ? [c.value] : []));
  try {
    const failed = connected.find((c) => c.status === "rejected");
    if (failed) throw failed.reason;
    const texts = (): string[] => clients.map((c) => sectionText(c.doc, DEFINITION_SECTION_ID));
    const intact = (): number => texts().filter((t, i) => t === expected.get(rooms[i]!.room)).length;
    // The stock server loads from LevelDB after its first sync, so the text may arrive a little later.
    await waitFor(() => intact() === rooms.length, 10_000);
    const found = texts();
    const lost = rooms.reduce((n, r, i) => n + Math.max(0, markers(expected.get(r.room) ?? "") - markers(found[i]!)), 0);
    return { rooms: rooms.length, intact: intact(), changesLost: lost };
  } finally {
    for (const c of clients) c.destroy();
    await server.stop();
  }
}

/** Adds the survival of two rounds. */
export function addSurvival(a: Survival | null, b: Survival): Survival {
  return a === null ? b : { rooms: a.rooms + b.rooms, intact: a.intact + b.intact, changesLost: a.changesLost + b.changesLost };
}
