// A y-websocket client without WebsocketProvider: the same messages on the wire (sync step 1
// on open, sync step 2 in answer to the server's step 1, our awareness state, a renewal of it
// before the server's 30 s timeout), so the server sees a normal client, at a fraction of the
// provider's cost. The benchmarks open thousands of these, or need their raw bytes.
import { MESSAGE_AWARENESS, MESSAGE_SYNC } from "@crosswalk/shared";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";

/** What a raw client is and does. */
export interface RawClientOptions {
  /**
   * A document to sync (sync step 2 is applied to it, its own updates are not sent by
   * themselves: use `sendUpdate`). Without one the client answers as an empty document and
   * never decodes what it receives.
   */
  doc?: Y.Doc;
  /** Apply remote updates that arrive after the first sync to `doc` (default true). */
  applyUpdates?: boolean;
  /** The awareness state to announce (the provider always announces one). */
  awareness?: { clientId: number; state: { [key: string]: unknown } };
  /** Every message received, raw, with performance.now() at arrival. */
  onMessage?(data: Buffer, at: number): void;
}

/** A connected raw y-websocket client. */
export interface RawClient {
  ws: WebSocket;
  /** Resolves when the server's sync step 2 arrived (the provider's 'sync' event). */
  synced: Promise<void>;
  isSynced(): boolean;
  /** Close codes received (a healthy idle client has none). */
  closes: number[];
  /** Sends a document update as y-websocket does: [sync, update, bytes]. */
  sendUpdate(update: Uint8Array): void;
  /** Sends the awareness state again with the next clock, as the provider does every 15 s. */
  renewAwareness(): void;
  close(): void;
}

/** The empty document's sync step 2, sent by a client with nothing to add. */
const EMPTY_UPDATE = new Uint8Array([0, 0]);
/** The empty document's state vector. */
const EMPTY_STATE_VECTOR = new Uint8Array([0]);

function syncMessage(subtype: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, subtype);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

function awarenessMessage(clientId: number, clock: number, state: unknown): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AWARENESS);
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientId);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

/** `${serverUrl}/${room}?params`, as WebsocketProvider builds it. */
export function roomUrl(serverUrl: string, room: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  return `${serverUrl}/${room}${query ? `?${query}` : ""}`;
}

/** Opens a raw client; resolves once the socket is open (await `synced` for the first sync). */
export async function connectRaw(url: string, options: RawClientOptions = {}): Promise<RawClient> {
  const { doc, awareness, onMessage } = options;
  const applyUpdates = options.applyUpdates ?? true;
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const closes: number[] = [];
  let synced = false;
  let markSynced: () => void = () => {};
  let failSync: (error: Error) => void = () => {};
  const syncedPromise = new Promise<void>((resolve, reject) => {
    markSynced = resolve;
    failSync = reject;
  });
  // A refusal shows up through `closes` and a rejected `synced`; nobody has to await it.
  syncedPromise.catch(() => {});
  let awarenessClock = 0;

  ws.on("message", (data: Buffer) => {
    const at = performance.now();
    onMessage?.(data, at);
    if (data[0] !== MESSAGE_SYNC) return;
    if (doc) {
      if (synced && !applyUpdates) return;
      const decoder = decoding.createDecoder(data);
      decoding.readVarUint(decoder);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      const subtype = syncProtocol.readSyncMessage(decoder, encoder, doc, "remote");
      if (encoding.length(encoder) > 1) ws.send(encoding.toUint8Array(encoder));
      if (subtype === syncProtocol.messageYjsSyncStep2 && !synced) {
        synced = true;
        markSynced();
      }
      return;
    }
    // Without a document, only the sync subtype (second byte) matters.
    if (data[1] === syncProtocol.messageYjsSyncStep1) ws.send(syncMessage(syncProtocol.messageYjsSyncStep2, EMPTY_UPDATE));
    else if (data[1] === syncProtocol.messageYjsSyncStep2 && !synced) {
      synced = true;
      markSynced();
    }
  });
  ws.on("close", (code) => {
    closes.push(code);
    if (!synced) failSync(new Error(`closed with ${code} before the first sync`));
  });
  ws.on("error", () => {});

  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  ws.send(syncMessage(syncProtocol.messageYjsSyncStep1, doc ? Y.encodeStateVector(doc) : EMPTY_STATE_VECTOR));
  if (awareness) ws.send(awarenessMessage(awareness.clientId, awarenessClock, awareness.state));

  return {
    ws,
    synced: syncedPromise,
    isSynced: () => synced,
    closes,
    sendUpdate: (update) => ws.send(syncMessage(syncProtocol.messageYjsUpdate, update)),
    renewAwareness: () => {
      if (awareness && ws.readyState === WebSocket.OPEN) ws.send(awarenessMessage(awareness.clientId, ++awarenessClock, awareness.state));
    },
    close: () => ws.terminate(),
  };
}
