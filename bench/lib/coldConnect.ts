// Times a fresh client from connect to synced: the stock WebsocketProvider, as the web app
// connects. Two moments: the provider's 'sync' event (the server's sync step 2 arrived) and
// the moment the document holds everything stored. They differ on the stock server, which
// answers sync step 1 from the empty document it has while it still reads LevelDB, and sends
// the stored content afterwards as an update.
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { definitionText } from "./typingHistory.js";

/** What a fresh client saw. */
export interface ColdConnect {
  /** Connect to the provider's 'sync' event. */
  syncMs: number;
  /** Connect to the definition holding `expectedText` (null if it never did). */
  contentMs: number | null;
}

/** Connects a new provider to `${serverUrl}/${room}` and times it; gives up after `timeoutMs`. */
export async function timeColdConnect(serverUrl: string, room: string, params: Record<string, string>, expectedText: string, timeoutMs: number): Promise<ColdConnect> {
  const doc = new Y.Doc();
  const started = performance.now();
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params,
    disableBc: true,
  });
  try {
    return await new Promise<ColdConnect>((resolve) => {
      let syncMs: number | null = null;
      const done = (contentMs: number | null): void => {
        clearTimeout(timer);
        doc.off("update", check);
        resolve({ syncMs: syncMs ?? NaN, contentMs });
      };
      const check = (): void => {
        if (syncMs !== null && definitionText(doc) === expectedText) done(performance.now() - started);
      };
      const timer = setTimeout(() => done(null), timeoutMs);
      provider.on("sync", (synced: boolean) => {
        if (!synced || syncMs !== null) return;
        syncMs = performance.now() - started;
        check();
      });
      doc.on("update", check);
    });
  } finally {
    provider.destroy();
    doc.destroy();
  }
}
