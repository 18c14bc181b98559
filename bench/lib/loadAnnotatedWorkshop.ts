// An annotated workshop (annotatedWorkshop.ts) in a running relay, put there the way the
// product does it: POST /api/workshops creates it, then a facilitator's y-websocket client
// writes the text, annotations and consent, and the bench waits until the relay acknowledges
// every change as stored (the saved acknowledgement, docs/PROTOCOL.md).
import type { CreateWorkshopResponse } from "@crosswalk/shared";
import * as Y from "yjs";
import type { SectionShape } from "./annotatedSection.js";
import { recordConsents, RETREAT_ORGANIZATIONS, writeAnnotatedWorkshop, type AnnotatedWorkshop, type ConsentFigures } from "./annotatedWorkshop.js";
import { connectClient, type BenchClient } from "./client.js";
import type { OurRelay } from "./ourRelay.js";
import type { SeededRandom } from "./seededRandom.js";
import { until } from "./until.js";

/** A filled workshop and the facilitator's client that filled it (still connected). */
export interface LoadedWorkshop {
  workshop: CreateWorkshopResponse;
  client: BenchClient;
  written: AnnotatedWorkshop;
  consent: ConsentFigures;
  /** Bytes of the whole document as one update. */
  documentBytes: number;
  /** From creating the workshop to the relay acknowledging everything as stored. */
  loadSeconds: number;
  /** Resolves once the relay has stored everything `client.doc` holds. */
  allSaved(what: string): Promise<void>;
}

/** True when `saved` covers every client's clock in `doc`. */
function covers(saved: ReadonlyMap<number, number>, doc: Y.Doc): boolean {
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) if ((saved.get(client) ?? 0) < clock) return false;
  return true;
}

/** Creates a workshop of RETREAT_ORGANIZATIONS (template "full") on `relay` and fills it to `shape`. */
export async function loadAnnotatedWorkshop(relay: OurRelay, title: string, random: SeededRandom, shape: SectionShape): Promise<LoadedWorkshop> {
  const started = performance.now();
  const res = await fetch(`${relay.url}/api/workshops`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title, template: "full", organizations: RETREAT_ORGANIZATIONS.map(({ name, kind }) => ({ name, kind })) }),
  });
  if (res.status !== 201) throw new Error(`creating a workshop failed: ${res.status} ${await res.text()}`);
  const workshop = (await res.json()) as CreateWorkshopResponse;
  let saved = new Map<number, number>();
  const client = await connectClient(relay.wsUrl, workshop.id, { params: { token: workshop.tokens.facilitator, ack: "1" }, onSaved: (sv) => (saved = sv) });
  const allSaved = (what: string): Promise<void> => until(() => covers(saved, client.doc), `the relay to store ${what}`, 60_000);
  try {
    const definitions = new Map(workshop.organizations.map((o, i) => [o.id, RETREAT_ORGANIZATIONS[i]!.definition]));
    const written = writeAnnotatedWorkshop(client.doc, workshop.organizations, definitions, random, shape);
    const consent = await recordConsents(client.doc, workshop.organizations, random);
    await allSaved("the workshop");
    if (client.closes.length > 0) throw new Error(`the relay closed the writer's connection while it loaded the workshop (codes ${client.closes.join(", ")})`);
    const documentBytes = Y.encodeStateAsUpdate(client.doc).byteLength;
    return { workshop, client, written, consent, documentBytes, loadSeconds: (performance.now() - started) / 1000, allSaved };
  } catch (error) {
    client.destroy();
    throw error;
  }
}
