// "Saved" means durably stored by the relay (../shared/CONTRACT.md, Durability 2), not sent.
//
// The relay acknowledges every sync step 2 and update message of an `ack=1` socket exactly once,
// when what it carries is durable (docs/PROTOCOL.md). So a connection has everything it sent
// stored when its acknowledgements have caught up with its messages. Counting messages, not
// comparing state vectors, is what makes deletions count: a deletion moves no Yjs clock.
// Changes that were not sent (made offline, loaded from IndexedDB, or sent on a socket that
// closed before acknowledging them) make the document dirty until a sync step 2 sent after
// them (it carries everything the relay lacks, deletions included) is acknowledged.

/** A state vector: client id → next clock. */
export type StateVector = Map<number, number>;

/** Raises `into` to at least `from`, client by client. */
export function mergeStateVectors(into: StateVector, from: StateVector): void {
  for (const [client, clock] of from) if ((into.get(client) ?? 0) < clock) into.set(client, clock);
}

/** True when everything in `local` is covered by `acked` or `received`. */
export function isSaved(local: StateVector, acked: StateVector, received: StateVector): boolean {
  for (const [client, clock] of local) {
    if (clock > Math.max(acked.get(client) ?? 0, received.get(client) ?? 0)) return false;
  }
  return true;
}

/** The y-websocket messages the relay acknowledges (sync step 2 and update), read from their first bytes. */
export function acknowledgedKind(message: Uint8Array): "step2" | "update" | null {
  // [messageSync = 0, step1 = 0 | step2 = 1 | update = 2, …]
  if (message.length < 2 || message[0] !== 0) return null;
  return message[1] === 1 ? "step2" : message[1] === 2 ? "update" : null;
}

interface SocketCount {
  sent: number;
  acked: number;
  /** The dirty epoch when this socket last sent a sync step 2. */
  step2Epoch: number;
  /** How many messages had been sent when it did (that step 2 included). */
  step2At: number;
}

/** Tracks whether every local change is durably stored by the relay. */
export class SaveTracker {
  private readonly sockets = new WeakMap<object, SocketCount>();
  private epoch = 0;
  /** The epoch of the latest change not known to be on its way to the relay (0: none). */
  private dirtyAt = 0;

  private count(socket: object): SocketCount {
    let c = this.sockets.get(socket);
    if (!c) this.sockets.set(socket, (c = { sent: 0, acked: 0, step2Epoch: 0, step2At: 0 }));
    return c;
  }

  /** A message went out on `socket` (what a WebSocket's send was given: anything but binary is ignored). */
  sent(socket: object, data: unknown): void {
    const message = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : null;
    if (message === null) return;
    const kind = acknowledgedKind(message);
    if (kind === null) return;
    const c = this.count(socket);
    c.sent++;
    if (kind === "step2") {
      c.step2Epoch = this.epoch;
      c.step2At = c.sent;
    }
  }

  /** The relay acknowledged one message of `socket`. */
  acknowledged(socket: object): void {
    const c = this.count(socket);
    c.acked = Math.min(c.acked + 1, c.sent);
    if (this.dirtyAt > 0 && c.step2Epoch >= this.dirtyAt && c.acked >= c.step2At) this.dirtyAt = 0;
  }

  /** The document changed locally; `sent` tells whether the change went out on an open socket. */
  localChange(sent: boolean): void {
    if (!sent) this.dirtyAt = ++this.epoch;
  }

  /** `socket` closed: whatever it sent and did not see acknowledged must be sent again. */
  closed(socket: object): void {
    const c = this.sockets.get(socket);
    if (c && c.acked < c.sent) this.dirtyAt = ++this.epoch;
  }

  /** Everything is stored, as far as this tracker knows (`socket`: the current one, if any). */
  saved(socket: object | null): boolean {
    if (this.dirtyAt > 0) return false;
    const c = socket ? this.sockets.get(socket) : undefined;
    return !c || c.acked >= c.sent;
  }
}
