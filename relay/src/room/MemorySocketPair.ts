// Test support: a y-websocket-speaking client joined to a Room over an in-memory socket,
// with explicit flushToServer() / flushToClient(), so room tests need no timers (STYLE.md §5).
import { MESSAGE_AWARENESS, MESSAGE_SAVED, MESSAGE_SYNC } from "@crosswalk/shared";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import type { Principal } from "../hooks/authorizeUpdate.js";
import type { Connection } from "./Connection.js";
import type { Room } from "./Room.js";

/** A client of a room in the same process. */
export class MemoryClient {
  readonly doc = new Y.Doc();
  /** Messages queued from client to server. */
  readonly toServer: Uint8Array[] = [];
  /** Messages queued from server to client. */
  readonly toClient: Uint8Array[] = [];
  /** Updates received from the server, in order. */
  readonly received: Uint8Array[] = [];
  /** Saved acknowledgements received (decoded state vectors). */
  readonly acks: Map<number, number>[] = [];
  closed: { code: number; reason: string } | null = null;
  conn: Connection | null = null;

  constructor(private readonly room: Room) {
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      // Like y-websocket: edits made while disconnected travel in the next sync step 2.
      if (origin !== this && this.conn) this.toServer.push(message((e) => syncProtocol.writeUpdate(e, update)));
    });
  }

  /** Joins the room and queues the client's sync step 1, as y-websocket does on open. */
  connect(principal: Principal, wantsAck = true): this {
    this.closed = null;
    this.conn = this.room.join(
      {
        send: (bytes) => this.toClient.push(bytes),
        close: (code, reason) => {
          this.closed = { code, reason };
        },
      },
      principal,
      wantsAck,
    );
    this.toServer.push(message((e) => syncProtocol.writeSyncStep1(e, this.doc)));
    return this;
  }

  /** Leaves the room; messages still in flight either way are lost, as on a dropped socket. */
  disconnect(): void {
    if (this.conn) this.room.leave(this.conn);
    this.conn = null;
    this.toServer.length = 0;
    this.toClient.length = 0;
  }

  /** True while joined and not closed by the relay. */
  get connected(): boolean {
    return this.conn !== null && this.closed === null;
  }

  /** Queues raw bytes for the server. */
  sendRaw(bytes: Uint8Array): void {
    this.toServer.push(bytes);
  }

  /** Delivers every queued message to the room. */
  flushToServer(): void {
    for (const bytes of this.toServer.splice(0)) if (this.conn) this.room.receive(this.conn, bytes);
  }

  /** Delivers every queued message to the client, answering sync step 1 as y-websocket does. */
  flushToClient(): void {
    for (const bytes of this.toClient.splice(0)) {
      const d = decoding.createDecoder(bytes);
      const type = decoding.readVarUint(d);
      if (type === MESSAGE_SYNC) {
        const sub = decoding.readVarUint(d);
        const payload = decoding.readVarUint8Array(d);
        if (sub === syncProtocol.messageYjsSyncStep1) {
          this.toServer.push(message((e) => syncProtocol.writeSyncStep2(e, this.doc, payload)));
        } else {
          this.received.push(payload);
          Y.applyUpdate(this.doc, payload, this);
        }
      } else if (type === MESSAGE_SAVED) {
        this.acks.push(Y.decodeStateVector(decoding.readVarUint8Array(d)));
      } else if (type !== MESSAGE_AWARENESS) {
        throw new Error(`unexpected message type ${type}`);
      }
    }
  }
}

function message(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  write(e);
  return encoding.toUint8Array(e);
}
