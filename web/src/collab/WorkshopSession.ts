// One open workshop in the browser: the Y.Doc, kept in IndexedDB (offline reloads) and synced
// through the relay with the stock y-websocket provider, plus what the page shows about it:
// the connection state and whether edits are durably saved.
import {
  CLOSE_CODES,
  EDITOR_SCHEMA_VERSION,
  isSaved,
  MESSAGE_SAVED,
  mergeStateVectors,
  SaveTracker,
  setAuthor,
  type StateVector,
  type CloseCode,
  type Role,
} from "@crosswalk/shared";
import * as decoding from "lib0/decoding";
import { IndexeddbPersistence } from "y-indexeddb";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { reconnectDelay } from "./backoff.js";

/** Who is at this keyboard. */
export interface LocalUser {
  name: string;
  color: string;
  orgId: string | null;
  role: Role;
}

/** What the page shows about the session. */
export interface SessionStatus {
  /** connecting / live / offline (edits kept, will sync) / refused (the relay closed for good). */
  connection: "connecting" | "live" | "offline" | "refused";
  /** Whether every local edit is durably stored by the relay. */
  saved: boolean;
  /** Why the relay refused the connection, when it did. */
  refusal: CloseCode | null;
  /** The document was loaded from this browser's storage or the relay. */
  ready: boolean;
}

/** Options of a session. */
export interface SessionOptions {
  workshopId: string;
  token: string;
  user: LocalUser;
  /** WebSocket base URL; default: this page's origin + /ws. */
  wsBase?: string;
}

function defaultWsBase(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
}

/** A workshop opened in this tab. */
export class WorkshopSession {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly local: IndexeddbPersistence;
  private status: SessionStatus = { connection: "connecting", saved: true, refusal: null, ready: false };
  private readonly listeners = new Set<() => void>();
  private readonly acked: StateVector = new Map();
  private readonly received: StateVector = new Map();
  private readonly tracker = new SaveTracker();
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;

  constructor(private readonly options: SessionOptions) {
    const { workshopId, token, user } = options;
    // One local copy per workshop and identity, so edits made as one organization are never
    // sent later under another organization's link in the same browser.
    this.local = new IndexeddbPersistence(`crosswalk:${workshopId}:${user.role}:${user.orgId ?? "-"}`, this.doc);
    this.local.once("synced", () => this.update({ ready: true }));
    const tracker = this.tracker;
    /** The browser's WebSocket, counting the messages the relay acknowledges (see SaveTracker in @crosswalk/shared). */
    class CountingWebSocket extends WebSocket {
      override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
        tracker.sent(this, data);
        super.send(data);
      }
    }
    this.provider = new WebsocketProvider(options.wsBase ?? defaultWsBase(), workshopId, this.doc, {
      connect: false,
      WebSocketPolyfill: CountingWebSocket,
      params: { token, ack: "1", schema: String(EDITOR_SCHEMA_VERSION) },
      // Cross-tab sync would let a read-only tab hold edits it then "sends" as its own.
      disableBc: true,
      shouldReconnect: (event) => !(CLOSE_CODES.get(event.code)?.permanent ?? false),
    });
    this.provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => {
      mergeStateVectors(this.acked, Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
      // Handlers run for messages of the provider's current socket only.
      if (this.provider.ws) this.tracker.acknowledged(this.provider.ws);
      this.refreshSaved();
    };
    this.provider.on("status", ({ status }) => {
      if (status === "connected") this.update({ connection: "live" });
      else if (status === "connecting" && this.status.connection !== "offline") this.update({ connection: "connecting" });
    });
    this.provider.on("sync", (synced: boolean) => {
      if (synced) {
        this.attempt = 0;
        this.update({ ready: true });
      }
    });
    this.provider.on("connection-close", (event) => this.onClose(event));
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      // What the relay sent us is stored by it. (Not encodeStateVectorFromUpdate: it only
      // counts clients whose structs start at clock 0.)
      if (origin === this.provider) mergeStateVectors(this.received, Y.parseUpdateMeta(update).to);
      // Registered after the provider's own handler, which has just sent the change if it could.
      else this.tracker.localChange(this.provider.wsconnected && this.provider.ws?.readyState === WebSocket.OPEN);
      this.refreshSaved();
    });
    this.provider.awareness.setLocalStateField("user", user);
    if (user.role !== "observer") setAuthor(this.doc, this.doc.clientID, { orgId: user.orgId, name: user.name });
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
    if (navigator.onLine === false) this.update({ connection: "offline" });
    else this.provider.connect();
  }

  private onClose(event: CloseEvent | null): void {
    if (this.destroyed) return;
    // Emitted while provider.ws is still the closing socket.
    if (this.provider.ws) this.tracker.closed(this.provider.ws);
    this.refreshSaved();
    const code = event ? CLOSE_CODES.get(event.code) : undefined;
    if (code?.permanent) {
      this.update({ connection: "refused", refusal: code });
      return;
    }
    if (!this.provider.shouldConnect) return; // we disconnected on purpose (offline)
    this.update({ connection: "offline" });
    // Take reconnection over from the provider to add jitter (no reconnect storm after a restart).
    this.provider.shouldConnect = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.destroyed && navigator.onLine !== false) this.provider.connect();
    }, reconnectDelay(this.attempt++, Math.random()));
  }

  private readonly onOnline = (): void => {
    if (this.status.connection === "refused") return;
    this.provider.connect();
  };

  private readonly onOffline = (): void => {
    if (this.status.connection === "refused") return;
    this.provider.disconnect();
    this.update({ connection: "offline" });
  };

  private refreshSaved(): void {
    // Both must hold: every message acknowledged and nothing unsent (deletions included), and every
    // struct covered by an acknowledgement or by what the relay sent (edits from an earlier session).
    const saved = this.tracker.saved(this.provider.ws) && isSaved(Y.decodeStateVector(Y.encodeStateVector(this.doc)), this.acked, this.received);
    if (saved !== this.status.saved) this.update({ saved });
  }

  private update(patch: Partial<SessionStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const l of this.listeners) l();
  }

  /** The current status (a new object on every change, for useSyncExternalStore). */
  getStatus = (): SessionStatus => this.status;

  /** Subscribes to status changes. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Tells others which section this user is in (presence). */
  setSection(sectionId: string): void {
    this.provider.awareness.setLocalStateField("section", sectionId);
  }

  /** Updates the local user (after renaming) in presence and the authors record. */
  setUser(user: LocalUser): void {
    this.provider.awareness.setLocalStateField("user", user);
    if (user.role !== "observer") setAuthor(this.doc, this.doc.clientID, { orgId: user.orgId, name: user.name });
  }

  destroy(): void {
    this.destroyed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
    this.provider.destroy();
    void this.local.destroy();
    this.doc.destroy();
  }
}
