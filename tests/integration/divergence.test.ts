import {
  anchorForQuote,
  annotationsOf,
  consentKey,
  consentOf,
  DEFINITION_SECTION_ID,
  draftConsent,
  flagsOf,
  orgDefinitionSectionId,
  reflectionsOf,
  sectionFragment,
  type Annotation,
  type CreateWorkshopResponse,
  type Stance,
  type WorkshopAnalysis,
} from "@crosswalk/shared";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { connectClient, type Client } from "../helpers/client.js";
import { createWorkshop, restartRelay, startRelay, type RelayProcess } from "../helpers/relay.js";
import { until } from "../helpers/until.js";

function typeIn(doc: Y.Doc, sectionId: string, text: string): void {
  const p = sectionFragment(doc, sectionId).get(0) as Y.XmlElement;
  if (!(p.get(0) instanceof Y.XmlText)) p.insert(0, [new Y.XmlText()]);
  const t = p.get(0) as Y.XmlText;
  t.insert(t.length, text);
}

function annotate(client: Client, orgId: string, quote: string, stance: Stance, id: string): void {
  const a: Annotation = { id, sectionId: DEFINITION_SECTION_ID, orgId, author: "x", stance, dimensions: [], body: "", anchor: anchorForQuote(client.doc, DEFINITION_SECTION_ID, quote)!, quote, createdAt: Date.now() };
  annotationsOf(client.doc).set(id, a);
}

async function analysis(relay: RelayProcess, w: CreateWorkshopResponse): Promise<WorkshopAnalysis> {
  const res = await fetch(`${relay.url}/api/workshops/${w.id}/analysis`, { headers: { authorization: `Bearer ${w.tokens.observer}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as WorkshopAnalysis;
}

describe("GET /api/workshops/:id/analysis on a workshop built by several clients", () => {
  it("reports hotspots, the dimension crosswalk, authorship and consent, per the contract", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const [d, u, s] = w.organizations;
    const district = await connectClient(relay, w.id, w.tokens.participants[d!.id]!);
    const uni = await connectClient(relay, w.id, w.tokens.participants[u!.id]!);
    const state = await connectClient(relay, w.id, w.tokens.participants[s!.id]!);
    typeIn(district.doc, orgDefinitionSectionId(d!.id), "We are an anti-racist district closing racial gaps in achievement.");
    typeIn(uni.doc, orgDefinitionSectionId(u!.id), "Every student is known, including students with disabilities and LGBTQ+ students.");
    typeIn(district.doc, DEFINITION_SECTION_ID, "Race does not predict outcomes. ");
    await district.waitSaved();
    await until(() => uni.doc.getXmlFragment(`section:${DEFINITION_SECTION_ID}`).toString().includes("outcomes"), "shared draft to reach the university");
    typeIn(uni.doc, DEFINITION_SECTION_ID, "Every student belongs.");
    await uni.waitSaved();
    await until(() => state.doc.getXmlFragment(`section:${DEFINITION_SECTION_ID}`).toString().includes("belongs"), "text everywhere");
    annotate(district, d!.id, "Race does not predict", "endorse", "a1");
    annotate(uni, u!.id, "does not predict outcomes", "concern", "a2");
    annotate(state, s!.id, "predict", "question", "a3");
    for (const c of [district, uni, state]) await c.waitSaved();

    const first = await analysis(relay, w);
    expect(first.hotspots).toHaveLength(1);
    expect(first.hotspots[0]).toMatchObject({
      sectionId: DEFINITION_SECTION_ID,
      quote: "Race does not predict outcomes",
      orgs: { [d!.id]: ["endorse"], [u!.id]: ["concern"], [s!.id]: ["question"] },
      score: 2,
    });
    expect(first.dimensions.byOrg[d!.id]!["race-ethnicity"]!.named).toBe(true);
    expect(first.dimensions.byOrg[d!.id]!["systems-of-privilege"]!.named).toBe(true);
    expect(first.dimensions.byOrg[u!.id]!["disability"]!.named).toBe(true);
    expect(first.dimensions.byOrg[u!.id]!["lgbtq"]!.named).toBe(true);
    expect(first.dimensions.divergent).toContain("lgbtq");
    expect(first.dimensions.sharedDraft["race-ethnicity"]!.named).toBe(true);
    expect(first.dimensions.list).toContain("self-reflection");
    expect(first.authorship[DEFINITION_SECTION_ID]).toEqual({ [d!.id]: "Race does not predict outcomes. ".length, [u!.id]: "Every student belongs.".length });
    expect(first.authorship[orgDefinitionSectionId(u!.id)]![u!.id]).toBeGreaterThan(50);

    // Two organizations consent; the third does not; then one edits and its consent turns stale.
    for (const [c, org] of [[district, d!], [uni, u!]] as const) {
      const drafted = await draftConsent(c.doc, DEFINITION_SECTION_ID, org.id, "endorse", "", "x");
      if (!drafted.ok) throw new Error(drafted.message);
      consentOf(c.doc).set(consentKey(DEFINITION_SECTION_ID, org.id), drafted.value);
      await c.waitSaved();
    }
    const consented = await analysis(relay, w);
    expect(consented.consent[DEFINITION_SECTION_ID]).toEqual({ agreed: false, stale: [], missing: [s!.id], blocking: [] });
    typeIn(uni.doc, DEFINITION_SECTION_ID, " Edited.");
    await uni.waitSaved();
    const edited = await analysis(relay, w);
    expect(edited.consent[DEFINITION_SECTION_ID]!.stale.sort()).toEqual([d!.id, u!.id].sort());
  });
});

describe("reflection statements: held by the relay, revealed all at once", () => {
  it("statements stay out of the document until the reveal (even across a restart), then all arrive in one transaction", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const [d, u] = w.organizations;
    const facilitator = await connectClient(relay, w.id, w.tokens.facilitator);
    typeIn(facilitator.doc, DEFINITION_SECTION_ID, "Race does not predict outcomes.");
    const anchor = anchorForQuote(facilitator.doc, DEFINITION_SECTION_ID, "predict")!;
    flagsOf(facilitator.doc).set("f1", { id: "f1", sectionId: DEFINITION_SECTION_ID, anchor, quote: "predict", title: "Predict what?", raisedBy: "F", status: "in-reflection", createdAt: 1 });
    await facilitator.waitSaved();
    const post = (token: string, body: unknown, flag = "f1") =>
      fetch(`${relay.url}/api/workshops/${w.id}/flags/${flag}/statements`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const dt = w.tokens.participants[d!.id]!;
    const ut = w.tokens.participants[u!.id]!;
    expect((await post(dt, { kind: "perspective-making", text: "We mean race.", author: "Dana" })).status).toBe(201);
    expect((await post(ut, { kind: "perspective-taking", aboutOrgId: d!.id, text: "We hear: only race.", author: "Uri" })).status).toBe(201);
    // Refusals: another flag, an observer, taking about oneself, an empty text.
    expect((await post(dt, { kind: "perspective-making", text: "x" }, "nope")).status).toBe(404);
    expect((await post(w.tokens.observer, { kind: "perspective-making", text: "x" })).status).toBe(403);
    expect((await post(ut, { kind: "perspective-taking", aboutOrgId: u!.id, text: "x" })).status).toBe(400);
    expect((await post(ut, { kind: "perspective-making", text: "   " })).status).toBe(400);
    const status = await (await fetch(`${relay.url}/api/workshops/${w.id}/flags/f1/statements?token=${w.tokens.observer}`)).json();
    expect(status).toEqual({ submitted: { [d!.id]: 1, [u!.id]: 1 }, revealed: false });
    expect(reflectionsOf(facilitator.doc).size).toBe(0);

    await relay.kill();
    const again = await restartRelay(relay);
    const watcher = await connectClient(again, w.id, w.tokens.observer);
    expect(reflectionsOf(watcher.doc).size).toBe(0);
    expect(JSON.stringify(Y.encodeStateAsUpdate(watcher.doc))).not.toContain("We mean race");
    const participantReveal = await fetch(`${again.url}/api/workshops/${w.id}/flags/f1/reveal`, { method: "POST", headers: { authorization: `Bearer ${dt}` } });
    expect(participantReveal.status).toBe(403);
    const sizes: number[] = [];
    reflectionsOf(watcher.doc).observe(() => sizes.push(reflectionsOf(watcher.doc).size));
    const reveal = await fetch(`${again.url}/api/workshops/${w.id}/flags/f1/reveal`, { method: "POST", headers: { authorization: `Bearer ${w.tokens.facilitator}` } });
    expect(reveal.status).toBe(200);
    expect(await reveal.json()).toEqual({ revealed: 2 });
    await until(() => reflectionsOf(watcher.doc).size === 2, "both statements to arrive");
    expect(sizes).toEqual([2]);
    const texts = [...reflectionsOf(watcher.doc).values()].map((r) => (r as { text: string; orgId: string }).text).sort();
    expect(texts).toEqual(["We hear: only race.", "We mean race."]);
    // After the reveal, statements go straight in.
    expect((await fetch(`${again.url}/api/workshops/${w.id}/flags/f1/statements`, { method: "POST", headers: { authorization: `Bearer ${dt}`, "content-type": "application/json" }, body: JSON.stringify({ kind: "perspective-making", text: "And more." }) })).status).toBe(201);
    await until(() => reflectionsOf(watcher.doc).size === 3, "a late statement to arrive");
  });
});
