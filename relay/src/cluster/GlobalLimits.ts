// Connection limits across every relay (several relays): MAX_CONNECTIONS_PER_WORKSHOP and
// MAX_CONNECTIONS_PER_IP count sockets on all relays, kept in Redis as sorted sets of claims
// that expire unless their relay refreshes them, so a relay that dies frees its share within
// the claim lifetime. Message rates stay per socket, which needs nothing shared.
import crypto from "node:crypto";
import type { RedisBus } from "./RedisBus.js";

/** Whether a socket may join, and how to give its place back. */
export type Admission = { ok: true; release(): void } | { ok: false; reason: string };

/** Options of the global limits. */
export interface GlobalLimitsOptions {
  perWorkshop: number;
  perIp: number;
  /** How long a claim lives without a refresh (a dead relay's sockets count this long). */
  claimTtlMs?: number;
}

/** Global connection limits through Redis. */
export class GlobalLimits {
  private readonly held = new Map<string, { key: string; member: string }>();
  private readonly timer: NodeJS.Timeout;
  private readonly ttlMs: number;
  private next = 0;
  private readonly relay = crypto.randomBytes(6).toString("hex");

  constructor(
    private readonly bus: RedisBus,
    private readonly options: GlobalLimitsOptions,
  ) {
    this.ttlMs = options.claimTtlMs ?? 30_000;
    this.timer = setInterval(() => void this.bus.refresh([...this.held.values()], this.ttlMs).catch(() => {}), this.ttlMs / 3);
    this.timer.unref();
  }

  /** Claims a place in the workshop and for the address; rejects when Redis cannot be reached. */
  async admit(workshopId: string, ip: string): Promise<Admission> {
    const member = `${this.relay}:${this.next++}`;
    const workshopKey = `lim:w:${workshopId}`;
    const ipKey = `lim:ip:${ip}`;
    if (!(await this.bus.claim(workshopKey, member, this.options.perWorkshop, this.ttlMs))) {
      return { ok: false, reason: "too many connections to this workshop" };
    }
    let ipClaimed: boolean;
    try {
      ipClaimed = await this.bus.claim(ipKey, member, this.options.perIp, this.ttlMs);
    } catch (error) {
      await this.bus.release(workshopKey, member).catch(() => {});
      throw error;
    }
    if (!ipClaimed) {
      await this.bus.release(workshopKey, member).catch(() => {});
      return { ok: false, reason: "too many connections from this address" };
    }
    this.held.set(`${member}w`, { key: workshopKey, member });
    this.held.set(`${member}i`, { key: ipKey, member });
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.held.delete(`${member}w`);
        this.held.delete(`${member}i`);
        void this.bus.release(workshopKey, member).catch(() => {});
        void this.bus.release(ipKey, member).catch(() => {});
      },
    };
  }

  close(): void {
    clearInterval(this.timer);
  }
}
