// Hostile input (hardening issue): malformed, truncated, oversize and crafted WebSocket frames,
// and hostile HTTP requests. Each offending socket closes with the contract's code
// (../shared/CONTRACT.md, "WebSocket"), the relay stays up, other workshops are untouched byte
// for byte and keep relaying promptly, and nothing outside DATA_DIR is ever read or written.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import {
  annotationsOf,
  anchorForQuote,
  authorsOf,
  consentOf,
  DEFINITION_SECTION_ID,
  organizationsOf,
  sectionsOf,
  sectionText,
  type CreateWorkshopResponse,
} from "@crosswalk/shared";
import * as encoding from "lib0/encoding";
import { describe, expect, it, onTestFinished } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { connectClient, type Client } from "../helpers/client.js";
import { definitionText } from "../helpers/definitionText.js";
import { describeFanout, fanoutProbe, healthPoller, sendFrames, type Closed, type FanoutResult } from "../helpers/probes.js";
import { createWorkshop, startRelay, type RelayProcess } from "../helpers/relay.js";
import { tmpDir } from "../helpers/tmpDir.js";
import { until } from "../helpers/until.js";

const MAX_MESSAGE_BYTES = 65_536;
/** The published V1 buffer from yjs' own limits tests that once looped Y.mergeUpdates (yjs#687). */
const YJS_687 = new Uint8Array([228, 156, 16, 0, 5, 255, 255, 5, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 237, 0, 0, 0, 1, 1, 0, 254, 184, 194, 233, 173, 135, 217, 18, 0, 0, 1, 1, 255, 237, 246]);

const randomInt = (n: number) => Math.floor(Math.random() * n);
const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => randomInt(256));

function message(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}
/** [sync, subtype (0 step 1, 1 step 2, 2 update), varUint8Array(payload)] */
const syncMessage = (subtype: number, payload: Uint8Array) =>
  message((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, subtype);
    encoding.writeVarUint8Array(e, payload);
  });
const updateMessage = (update: Uint8Array) => syncMessage(2, update);
/** [awareness, varUint8Array([count, (clientId, clock, json)*])] */
const awarenessMessage = (entries: Array<[number, number, string]>, count = entries.length) =>
  message((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(
      e,
      message((a) => {
        encoding.writeVarUint(a, count);
        for (const [id, clock, json] of entries) {
          encoding.writeVarUint(a, id);
          encoding.writeVarUint(a, clock);
          encoding.writeVarString(a, json);
        }
      }),
    );
  });

/** An update that skips clocks of a client, so the relay holds it for the update that completes it. */
function heldUpdate(): Uint8Array {
  const gap = new Y.Doc();
  gap.clientID = 77;
  gap.getText("t").insert(0, "abc");
  const afterFirst = Y.encodeStateVector(gap);
  gap.getText("t").insert(3, "def");
  return Y.diffUpdate(Y.encodeStateAsUpdate(gap), afterFirst);
}

/** Everything a fresh client reads of a workshop: state vector, full state, section texts, records. */
async function snapshot(relay: RelayProcess, w: CreateWorkshopResponse) {
  const c = await connectClient(relay, w.id, w.tokens.observer, { ack: false });
  const sections = sectionsOf(c.doc).toArray() as Array<{ id: string }>;
  const shot = {
    stateVector: Buffer.from(Y.encodeStateVector(c.doc)).toString("hex"),
    state: Buffer.from(Y.encodeStateAsUpdate(c.doc)).toString("hex"),
    texts: Object.fromEntries(sections.map((s) => [s.id, sectionText(c.doc, s.id)])),
    records: JSON.stringify([annotationsOf(c.doc).toJSON(), consentOf(c.doc).toJSON(), authorsOf(c.doc).toJSON(), organizationsOf(c.doc).toJSON()]),
  };
  c.destroy();
  return shot;
}

/** A workshop with some text and an annotation in it, written by a participant who then leaves. */
async function workshopWithContent(relay: RelayProcess, words: string) {
  const w = await createWorkshop(relay);
  const org = w.organizations[0]!;
  const c = await connectClient(relay, w.id, w.tokens.participants[org.id]!);
  definitionText(c.doc, true).insert(0, words);
  const anchor = anchorForQuote(c.doc, DEFINITION_SECTION_ID, words.split(" ")[1]!)!;
  annotationsOf(c.doc).set("a1", { id: "a1", sectionId: DEFINITION_SECTION_ID, orgId: org.id, author: "Dana", stance: "concern", dimensions: [], body: "why?", anchor, quote: words.split(" ")[1]!, createdAt: 1 });
  await c.waitSaved();
  c.destroy();
  return w;
}

/** Measures the bystander pair's fan-out for ~60 edits with nothing else going on. */
async function baselineFanout(writer: Client, reader: Client): Promise<FanoutResult> {
  const probe = fanoutProbe(writer, reader);
  await until(() => probe.arrived() >= 60, "a baseline of 60 relayed edits");
  return probe.stop();
}

/**
 * The target: bystander fan-out p99 < 250 ms under attack. It is checked as "the attack
 * adds less than 250 ms to the p99 measured just before it", since this 2-core machine is often
 * shared (a loaded machine is slow without any attack; on an idle one the baseline is ~10 ms).
 * Writer and reader run in this test process next to the attack: what this process itself
 * stalled is not the relay's doing and is taken off too (see FanoutResult.ownStallMs).
 */
function expectPromptFanout(fanout: FanoutResult, baseline: FanoutResult, when: string): void {
  expect(fanout.p99 - fanout.ownStallMs, `bystander fan-out p99 ${when}, less this process's own stall (ms), vs ${baseline.p99.toFixed(0)} ms before`).toBeLessThan(baseline.p99 + 250);
}

type Attack = { name: string; query: string; workshop: string; frames: Array<Uint8Array | string>; expected: number };

describe("Hostile input over WebSocket", () => {
  it("4400, 4413, 4401, 4404: 2,000 malformed frames across 10 sockets and one 50 MB frame; the relay stays up, other workshops are untouched and keep relaying promptly", async () => {
    const relay = await startRelay({ env: { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) } });
    const attacked = await workshopWithContent(relay, "Equity means naming the practices that sustain disparities.");
    const frozen = await workshopWithContent(relay, "A bystander workshop nobody touches during the attack.");
    const live = await createWorkshop(relay);
    const [orgA, orgB] = live.organizations;
    const writer = await connectClient(relay, live.id, live.tokens.participants[orgA!.id]!);
    const reader = await connectClient(relay, live.id, live.tokens.participants[orgB!.id]!);
    const attackedBefore = await snapshot(relay, attacked);
    const frozenBefore = await snapshot(relay, frozen);
    const token = attacked.tokens.participants[attacked.organizations[0]!.id]!;

    // A realistic update to truncate: an edit of the attacked workshop's definition.
    const scratch = new Y.Doc();
    const source = await connectClient(relay, attacked.id, attacked.tokens.observer, { ack: false });
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(source.doc));
    source.destroy();
    const svBefore = Y.encodeStateVector(scratch);
    definitionText(scratch).insert(0, "an edit that will arrive cut short ");
    const validUpdate = updateMessage(Y.encodeStateAsUpdate(scratch, svBefore));
    const validStep1 = syncMessage(0, Y.encodeStateVector(scratch));
    const held = updateMessage(heldUpdate());
    const huge = [2 ** 31, 2 ** 32 + 7, 2 ** 40, Number.MAX_SAFE_INTEGER];

    const q = `?token=${token}`;
    const kinds: Array<(n: number) => Attack> = [
      () => ({ name: "random bytes", query: q, workshop: attacked.id, frames: [Uint8Array.of(4 + randomInt(124), ...randomBytes(randomInt(40)))], expected: 4400 }),
      () => ({ name: "truncated sync update", query: q, workshop: attacked.id, frames: [validUpdate.slice(0, 1 + randomInt(validUpdate.length - 1))], expected: 4400 }),
      () => ({ name: "truncated sync step 1", query: q, workshop: attacked.id, frames: [validStep1.slice(0, 1 + randomInt(validStep1.length - 1))], expected: 4400 }),
      () => ({
        name: "sync update with a huge declared length",
        query: q,
        workshop: attacked.id,
        frames: [
          message((e) => {
            encoding.writeVarUint(e, 0);
            encoding.writeVarUint(e, 2);
            encoding.writeVarUint(e, huge[randomInt(huge.length)]!); // the declared length; 8 bytes follow
            encoding.writeUint8Array(e, randomBytes(8));
          }),
        ],
        expected: 4400,
      }),
      () => ({ name: "length that overflows a varint", query: q, workshop: attacked.id, frames: [Uint8Array.of(0, 2, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1, 0)], expected: 4400 }),
      () => ({ name: "undecodable update", query: q, workshop: attacked.id, frames: [updateMessage(Uint8Array.of(255, ...randomBytes(16)))], expected: 4400 }),
      () => ({ name: "sync update just over MAX_MESSAGE_BYTES", query: q, workshop: attacked.id, frames: [updateMessage(randomBytes(MAX_MESSAGE_BYTES - 4 + randomInt(64)))], expected: 4413 }),
      () => ({ name: "huge awareness state", query: q, workshop: attacked.id, frames: [awarenessMessage([[4242, 1, JSON.stringify({ user: { name: "x".repeat(MAX_MESSAGE_BYTES) } })]])], expected: 4413 }),
      () => ({ name: "awareness with a million entries declared", query: q, workshop: attacked.id, frames: [awarenessMessage([[4243, 1, "{}"]], 1_000_000)], expected: 4400 }),
      () => ({ name: "awareness state that is not an object", query: q, workshop: attacked.id, frames: [awarenessMessage([[4244, 1, "[1,2,3]"]])], expected: 4400 }),
      () => ({ name: "awareness state that is not JSON", query: q, workshop: attacked.id, frames: [awarenessMessage([[4245, 1, "{\"user\":"]])], expected: 4400 }),
      () => ({ name: "text frame", query: q, workshop: attacked.id, frames: ["hello relay"], expected: 4400 }),
      () => ({ name: "held update, then the yjs#687 buffer", query: q, workshop: attacked.id, frames: [held, updateMessage(YJS_687)], expected: 4400 }),
      () => ({ name: "no token", query: "", workshop: attacked.id, frames: [validUpdate], expected: 4401 }),
      () => ({ name: "garbage token", query: "?token=garbage", workshop: attacked.id, frames: [validUpdate], expected: 4401 }),
      () => ({ name: "token of another workshop", query: `?token=${live.tokens.facilitator}`, workshop: attacked.id, frames: [validUpdate], expected: 4401 }),
      (n) => ({ name: "unknown workshop", query: q, workshop: `unknownWorkshop${n}`, frames: [validUpdate], expected: 4404 }),
      () => ({ name: "traversal as a workshop id", query: q, workshop: ["..%2F..%2Fetc", "%2e%2e%2f", "....%2F%2F"][randomInt(3)]!, frames: [validUpdate], expected: 4404 }),
    ];

    const baseline = await baselineFanout(writer, reader);
    const probe = fanoutProbe(writer, reader);
    const health = healthPoller(relay);
    const acksBefore = writer.acks.length;
    const SOCKETS = 10;
    const FRAMES = 2_000;
    const outcomes: Array<{ attack: Attack; closed: Closed }> = [];
    let frames = 0;
    const started = performance.now();
    const lanes = Array.from({ length: SOCKETS }, async (_, lane) => {
      for (let n = lane; frames < FRAMES; n += SOCKETS) {
        const attack = kinds[n % kinds.length]!(n);
        frames += attack.frames.length;
        outcomes.push({ attack, closed: await sendFrames(`${relay.wsUrl}/${attack.workshop}${attack.query}`, attack.frames) });
      }
    });
    // One 50 MB frame, while the lanes run (ws refuses it from its header: 1009, which the relay turns into 4413).
    const big = sendFrames(`${relay.wsUrl}/${attacked.id}${q}`, [new Uint8Array(50 * 1024 * 1024)], 30_000);
    await Promise.all(lanes);
    const bigClosed = await big;
    const attackMs = performance.now() - started;
    const acksDuringAttack = writer.acks.length - acksBefore;
    const fanout = await probe.stop();
    const { statuses, slowestMs } = await health.stop();

    const wrong = outcomes.filter(({ attack, closed }) => closed.code !== attack.expected).map(({ attack, closed }) => `${attack.name}: ${closed.code} ${closed.reason} (expected ${attack.expected})`);
    expect(wrong.length, `sockets closed with the wrong code: ${wrong.slice(0, 20).join("; ")}`).toBe(0);
    expect(frames).toBeGreaterThanOrEqual(FRAMES);
    expect(new Set(outcomes.map((o) => o.attack.name)).size).toBe(kinds.length);
    expect(bigClosed.code, `50 MB frame: ${bigClosed.reason}`).toBe(4413);
    expect(relay.child.exitCode).toBeNull();
    expect(statuses.length).toBeGreaterThan(3);
    expect(statuses.filter((s) => s !== 200), "/healthz answers during the attack").toEqual([]);
    // Nothing of the attack reached any document, the attacked one included.
    expect(await snapshot(relay, frozen)).toEqual(frozenBefore);
    expect(await snapshot(relay, attacked)).toEqual(attackedBefore);
    expect(writer.closes, `the bystander writer's socket closed; relay log:\n${relay.stderr().slice(-4000)}`).toEqual([]);
    expect(reader.closes, `the bystander reader's socket closed; relay log:\n${relay.stderr().slice(-4000)}`).toEqual([]);
    expect(acksDuringAttack, "saved acknowledgements the bystander writer got during the attack").toBeGreaterThan(10);
    console.log(
      `hostile: ${frames} frames on ${outcomes.length} sockets (10 at a time) + 50 MB frame in ${Math.round(attackMs)} ms; ` +
        `bystander ${describeFanout(fanout)}, ${acksDuringAttack} saved acks (before the attack: p99 ${baseline.p99.toFixed(1)} ms); /healthz ${statuses.length} answers, slowest ${Math.round(slowestMs)} ms`,
    );
    expectPromptFanout(fanout, baseline, "during the attack");
  });

  it("yjs#687: an update held for missing clocks, then the published decoder case, closes 4400 at once; another workshop's edits keep being relayed promptly", async () => {
    const relay = await startRelay();
    const attacked = await createWorkshop(relay);
    const live = await createWorkshop(relay);
    const [orgA, orgB] = live.organizations;
    const writer = await connectClient(relay, live.id, live.tokens.participants[orgA!.id]!);
    const reader = await connectClient(relay, live.id, live.tokens.participants[orgB!.id]!);
    const attackedBefore = await snapshot(relay, attacked);
    const baseline = await baselineFanout(writer, reader);
    const probe = fanoutProbe(writer, reader);
    const token = attacked.tokens.participants[attacked.organizations[0]!.id]!;
    const url = `${relay.wsUrl}/${attacked.id}?token=${token}`;
    const closes: Closed[] = [];
    const started = performance.now();
    // At least 20 rounds, and for at least 3 s, so the probe has enough samples for a p99.
    for (let i = 0; i < 20 || performance.now() - started < 3_000; i++) {
      // As the relay sees a reconnecting client: first something held back, then the crafted buffer
      // (alone, after a held update, and as a sync step 2).
      closes.push(await sendFrames(url, [updateMessage(heldUpdate()), updateMessage(YJS_687)], 5_000));
      closes.push(await sendFrames(url, [updateMessage(YJS_687)], 5_000));
      closes.push(await sendFrames(url, [updateMessage(heldUpdate()), syncMessage(1, YJS_687)], 5_000));
    }
    const fanout = await probe.stop();
    expect(closes.filter((c) => c.code !== 4400)).toEqual([]);
    expect(await fetch(`${relay.url}/healthz`).then((r) => r.status)).toBe(200);
    expect(await snapshot(relay, attacked)).toEqual(attackedBefore);
    console.log(`yjs#687: ${closes.length} crafted sockets; bystander ${describeFanout(fanout)} (before: p99 ${baseline.p99.toFixed(1)} ms)`);
    expectPromptFanout(fanout, baseline, "during the crafted updates");
  });

  it("held updates: a participant sending updates that skip clocks (each under the default 1 MiB limit) does not stall other workshops (fan-out p99 < 250 ms)", async () => {
    // Default limits: MAX_MESSAGE_BYTES 1 MiB; at most 64 updates and 512 KiB held per connection.
    const relay = await startRelay();
    const attacked = await createWorkshop(relay);
    const live = await createWorkshop(relay);
    const [orgA, orgB] = live.organizations;
    const writer = await connectClient(relay, live.id, live.tokens.participants[orgA!.id]!);
    const reader = await connectClient(relay, live.id, live.tokens.participants[orgB!.id]!);
    // 8 updates of ~250 KB (17,000 map entries each) from 8 client ids, all skipping clock 0,
    // so the relay holds the first two (without parsing them on its main thread) and refuses the
    // third (past 512 KiB held): 4400 whichever comes first. Made once, then the
    // client id in the header is rewritten (the only place it appears: new map keys have no origins).
    const d = new Y.Doc();
    d.clientID = 6000;
    d.getMap("t").set("first", 1);
    const sv = Y.encodeStateVector(d);
    d.transact(() => {
      for (let i = 0; i < 17_000; i++) d.getMap("t").set(`k${i}`, i);
    });
    const base = Y.encodeStateAsUpdate(d, sv);
    const flood = Array.from({ length: 8 }, (_, k) => {
      const u = base.slice();
      const client = 6000 + k; // a two-byte varint, like 6000: [1, numStructs (3 bytes), client (2 bytes), clock, …]
      u[4] = (client & 0x7f) | 0x80;
      u[5] = client >>> 7;
      return updateMessage(u);
    });
    expect(Y.decodeUpdate(flood[7]!.subarray(5)).structs[0]!.id.client).toBe(6007);

    const baseline = await baselineFanout(writer, reader);
    const probe = fanoutProbe(writer, reader);
    const health = healthPoller(relay);
    const token = attacked.tokens.participants[attacked.organizations[0]!.id]!;
    const started = performance.now();
    // After the flood, a query-awareness message: its answer (an awareness message) comes once the
    // relay has worked through everything sent before it, unless it refused the socket first.
    const ws = new WebSocket(`${relay.wsUrl}/${attacked.id}?token=${token}`, { generateMask: (mask: Buffer) => void mask.fill(0) });
    onTestFinished(() => ws.terminate());
    ws.on("error", () => {});
    const outcome = new Promise<string>((resolve) => {
      ws.on("message", (data: Buffer) => data[0] === 1 && resolve("held, socket open"));
      ws.on("close", (code, reason) => resolve(`closed ${code} (${reason.toString()})`));
    });
    await new Promise((resolve) => ws.once("open", resolve));
    for (const f of flood) ws.send(f);
    ws.send(Uint8Array.of(3));
    const result = await outcome;
    const floodMs = performance.now() - started;
    const fanout = await probe.stop();
    const { statuses, slowestMs } = await health.stop();
    console.log(
      `held updates: ${flood.length} × ${base.length} bytes, ${result} after ${Math.round(floodMs)} ms; ` +
        `bystander ${describeFanout(fanout)} (before: p99 ${baseline.p99.toFixed(1)} ms); /healthz slowest ${Math.round(slowestMs)} ms`,
    );
    expect(result).toMatch(/^(held, socket open|closed (4400|4429|4413))/);
    expectPromptFanout(fanout, baseline, "during the held updates");
    expect(statuses.filter((s) => s !== 200), "/healthz answers (0: no answer within 5 s)").toEqual([]);
  });
});

/** A raw HTTP request (no URL normalisation, unlike fetch), resolving with status, headers and body. */
function rawRequest(relay: RelayProcess, method: string, rawPath: string, headers: Record<string, string> = {}, body?: Buffer | string) {
  const { hostname, port } = new URL(relay.url);
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path: rawPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body: Buffer.concat(chunks).toString("utf8") }));
    });
    // The relay may answer (413) and close before a huge body is fully sent.
    req.on("error", (error) => (String(error).includes("EPIPE") || String(error).includes("ECONNRESET") ? undefined : reject(error)));
    req.end(body);
  });
}

/** Asserts the contract's error shape: {"error": {"code", "message"}}. */
function expectErrorShape(res: { status: number; type: string; body: string }, what: string): void {
  expect(res.status, what).toBeGreaterThanOrEqual(400);
  expect(res.status, what).toBeLessThan(500);
  expect(res.type, what).toContain("application/json");
  const parsed = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof parsed.error?.code, `${what}: ${res.body}`).toBe("string");
  expect(typeof parsed.error?.message, `${what}: ${res.body}`).toBe("string");
}

/** The files of a directory tree, relative to it. */
function filesUnder(dir: string): string[] {
  // With PostgreSQL and Redis (STORE=postgres) the relay may write nothing under DATA_DIR at all.
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

describe("Hostile input over HTTP", () => {
  it("400, 413, 415: malformed JSON, huge bodies and wrong content types answer 4xx with the contract's error shape; the relay stays up", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const auth = { authorization: `Bearer ${w.tokens.facilitator}` };
    const json = { "content-type": "application/json" };
    const deep = "[".repeat(120_000) + "]".repeat(120_000); // 240 KB, under the body limit
    const cases: Array<[string, string, Record<string, string>, Buffer | string, number]> = [
      ["/api/workshops", "malformed JSON", json, '{"title": "x", "organizations": [', 400],
      ["/api/workshops", "JSON with a trailing comma", json, '{"title": "x",}', 400],
      ["/api/workshops", "deeply nested JSON", json, deep, 400],
      ["/api/workshops", "nested JSON where a title goes", json, `{"title": ${"[".repeat(5_000)}${"]".repeat(5_000)}, "organizations": []}`, 400],
      ["/api/workshops", "a prototype key", json, '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}', 400],
      ["/api/workshops", "invalid UTF-8", json, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 400],
      ["/api/workshops", "text/plain", { "content-type": "text/plain" }, JSON.stringify({ title: "x" }), 415],
      ["/api/workshops", "a form", { "content-type": "application/x-www-form-urlencoded" }, "title=x", 415],
      ["/api/workshops", "multipart", { "content-type": "multipart/form-data; boundary=x" }, "--x\r\n\r\n--x--", 415],
      ["/api/workshops", "no content type", {}, JSON.stringify({ title: "x" }), 415],
      ["/api/workshops", "a 5 MB body", json, Buffer.alloc(5 * 1024 * 1024, 0x20), 413],
      ["/api/workshops", "a 50 MB body", json, Buffer.alloc(50 * 1024 * 1024, 0x20), 413],
      [`/api/workshops/${w.id}/versions`, "malformed JSON (versions)", { ...json, ...auth }, "{label", 400],
      [`/api/workshops/${w.id}/versions`, "a 5 MB body (versions)", { ...json, ...auth }, Buffer.alloc(5 * 1024 * 1024, 0x20), 413],
      [`/api/workshops/${w.id}/organizations`, "wrong content type (organizations)", { "content-type": "text/xml", ...auth }, "<org/>", 415],
      [`/api/workshops/${w.id}/flags/f1/statements`, "malformed JSON (statements)", { ...json, authorization: `Bearer ${w.tokens.participants[w.organizations[0]!.id]}` }, "nope", 400],
    ];
    for (const [route, what, headers, body, status] of cases) {
      const res = await rawRequest(relay, "POST", route, headers, body);
      expect(res.status, `${what}: ${res.body.slice(0, 200)}`).toBe(status);
      expectErrorShape(res, what);
    }
    // A body sent without Content-Length (chunked) is bounded as it streams.
    const chunked = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const { hostname, port } = new URL(relay.url);
      const req = http.request({ host: hostname, port, method: "POST", path: "/api/workshops", headers: json }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body: Buffer.concat(chunks).toString() }));
      });
      req.on("error", (e) => (String(e).match(/EPIPE|ECONNRESET/) ? undefined : reject(e)));
      for (let i = 0; i < 40; i++) req.write(Buffer.alloc(256 * 1024, 0x20));
      req.end();
    });
    expect(chunked.status).toBe(413);
    expectErrorShape(chunked, "chunked 10 MB body");
    for (const method of ["PUT", "DELETE", "PATCH", "TRACE"]) {
      const res = await rawRequest(relay, method, `/api/workshops/${w.id}`, auth);
      expectErrorShape(res, `${method} on a workshop`);
    }
    expect((await rawRequest(relay, "GET", "/healthz")).status).toBe(200);
    expect(relay.child.exitCode).toBeNull();
  });

  it("404: path traversal in workshop ids and static paths reads nothing outside; DATA_DIR holds only the relay's own files", async () => {
    // DATA_DIR inside a parent that also holds a canary file a traversal could reach.
    const parent = tmpDir("crosswalk-traversal-");
    const dataDir = path.join(parent, "data");
    const canary = `canary-${Math.random().toString(36).slice(2)}`;
    fs.writeFileSync(path.join(parent, "canary.txt"), canary);
    const relay = await startRelay({ dataDir });
    const w = await createWorkshop(relay);
    const allowed = (f: string) => /^crosswalk\.sqlite(-wal|-shm|-journal)?$/.test(f) || f === "secret.key";
    const before = filesUnder(dataDir);
    expect(before.filter((f) => !allowed(f))).toEqual([]);

    const ids = ["..%2F..%2Fetc", "%2e%2e%2f", "....//", "..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fcanary.txt", "..%5C..%5Cetc%5Cpasswd", "%252e%252e%252f", "..%00", "%c0%ae%c0%ae%c0%af", "%2F..%2F..%2Fcanary.txt", `${w.id}%2F..%2F..`];
    const routes = ["", "/analysis", "/versions", "/deletions", "/links", "/export?format=md", "/flags/x/statements"];
    for (const id of ids) {
      for (const route of routes) {
        const res = await rawRequest(relay, "GET", `/api/workshops/${id}${route}`, { authorization: `Bearer ${w.tokens.facilitator}` });
        expect([400, 401, 404], `${id}${route}: ${res.status}`).toContain(res.status);
        expectErrorShape(res, `${id}${route}`);
        expect(res.body).not.toContain("root:");
        expect(res.body).not.toContain(canary);
      }
      const post = await rawRequest(relay, "POST", `/api/workshops/${id}/versions`, { "content-type": "application/json", authorization: `Bearer ${w.tokens.facilitator}` }, '{"label":"x"}');
      expectErrorShape(post, `POST ${id}/versions`);
    }
    const staticPaths = [
      "/..%2f..%2fetc%2fpasswd",
      "/../../etc/passwd",
      "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/assets/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
      "/assets/%2e%2e%2f%2e%2e%2fpackage.json",
      "/..%2f..%2fpackage.json",
      "/....//....//etc/passwd",
      "/..%5c..%5c..%5cetc%5cpasswd",
      "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
      "/%252e%252e%252fetc%252fpasswd",
      "//etc/passwd",
      "/assets//etc/passwd",
      "/index.html%00.png",
      `/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f${parent.slice(1).split("/").join("%2f")}%2fcanary.txt`,
      `/..%2f${path.relative(path.resolve("web/dist"), path.join(parent, "canary.txt")).split(path.sep).join("%2f")}`,
      `/${path.relative(path.resolve("web/dist"), path.join(parent, "canary.txt"))}`,
    ];
    for (const p of staticPaths) {
      const res = await rawRequest(relay, "GET", p);
      expect([400, 404], `${p}: ${res.status} ${res.body.slice(0, 100)}`).toContain(res.status);
      expect(res.body, p).not.toContain("root:");
      expect(res.body, p).not.toContain(canary);
      expect(res.body, p).not.toContain('"workspaces"');
    }
    // The SPA fallback serves the app shell for any workshop page, and only that.
    const page = await rawRequest(relay, "GET", "/w/..%2f..%2f..%2fetc%2fpasswd");
    expect(page.body).not.toContain("root:");
    if (page.status === 200) expect(page.body).toContain('<div id="root">');
    // WebSocket upgrades on traversal paths reach nothing either.
    for (const id of ["..%2F..%2Fetc", "%2e%2e%2f", "....%2F%2F"]) {
      const closed = await sendFrames(`${relay.wsUrl}/${id}?token=${w.tokens.facilitator}`, []);
      expect(closed.code, id).toBe(4404);
    }
    expect(filesUnder(dataDir).filter((f) => !allowed(f))).toEqual([]);
    // Nothing was written next to DATA_DIR (which, with PostgreSQL and Redis, may not even exist).
    expect(fs.readdirSync(parent).filter((f) => f !== "data")).toEqual(["canary.txt"]);
  });
});
