// Cross-relay fan-out (../shared/CONTRACT.md, "Several relays"). An update a relay accepted and
// committed to PostgreSQL is appended to the workshop's Redis Stream; every other relay holding
// the workshop reads it in order and relays it to its own clients. Streams keep messages, so a
// relay that was briefly slow misses nothing; after a Redis reconnect (a restart loses the
// streams) every relay catches up from PostgreSQL, the source of truth. Presence and revocations
// travel by pub/sub (fire and forget is fine: presence repeats, revocations are also checked
// against PostgreSQL on every connect). Messages carry an HMAC: anything else on these keys is
// not ours, and is counted and ignored.
import crypto from "node:crypto";
import { Redis } from "ioredis";

/** What the bus delivers to the relay. */
export interface BusHandlers {
  /** Another relay committed and relayed this update. */
  update(docId: string, update: Uint8Array): void;
  /** Another relay's client changed its presence. */
  awareness(docId: string, update: Uint8Array): void;
  /** A link was rotated on some relay: close older participant sockets of that organization. */
  revoke(workshopId: string, orgId: string, generation: number): void;
  /** The connection to Redis was lost and is back: messages may have been missed. */
  resync(): void;
  /** A message on our keys that is not ours (bad format or signature). */
  foreign(): void;
}

/** Options of the bus. */
export interface RedisBusOptions {
  url: string;
  /** Key prefix (tests use one per run). */
  prefix: string;
  /** HMAC key shared by the relays (CROSSWALK_SECRET). */
  secret: string;
  /** Longest a stream grows before Redis trims it (approximately). */
  streamMaxLength?: number;
}

const STREAM_BLOCK_MS = 250;

/** KEYS[1] sorted set of claims scored by expiry; ARGV: member, limit, ttl ms. 1 when claimed. */
const CLAIM_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
`;

const NO_HANDLERS: BusHandlers = { update() {}, awareness() {}, revoke() {}, resync() {}, foreign() {} };

/** Redis Streams and pub/sub between relays. */
export class RedisBus {
  readonly relayId = crypto.randomBytes(8).toString("hex");
  private readonly followed = new Map<string, string>(); // docId -> last stream id read
  private running = true;
  private wasDisconnected = false;
  private readerLoop: Promise<void> | null = null;

  private constructor(
    private readonly options: RedisBusOptions,
    private handlers: BusHandlers,
    private readonly commands: Redis,
    private readonly reader: Redis,
    private readonly subscriber: Redis,
  ) {}

  /** Connects (rejects when Redis cannot be reached) and starts reading; handlers come with setHandlers. */
  static async open(options: RedisBusOptions, handlers: BusHandlers = NO_HANDLERS): Promise<RedisBus> {
    const make = () =>
      new Redis(options.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        retryStrategy: (times) => Math.min(times * 200, 2000),
      });
    const commands = make();
    const reader = make();
    const subscriber = make();
    // Listening before connecting: ioredis prints unhandled error events, and the first error says why.
    let firstError: Error | null = null;
    for (const c of [commands, reader, subscriber]) c.on("error", (error: Error) => (firstError ??= error));
    try {
      await Promise.all([commands.connect(), reader.connect(), subscriber.connect()]);
    } catch (error) {
      for (const c of [commands, reader, subscriber]) c.disconnect();
      throw firstError ?? error;
    }
    const bus = new RedisBus(options, handlers, commands, reader, subscriber);
    bus.start();
    return bus;
  }

  private key(kind: "s" | "a", docId: string): string {
    return `${this.options.prefix}${kind}:${docId}`;
  }

  private get revokeChannel(): string {
    return `${this.options.prefix}revoke`;
  }

  private sign(...parts: Array<string | Uint8Array>): Buffer {
    const h = crypto.createHmac("sha256", this.options.secret);
    for (const p of parts) h.update(p);
    return h.digest().subarray(0, 16);
  }

  private verify(mac: Buffer | undefined, ...parts: Array<string | Uint8Array>): boolean {
    return mac !== undefined && mac.length === 16 && crypto.timingSafeEqual(mac, this.sign(...parts));
  }

  private start(): void {
    for (const client of [this.commands, this.reader, this.subscriber]) {
      client.on("error", () => {}); // reconnection is automatic; health checks report the state
      client.on("close", () => {
        this.wasDisconnected = true;
      });
      client.on("ready", () => {
        if (this.wasDisconnected && client === this.commands) {
          this.wasDisconnected = false;
          this.handlers.resync();
        }
      });
    }
    void this.subscriber.subscribe(this.revokeChannel);
    this.subscriber.on("messageBuffer", (channel: Buffer, message: Buffer) => this.onMessage(channel.toString(), message));
    this.readerLoop = this.readStreams();
  }

  private onMessage(channel: string, message: Buffer): void {
    try {
      if (channel === this.revokeChannel) {
        const { w, o, g, r, m } = JSON.parse(message.toString()) as { w: string; o: string; g: number; r: string; m: string };
        if (!this.verify(Buffer.from(m, "base64"), "revoke", w, o, String(g))) return this.handlers.foreign();
        if (r !== this.relayId) this.handlers.revoke(w, o, g);
        return;
      }
      const prefix = `${this.options.prefix}a:`;
      if (!channel.startsWith(prefix)) return;
      const docId = channel.slice(prefix.length);
      // [16-byte MAC][8-byte relay id][update]
      const mac = message.subarray(0, 16);
      const relay = message.subarray(16, 24).toString("hex");
      const update = new Uint8Array(message.subarray(24));
      if (!this.verify(mac, "a", docId, relay, update)) return this.handlers.foreign();
      if (relay !== this.relayId && this.followed.has(docId)) this.handlers.awareness(docId, update);
    } catch {
      this.handlers.foreign();
    }
  }

  private async readStreams(): Promise<void> {
    while (this.running) {
      const docs = [...this.followed.keys()];
      if (docs.length === 0 || this.reader.status !== "ready") {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      let result: Array<[Buffer, Array<[Buffer, Buffer[]]>]> | null;
      try {
        result = (await this.reader.xreadBuffer(
          "COUNT",
          500,
          "BLOCK",
          STREAM_BLOCK_MS,
          "STREAMS",
          ...docs.map((d) => this.key("s", d)),
          ...docs.map((d) => this.followed.get(d)!),
        )) as Array<[Buffer, Array<[Buffer, Buffer[]]>]> | null;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      for (const [key, entries] of result ?? []) {
        const docId = key.toString().slice(`${this.options.prefix}s:`.length);
        for (const [id, fields] of entries) {
          if (this.followed.has(docId)) this.followed.set(docId, id.toString());
          this.onStreamEntry(docId, fields);
        }
      }
    }
  }

  private onStreamEntry(docId: string, fields: Buffer[]): void {
    const map = new Map<string, Buffer>();
    for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!.toString(), fields[i + 1]!);
    const relay = map.get("r")?.toString();
    const update = map.get("u");
    if (!relay || !update || !this.verify(map.get("m"), "s", docId, relay, update)) return this.handlers.foreign();
    if (relay === this.relayId || !this.followed.has(docId)) return;
    this.handlers.update(docId, new Uint8Array(update));
  }

  /** Sets what the bus delivers to (the relay does once it is assembled). */
  setHandlers(handlers: BusHandlers): void {
    this.handlers = handlers;
  }

  /** Starts following a workshop from now on: call before loading it from storage, so nothing falls in between. */
  async follow(docId: string): Promise<void> {
    if (this.followed.has(docId)) return;
    const last = (await this.commands.xrevrange(this.key("s", docId), "+", "-", "COUNT", 1)) as Array<[string, string[]]>;
    this.followed.set(docId, last[0]?.[0] ?? "0-0");
    await this.subscriber.subscribe(this.key("a", docId));
  }

  /** Stops following a workshop (its room was unloaded). */
  unfollow(docId: string): void {
    this.followed.delete(docId);
    void this.subscriber.unsubscribe(this.key("a", docId)).catch(() => {});
  }

  /** Publishes an update this relay committed. */
  async publishUpdate(docId: string, update: Uint8Array): Promise<void> {
    const u = Buffer.from(update);
    await this.commands.xadd(this.key("s", docId), "MAXLEN", "~", String(this.options.streamMaxLength ?? 10_000), "*", "r", this.relayId, "u", u, "m", this.sign("s", docId, this.relayId, u));
  }

  /** Publishes a presence change of this relay's clients. */
  async publishAwareness(docId: string, update: Uint8Array): Promise<void> {
    const relay = Buffer.from(this.relayId, "hex");
    await this.commands.publish(this.key("a", docId), Buffer.concat([this.sign("a", docId, this.relayId, update), relay, Buffer.from(update)]));
  }

  /** Tells every relay that an organization's older links are revoked. */
  async publishRevoke(workshopId: string, orgId: string, generation: number): Promise<void> {
    const m = this.sign("revoke", workshopId, orgId, String(generation)).toString("base64");
    await this.commands.publish(this.revokeChannel, JSON.stringify({ w: workshopId, o: orgId, g: generation, r: this.relayId, m }));
  }

  /**
   * Adds `member` to the set at `key` if fewer than `limit` unexpired members are in it (one
   * atomic script, Redis's clock); the entry expires after `ttlMs` unless refreshed.
   */
  async claim(key: string, member: string, limit: number, ttlMs: number): Promise<boolean> {
    const result = await this.commands.eval(CLAIM_SCRIPT, 1, `${this.options.prefix}${key}`, member, String(limit), String(ttlMs));
    return result === 1;
  }

  /** Gives up a claim. */
  async release(key: string, member: string): Promise<void> {
    await this.commands.zrem(`${this.options.prefix}${key}`, member);
  }

  /** Pushes back the expiry of claims still held. */
  async refresh(claims: ReadonlyArray<{ key: string; member: string }>, ttlMs: number): Promise<void> {
    if (claims.length === 0) return;
    const [seconds, micros] = await this.commands.time();
    const expires = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) + ttlMs;
    const pipeline = this.commands.pipeline();
    for (const { key, member } of claims) {
      pipeline.zadd(`${this.options.prefix}${key}`, "XX", expires, member);
      pipeline.pexpire(`${this.options.prefix}${key}`, ttlMs);
    }
    await pipeline.exec();
  }

  /** Reachability, for /healthz. */
  async ping(): Promise<void> {
    await this.commands.ping();
  }

  async close(): Promise<void> {
    this.running = false;
    await this.readerLoop?.catch(() => {});
    for (const c of [this.commands, this.reader, this.subscriber]) c.disconnect();
  }
}
