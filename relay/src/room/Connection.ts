// One client's connection to a room, over the minimal socket the room knows (STYLE.md §5):
// the protocol core never sees `ws`.
import type { CloseCode } from "@crosswalk/shared";
import type { Principal } from "../hooks/authorizeUpdate.js";
import { TokenBucket } from "../hooks/rateLimit.js";

/** What a room needs of a socket. */
export interface RoomSocket {
  send(bytes: Uint8Array): void;
  close(code: number, reason: string): void;
}

/** An update a connection sent that refers to content the document does not have yet. */
export interface HeldUpdate {
  update: Uint8Array;
  /** Client id → the state the document must reach before the update is worth checking again. */
  needs: Map<number, number>;
  /** Times it was checked again and found still incomplete. */
  retries: number;
}

/** A client in a room. */
export class Connection {
  /** Awareness client ids this connection speaks for; removed when it leaves. */
  readonly awarenessIds = new Set<number>();
  /** Name from the client's awareness state, used for `authors` records the relay writes. */
  displayName: string | null = null;
  /** Updates that cannot be integrated yet, oldest first, each waiting for what completes it (null: none). */
  held: HeldUpdate[] | null = null;
  /** Bytes of `held`. */
  heldBytes = 0;
  /** The latest presence update over the rate, applied when the budget allows. */
  pendingAwareness: Uint8Array | null = null;
  awarenessTimer: ReturnType<typeof setTimeout> | null = null;
  private awarenessBucket: TokenBucket | null = null;
  closed = false;

  constructor(
    readonly socket: RoomSocket,
    readonly principal: Principal,
    /** The client asked for saved acknowledgements (`ack=1`). */
    readonly wantsAck: boolean,
  ) {}

  /** The connection's presence budget (created on first use). */
  awarenessBudget(rate: number): TokenBucket {
    this.awarenessBucket ??= new TokenBucket(rate, rate, Date.now());
    return this.awarenessBucket;
  }

  send(bytes: Uint8Array): void {
    if (!this.closed) this.socket.send(bytes);
  }

  close(code: CloseCode): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code.code, code.reason);
  }
}
