// What a relay's DATA_DIR holds, read while the relay under test is down: through a second
// relay process on a fresh port, so that clients still retrying the old port cannot add to it
// (they would otherwise resend whatever the store lost, hiding the loss).
import * as Y from "yjs";
import { connectClient } from "./client.js";
import { spawnRelay, type RelayProcess } from "./spawnRelay.js";

/** The workshop document as stored in `relay`'s DATA_DIR (the relay itself must be stopped). */
export async function readStoredDoc(relay: Pick<RelayProcess, "dataDir" | "env">, workshopId: string, token: string): Promise<Y.Doc> {
  const reader = await spawnRelay({ dataDir: relay.dataDir, env: { ...relay.env, PORT: "0" } });
  try {
    const client = await connectClient(reader, workshopId, token, { ack: false });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(client.doc));
    client.destroy();
    return doc;
  } finally {
    await reader.kill();
  }
}
