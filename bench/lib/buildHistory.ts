// Fills one room of a server with a typing history (typingHistory.ts) over one y-websocket
// connection: bursts of separate updates, each burst sent at once and then waited for, so the
// server stores every update on its own but the bench does not wait on each keystroke.
import { MESSAGE_SAVED } from "@crosswalk/shared";
import * as Y from "yjs";
import { connectRaw, roomUrl, type RawClient } from "./rawClient.js";
import { seededRandom } from "./seededRandom.js";
import type { RoomAccess, Target } from "./targets.js";
import { definitionText, typeHistory, type TypingHistory } from "./typingHistory.js";
import { until } from "./until.js";
import { workshopDocument } from "./workshopDocument.js";

/** Updates sent at once before waiting for the server to answer them all. */
const BURST = 500;

/** What was written, and what a client must see once the room is loaded again. */
export interface BuiltHistory extends TypingHistory {
  expectedText: string;
  seconds: number;
}

/** The writer's connection and the server's answers to it. */
interface Writer {
  client: RawClient;
  sent: number;
  answered: number;
}

/**
 * Connects the writer with `doc` and waits for the server's first answer, to the writer's own
 * sync step 2: our relay acknowledges it (ack=1), the stock server echoes what it brought (the
 * starting document) to every connection, the writer's included.
 */
async function connectWriter(target: Target, access: RoomAccess, doc: Y.Doc): Promise<Writer> {
  const writer: Writer = { client: null as unknown as RawClient, sent: 0, answered: 0 };
  writer.client = await connectRaw(roomUrl(target.serverUrl, access.room, access.writerParams), {
    doc,
    applyUpdates: false,
    awareness: { clientId: 3_000_000, state: { user: { name: "Typist", color: "#2f6f9f" } } },
    onMessage: (data) => {
      if (target.acks ? data[0] === MESSAGE_SAVED : data[0] === 0 && data[1] === 2) writer.answered++;
    },
  });
  await writer.client.synced;
  await until(() => writer.answered >= 1 || writer.client.closes.length > 0, "the server to answer the writer's sync");
  writer.answered = 0;
  return writer;
}

/**
 * Types `targetBytes` of history into `access.room` over the writer's one connection. The server
 * answers every update once (see connectWriter); a burst is done when every update of it was
 * answered. A connection the server closes fails the build: the history would be incomplete.
 */
export async function buildHistory(target: Target, access: RoomAccess, seed: number, targetBytes: number): Promise<BuiltHistory> {
  const started = performance.now();
  const base = target.startsEmpty ? workshopDocument("Cold load") : new Y.Doc();
  const writer = await connectWriter(target, access, base);
  const dropped = (): Error => new Error(`the server closed the writer with ${writer.client.closes.join(", ")}`);
  try {
    const history = await typeHistory(
      base,
      seededRandom(seed),
      targetBytes,
      (update) => {
        writer.sent++;
        writer.client.sendUpdate(update);
      },
      async () => {
        await until(() => writer.client.closes.length > 0 || writer.answered >= writer.sent, "the server to take a burst of updates", 60_000);
        if (writer.client.closes.length > 0) throw dropped();
      },
      BURST,
    );
    if (writer.client.closes.length > 0) throw dropped();
    return { ...history, expectedText: definitionText(base), seconds: (performance.now() - started) / 1000 };
  } finally {
    writer.client.close();
    base.destroy();
  }
}
