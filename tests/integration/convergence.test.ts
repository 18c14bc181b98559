// Convergence over the real relay (STYLE.md §11, second level): a fast-check property over
// random operation sequences of 4 real y-websocket clients — section text edits, annotation
// and consent records written as each client's own organization, and random disconnects. At
// the end every client and the stored state (a fresh client after a SIGKILL and restart)
// hold the same document: state vector, section text, annotations, consent and authors.
import {
  anchorForQuote,
  annotationsOf,
  authorsOf,
  CONSENT_LEVELS,
  consentKey,
  consentOf,
  DEFINITION_SECTION_ID,
  sectionFragment,
  sectionHash,
  sectionText,
  STANCES,
  type Annotation,
  type Consent,
} from "@crosswalk/shared";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { connectClient, type Client } from "../helpers/client.js";
import { definitionText } from "../helpers/definitionText.js";
import { createWorkshop, sampleWorkshop, type RelayProcess } from "../helpers/relay.js";
import { respawnRelay, spawnRelay } from "../helpers/spawnRelay.js";
import { until } from "../helpers/until.js";

const RUNS = process.env.CROSSWALK_EXTENSIVE ? 150 : 8;
/** Organization index of each client: clients 0 and 3 write for the same one, so they change the same records concurrently. */
const CLIENT_ORGS = [0, 1, 2, 0];
const BASE = "Equity-centered leaders name and interrupt practices that sustain disparities in every school.";

type Op =
  | { kind: "insert"; client: number; paragraph: number; at: number; text: string }
  | { kind: "delete"; client: number; paragraph: number; at: number; len: number }
  | { kind: "addParagraph"; client: number; at: number; text: string }
  | { kind: "removeParagraph"; client: number; at: number }
  | { kind: "annotate"; client: number; slot: number; at: number; len: number; stance: number }
  | { kind: "removeAnnotation"; client: number; slot: number }
  | { kind: "consent"; client: number; level: number }
  | { kind: "toggle"; client: number }
  | { kind: "deliver" };

const client = fc.nat(3);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("insert" as const), client, paragraph: fc.nat(3), at: fc.nat(120), text: fc.constantFrom("x", "new words ", "ü", "—", "families ") }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("delete" as const), client, paragraph: fc.nat(3), at: fc.nat(120), len: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("addParagraph" as const), client, at: fc.nat(3), text: fc.constantFrom("A second paragraph.", "Access to rigor.") }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("removeParagraph" as const), client, at: fc.nat(3) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("annotate" as const), client, slot: fc.nat(2), at: fc.nat(120), len: fc.integer({ min: 1, max: 25 }), stance: fc.nat(STANCES.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("removeAnnotation" as const), client, slot: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("consent" as const), client, level: fc.nat(CONSENT_LEVELS.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("toggle" as const), client }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("deliver" as const) }) },
);

/** The text of the definition's n-th paragraph (modulo how many there are). */
function paragraphText(doc: Y.Doc, n: number): Y.XmlText {
  const fragment = sectionFragment(doc, DEFINITION_SECTION_ID);
  const p = fragment.get(n % fragment.length) as Y.XmlElement;
  if (!(p.get(0) instanceof Y.XmlText)) p.insert(0, [new Y.XmlText()]);
  return p.get(0) as Y.XmlText;
}

/** What must be equal everywhere at the end. */
function state(doc: Y.Doc) {
  return {
    stateVector: Buffer.from(Y.encodeStateVector(doc)).toString("hex"),
    text: sectionText(doc, DEFINITION_SECTION_ID),
    // As JSON: a record's writer holds the object it wrote (anchors with Y.ID instances), the others decoded JSON.
    annotations: JSON.parse(JSON.stringify(annotationsOf(doc).toJSON())) as Record<string, unknown>,
    consent: JSON.parse(JSON.stringify(consentOf(doc).toJSON())) as Record<string, unknown>,
    authors: authorsOf(doc).toJSON(),
  };
}

/** JSON with object keys sorted: a Y.Map's key order depends on the order a client received its entries. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** What the runs exercised (the guard below checks it). */
interface Exercised {
  annotationsSet: number;
  annotationsRemoved: number;
  consentSet: number;
  disconnects: number;
  paragraphs: number;
  runsWithRecords: number;
}

/** One relay for every run; each run uses a new workshop and restarts the relay at its end. */
let relay: RelayProcess;

/** Plays `ops` on 4 clients of a new workshop, then checks that clients and store converge. */
async function run(ops: readonly Op[], exercised: Exercised): Promise<void> {
  const w = await createWorkshop(relay, sampleWorkshop());
  const clients: Client[] = [];
  try {
    for (const org of CLIENT_ORGS) clients.push(await connectClient(relay, w.id, w.tokens.participants[w.organizations[org]!.id]!));
    definitionText(clients[0]!.doc, true).insert(0, BASE);
    await clients[0]!.waitSaved();
    await until(() => clients.every((c) => sectionText(c.doc, DEFINITION_SECTION_ID) === BASE), "the base text everywhere");

    let n = 0;
    for (const op of ops) {
      n++;
      if (op.kind === "deliver") {
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      const c = clients[op.client]!;
      const org = w.organizations[CLIENT_ORGS[op.client]!]!;
      const doc = c.doc;
      switch (op.kind) {
        case "insert": {
          const t = paragraphText(doc, op.paragraph);
          t.insert(Math.min(op.at, t.length), op.text);
          break;
        }
        case "delete": {
          const t = paragraphText(doc, op.paragraph);
          if (t.length === 0) break;
          const at = Math.min(op.at, t.length - 1);
          t.delete(at, Math.min(op.len, t.length - at));
          break;
        }
        case "addParagraph": {
          const fragment = sectionFragment(doc, DEFINITION_SECTION_ID);
          const p = new Y.XmlElement("paragraph");
          p.insert(0, [new Y.XmlText(op.text)]);
          fragment.insert(1 + (op.at % fragment.length), [p]);
          exercised.paragraphs++;
          break;
        }
        case "removeParagraph": {
          const fragment = sectionFragment(doc, DEFINITION_SECTION_ID);
          if (fragment.length > 1) fragment.delete(1 + (op.at % (fragment.length - 1)), 1);
          break;
        }
        case "annotate": {
          const text = sectionText(doc, DEFINITION_SECTION_ID);
          if (text.length === 0) break;
          const from = op.at % text.length;
          const quote = text.slice(from, from + op.len);
          const anchor = quote.trim() === "" ? null : anchorForQuote(doc, DEFINITION_SECTION_ID, quote);
          if (!anchor) break;
          const id = `${org.id}-a${op.slot}`;
          const a: Annotation = { id, sectionId: DEFINITION_SECTION_ID, orgId: org.id, author: `client ${op.client}`, stance: STANCES[op.stance]!, dimensions: ["outcomes"], body: `note ${n}`, anchor, quote, createdAt: n };
          annotationsOf(doc).set(id, a);
          exercised.annotationsSet++;
          break;
        }
        case "removeAnnotation": {
          const id = `${org.id}-a${op.slot}`;
          if (annotationsOf(doc).has(id)) {
            annotationsOf(doc).delete(id);
            exercised.annotationsRemoved++;
          }
          break;
        }
        case "consent": {
          const consent: Consent = { sectionId: DEFINITION_SECTION_ID, orgId: org.id, level: CONSENT_LEVELS[op.level]!, author: `client ${op.client}`, at: n, contentHash: await sectionHash(doc, DEFINITION_SECTION_ID) };
          consentOf(doc).set(consentKey(DEFINITION_SECTION_ID, org.id), consent);
          exercised.consentSet++;
          break;
        }
        case "toggle":
          if (c.provider.shouldConnect) {
            c.provider.disconnect();
            exercised.disconnects++;
          } else c.provider.connect();
          break;
      }
    }

    for (const c of clients) if (!c.provider.shouldConnect) c.provider.connect();
    // Equal state vectors and "saved" are not enough: a deletion changes neither (Yjs keeps
    // deletions in a delete set, outside the state vector), so wait for the whole state to agree.
    const same = () => {
      const states = clients.map((c) => canonical(state(c.doc)));
      return states.every((x) => x === states[0]);
    };
    // The relay writes an `authors` record for each client id that sends content (after relaying
    // that content): wait for those too, or the store would hold one more change than the clients.
    const writers = () => clients.filter((c) => Y.getState(c.doc.store, c.doc.clientID) > 0).map((c) => String(c.doc.clientID));
    const authorsDone = () => clients.every((c) => writers().every((id) => authorsOf(c.doc).has(id)));
    await until(() => clients.every((c) => c.provider.synced && c.saved()) && authorsDone() && same(), "every client synced, saved and holding the same document", 20_000).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}: ${JSON.stringify(clients.map((c) => state(c.doc)), null, 1)}`);
      },
    );
    const final = state(clients[0]!.doc);
    for (const [i, c] of clients.entries()) expect(c.closes.filter((e) => e.code >= 4000), `client ${i} refused`).toEqual([]);
    if (Object.keys(final.annotations).length > 0 && Object.keys(final.consent).length > 0) exercised.runsWithRecords++;

    // The stored state: clients gone, the relay killed and restarted, a fresh client reads it.
    for (const c of clients) c.destroy();
    await relay.kill();
    relay = await respawnRelay(relay);
    const fresh = await connectClient(relay, w.id, w.tokens.observer, { ack: false });
    expect(state(fresh.doc), "stored state after a restart").toEqual(final);
    fresh.destroy();
  } finally {
    for (const c of clients) c.destroy();
  }
}

describe("convergence through the relay (property)", () => {
  beforeAll(async () => {
    relay = await spawnRelay();
  });
  afterAll(async () => {
    await relay.kill();
  });

  it("random text edits, annotation and consent records and disconnects from 4 clients converge on every client and in the store", async () => {
    const exercised: Exercised = { annotationsSet: 0, annotationsRemoved: 0, consentSet: 0, disconnects: 0, paragraphs: 0, runsWithRecords: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 60 }), (ops) => run(ops, exercised)),
      { numRuns: RUNS, verbose: 1 },
    );
    // Guard: the fuzz really wrote records and disconnected clients (removals are only logged:
    // a short run may not remove one).
    console.log(`convergence: ${RUNS} runs exercised ${JSON.stringify(exercised)}`);
    expect(exercised.annotationsSet).toBeGreaterThan(0);
    expect(exercised.consentSet).toBeGreaterThan(0);
    expect(exercised.disconnects).toBeGreaterThan(0);
    expect(exercised.runsWithRecords).toBeGreaterThan(0);
  }, 60_000 + RUNS * 15_000); // every run restarts the relay (1–3 s on a loaded 2-core machine)

  // Found by the property (seed -1995563137, path "2:4:0:1:1:4:3:6:17:5:3:6:3"), shrunk: client 1
  // deletes a character while disconnected and reconnects. Every client then reports the same
  // state vector and "saved" before that deletion has reached the others (a deletion moves no
  // clock); the run once compared them at that moment. Kept as a named scenario.
  it("regression: a deletion made while disconnected reaches the other clients and the store", async () => {
    const ops: Op[] = [
      { kind: "insert", client: 0, paragraph: 1, at: 0, text: "x" },
      { kind: "addParagraph", client: 2, at: 0, text: "A second paragraph." },
      { kind: "toggle", client: 0 },
      { kind: "annotate", client: 0, slot: 0, at: 86, len: 13, stance: 1 },
      { kind: "delete", client: 2, paragraph: 2, at: 2, len: 4 },
      { kind: "toggle", client: 1 },
      { kind: "delete", client: 0, paragraph: 0, at: 35, len: 2 },
      { kind: "deliver" },
      { kind: "removeParagraph", client: 0, at: 1 },
      { kind: "delete", client: 1, paragraph: 2, at: 36, len: 1 },
    ];
    await run(ops, { annotationsSet: 0, annotationsRemoved: 0, consentSet: 0, disconnects: 0, paragraphs: 0, runsWithRecords: 0 });
  });

  // Found by the property (seed 1975460933), shrunk: client 1 writes while disconnected; when it
  // reconnects the relay relays its changes, then writes client 1's `authors` record. The run
  // once compared the clients between the two, and the store held one change more.
  it("regression: the authors record the relay writes for a reconnecting client reaches every client and the store", async () => {
    const ops: Op[] = [
      { kind: "toggle", client: 1 },
      { kind: "removeAnnotation", client: 0, slot: 0 },
      { kind: "addParagraph", client: 0, at: 0, text: "A second paragraph." },
      { kind: "insert", client: 0, paragraph: 0, at: 0, text: "x" },
      { kind: "annotate", client: 0, slot: 0, at: 7, len: 3, stance: 2 },
      { kind: "annotate", client: 1, slot: 1, at: 91, len: 1, stance: 0 },
      { kind: "insert", client: 0, paragraph: 3, at: 11, text: "—" },
      { kind: "delete", client: 1, paragraph: 0, at: 7, len: 16 },
      { kind: "removeParagraph", client: 2, at: 3 },
      { kind: "removeAnnotation", client: 3, slot: 2 },
      { kind: "delete", client: 3, paragraph: 1, at: 50, len: 10 },
    ];
    await run(ops, { annotationsSet: 0, annotationsRemoved: 0, consentSet: 0, disconnects: 0, paragraphs: 0, runsWithRecords: 0 });
  });
});
