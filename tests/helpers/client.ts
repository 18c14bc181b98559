// Real y-websocket clients from Node: the stock WebsocketProvider over `ws`, with
// Crosswalk's saved acknowledgements recorded.
import { MESSAGE_SAVED, SaveTracker } from "@crosswalk/shared";
import * as decoding from "lib0/decoding";
import { onTestFinished } from "vitest";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { RelayProcess } from "./relay.js";
import { until } from "./until.js";

/** A connected client. */
export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** State vectors of every saved acknowledgement received, newest last. */
  acks: Map<number, number>[];
  /** Close events the provider saw (code, reason). */
  closes: Array<{ code: number; reason: string }>;
  /**
   * True once the relay acknowledged everything this client wrote as durable: every update
   * message acknowledged (deletions included) and its own structs covered by the latest ack.
   */
  saved(): boolean;
  /** Waits until everything this client wrote is acknowledged as saved. */
  waitSaved(): Promise<void>;
  destroy(): void;
}

/** Options for connectClient. */
export interface ClientOptions {
  ack?: boolean;
  /** Wait for the first sync (default true). */
  waitSynced?: boolean;
  params?: Record<string, string>;
  doc?: Y.Doc;
}

/** Connects a WebsocketProvider to a workshop and (by default) waits until it is synced. */
export async function connectClient(relay: Pick<RelayProcess, "wsUrl">, workshopId: string, token: string, options: ClientOptions = {}): Promise<Client> {
  const doc = options.doc ?? new Y.Doc();
  const params: Record<string, string> = { token, ...options.params };
  if (options.ack !== false) params.ack = "1";
  const tracker = new SaveTracker();
  /** `ws`, counting the messages the relay acknowledges, as the web app does. */
  class CountingWebSocket extends WebSocket {
    override send(data: unknown, ...rest: unknown[]): void {
      tracker.sent(this, data);
      (WebSocket.prototype.send as (...args: unknown[]) => void).call(this, data, ...rest);
    }
  }
  const provider = new WebsocketProvider(relay.wsUrl, workshopId, doc, {
    WebSocketPolyfill: CountingWebSocket as unknown as typeof globalThis.WebSocket,
    params,
    disableBc: true,
    maxBackoffTime: 500,
  });
  const acks: Map<number, number>[] = [];
  const closes: Client["closes"] = [];
  provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => {
    acks.push(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
    if (provider.ws) tracker.acknowledged(provider.ws);
  };
  doc.on("update", (_update: Uint8Array, origin: unknown) => {
    // After the provider's own handler, which has just sent the change if it could.
    if (origin !== provider) tracker.localChange(provider.wsconnected && provider.ws?.readyState === WebSocket.OPEN);
  });
  provider.on("connection-close", (event) => {
    if (provider.ws) tracker.closed(provider.ws);
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  const saved = (): boolean => {
    if (options.ack !== false && !tracker.saved(provider.ws)) return false;
    const mine = Y.getState(doc.store, doc.clientID);
    if (mine === 0) return true;
    const last = acks[acks.length - 1];
    return last !== undefined && (last.get(doc.clientID) ?? 0) >= mine;
  };
  const client: Client = {
    doc,
    provider,
    acks,
    closes,
    saved,
    waitSaved: () => until(saved, "saved acknowledgement"),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
  onTestFinished(() => client.destroy());
  if (options.waitSynced !== false) await until(() => provider.synced, `client of ${workshopId} to sync`);
  return client;
}

/** A raw WebSocket to the relay, for protocol-level tests; resolves once open. */
export async function rawSocket(relay: Pick<RelayProcess, "wsUrl">, workshopId: string, query = ""): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }>; messages: Uint8Array[] }> {
  const ws = new WebSocket(`${relay.wsUrl}/${workshopId}${query}`);
  const messages: Uint8Array[] = [];
  ws.on("message", (data: Buffer) => messages.push(new Uint8Array(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  onTestFinished(() => ws.terminate());
  return { ws, closed, messages };
}
