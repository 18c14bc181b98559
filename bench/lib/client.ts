// A real y-websocket client from Node: the stock WebsocketProvider over `ws`, as the web
// app and tests/helpers/client.ts connect, optionally listening for Crosswalk's saved ack.
import { MESSAGE_SAVED } from "@crosswalk/shared";
import * as decoding from "lib0/decoding";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { until } from "./until.js";

/** A connected, synced client. */
export interface BenchClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Close codes seen after the first sync (a healthy run has none). */
  closes: number[];
  destroy(): void;
}

/** How to connect. */
export interface ConnectOptions {
  params: Record<string, string>;
  /** Called with the state vector of every saved acknowledgement (message 100). */
  onSaved?: (stateVector: Map<number, number>) => void;
}

/** Connects to `${serverUrl}/${room}` and resolves once the first sync is done. */
export async function connectClient(serverUrl: string, room: string, options: ConnectOptions): Promise<BenchClient> {
  const doc = new Y.Doc();
  // Every provider adds a process 'exit' listener; hundreds of clients are intended here.
  process.setMaxListeners(process.getMaxListeners() + 1);
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: options.params,
    disableBc: true,
    maxBackoffTime: 1_000,
  });
  const closes: number[] = [];
  provider.on("connection-close", (event) => {
    if (event) closes.push(event.code);
  });
  const onSaved = options.onSaved;
  if (onSaved) {
    provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => onSaved(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
  }
  const destroy = (): void => {
    provider.destroy();
    doc.destroy();
    process.setMaxListeners(Math.max(10, process.getMaxListeners() - 1));
  };
  try {
    // A refusal (44xx) is permanent for the provider, so fail fast instead of timing out.
    await until(() => provider.synced || closes.some((c) => c >= 4000), `client of ${room} to sync`);
  } catch (error) {
    destroy();
    throw error;
  }
  if (!provider.synced) {
    destroy();
    throw new Error(`${room}: the server refused the connection with close code ${closes.join(", ")}`);
  }
  closes.length = 0;
  return { doc, provider, closes, destroy };
}
