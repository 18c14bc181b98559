// Property test through the real relay (issue: per-organization annotations): three clients
// make random concurrent insertions and deletions around and inside annotated ranges, with
// random disconnects. After convergence every annotation resolves to the same range on every
// client; ranges whose text nobody touched still cover exactly their quote; ranges whose text
// was deleted are detached. The expectation comes from Yjs item identity, not from the anchor code.
import { anchorForQuote, annotationsOf, DEFINITION_SECTION_ID, resolveAnchor, sectionFragment, sectionText, type Annotation } from "@crosswalk/shared";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { connectClient, type Client } from "../helpers/client.js";
import { createWorkshop, type RelayProcess } from "../helpers/relay.js";
import { spawnRelay } from "../helpers/spawnRelay.js";
import { until } from "../helpers/until.js";

const RUNS = process.env.CROSSWALK_EXTENSIVE ? 300 : 12;
const BASE = "Equity-centered leaders name and interrupt practices that sustain disparities in every school.";
const QUOTES = ["name and interrupt", "practices", "sustain disparities", "every school"];

type Op = { client: number; kind: "insert"; at: number; text: string } | { client: number; kind: "delete"; at: number; len: number } | { client: number; kind: "toggle" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ client: fc.nat(2), kind: fc.constant("insert" as const), at: fc.nat(120), text: fc.constantFrom("x", "new words ", "ü", "—") }), weight: 5 },
  { arbitrary: fc.record({ client: fc.nat(2), kind: fc.constant("delete" as const), at: fc.nat(120), len: fc.integer({ min: 1, max: 25 }) }), weight: 4 },
  { arbitrary: fc.record({ client: fc.nat(2), kind: fc.constant("toggle" as const) }), weight: 2 },
);

function textOf(doc: Y.Doc): Y.XmlText {
  return (sectionFragment(doc, DEFINITION_SECTION_ID).get(0) as Y.XmlElement).get(0) as Y.XmlText;
}

/** Ground truth from item identity: "untouched", "deleted" or "touched" (no claim). */
function expectation(doc: Y.Doc, ids: Array<{ client: number; clock: number }>): "untouched" | "deleted" | "touched" {
  const items: Array<{ client: number; clock: number; live: boolean }> = [];
  for (let item = textOf(doc)._start; item !== null; item = item.right) {
    // Deleted text keeps its ids (garbage collection turns its content into ContentDeleted).
    if (!(item.content instanceof Y.ContentString) && !(item.content instanceof Y.ContentDeleted)) continue;
    for (let i = 0; i < item.length; i++) items.push({ client: item.id.client, clock: item.id.clock + i, live: !item.deleted });
  }
  const key = (x: { client: number; clock: number }) => `${x.client}:${x.clock}`;
  const wanted = new Set(ids.map(key));
  const positions = items.map((x, i) => (wanted.has(key(x)) ? i : -1)).filter((i) => i >= 0);
  if (positions.length !== ids.length) throw new Error("lost track of the quoted characters");
  const first = Math.min(...positions);
  const last = Math.max(...positions);
  const span = items.slice(first, last + 1);
  const liveOriginal = span.filter((x) => x.live && wanted.has(key(x))).length;
  const liveOther = span.filter((x) => x.live && !wanted.has(key(x))).length;
  if (liveOriginal === ids.length && liveOther === 0) return "untouched";
  if (liveOriginal === 0 && liveOther === 0) return "deleted";
  return "touched";
}

describe("annotations anchored in live text, through the relay (property)", () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await spawnRelay({ env: { UNLOAD_DELAY_MS: "50" } });
  });
  afterAll(async () => {
    await relay.kill();
  });

  it("after random concurrent edits and disconnects every client resolves every annotation alike, untouched ones to their quote, deleted ones detached", async () => {
    let checked = { untouched: 0, deleted: 0, touched: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 40 }), async (ops) => {
        const w = await createWorkshop(relay);
        const tokens = w.organizations.map((o) => w.tokens.participants[o.id]!);
        const clients: Client[] = [];
        try {
          for (const t of tokens) clients.push(await connectClient(relay, w.id, t, { waitSynced: true }));
          const author = clients[0]!;
          // Setup: the base text and one annotation per quote, by the first organization.
          const p = sectionFragment(author.doc, DEFINITION_SECTION_ID).get(0) as Y.XmlElement;
          p.insert(0, [new Y.XmlText(BASE)]);
          const baseClock = Y.getState(author.doc.store, author.doc.clientID) - BASE.length;
          const annotations: Array<{ a: Annotation; ids: Array<{ client: number; clock: number }> }> = QUOTES.map((quote, i) => {
            const at = BASE.indexOf(quote);
            const anchor = anchorForQuote(author.doc, DEFINITION_SECTION_ID, quote)!;
            const a: Annotation = { id: `a${i}`, sectionId: DEFINITION_SECTION_ID, orgId: w.organizations[0]!.id, author: "A", stance: "concern", dimensions: [], body: "", anchor, quote, createdAt: i };
            annotationsOf(author.doc).set(a.id, a);
            return { a, ids: Array.from({ length: quote.length }, (_, k) => ({ client: author.doc.clientID, clock: baseClock + at + k })) };
          });
          await author.waitSaved();
          await until(() => clients.every((c) => sectionText(c.doc, DEFINITION_SECTION_ID) === BASE && annotationsOf(c.doc).size === QUOTES.length), "setup everywhere");
          // Random concurrent edits; some made while disconnected.
          for (const op of ops) {
            const c = clients[op.client]!;
            if (op.kind === "toggle") {
              if (c.provider.shouldConnect) c.provider.disconnect();
              else c.provider.connect();
              continue;
            }
            const t = textOf(c.doc);
            if (op.kind === "insert") t.insert(Math.min(op.at, t.length), op.text);
            else if (t.length > 0) {
              const at = Math.min(op.at, t.length - 1);
              t.delete(at, Math.min(op.len, t.length - at));
            }
            if (op.client === 0) await new Promise((r) => setImmediate(r));
          }
          for (const c of clients) if (!c.provider.shouldConnect) c.provider.connect();
          await until(
            () => clients.every((c) => c.provider.synced && sectionText(c.doc, DEFINITION_SECTION_ID) === sectionText(clients[0]!.doc, DEFINITION_SECTION_ID)),
            "convergence",
            30_000,
          );
          await Promise.all(clients.map((c) => c.waitSaved()));
          await until(() => clients.every((c) => Y.encodeStateVector(c.doc).toString() === Y.encodeStateVector(clients[0]!.doc).toString()), "same state vectors", 30_000);
          for (const { a, ids } of annotations) {
            const results = clients.map((c) => resolveAnchor(c.doc, DEFINITION_SECTION_ID, (annotationsOf(c.doc).get(a.id) as Annotation).anchor));
            for (const r of results) expect(r, `${a.quote}: same on every client`).toEqual(results[0]);
            const truth = expectation(clients[0]!.doc, ids);
            checked = { ...checked, [truth]: checked[truth] + 1 };
            if (truth === "untouched") expect(results[0]?.text, `${a.quote} untouched`).toBe(a.quote);
            if (truth === "deleted") expect(results[0], `${a.quote} deleted`).toBeNull();
          }
        } finally {
          for (const c of clients) c.destroy();
        }
      }),
      { numRuns: RUNS, verbose: 1 },
    );
    // Guard: the runs exercised both kinds of claim.
    expect(checked.untouched).toBeGreaterThan(0);
    expect(checked.deleted + checked.touched).toBeGreaterThan(0);
  });
});
