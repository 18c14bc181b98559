import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  anchorForQuote,
  appendRichText,
  consentSummary,
  paragraph,
  sectionAuthorship,
  sectionConsent,
  sectionFragment,
  sectionHash,
  sectionHotspots,
  rankHotspots,
  setAuthor,
  stancesDisagree,
  type Annotation,
  type Consent,
  type Stance,
} from "../index.js";

const TEXT = "Leaders name and interrupt the practices that sustain disparities in every school.";

function docWith(text = TEXT): Y.Doc {
  const doc = new Y.Doc();
  appendRichText(sectionFragment(doc, "s"), [paragraph(text)]);
  return doc;
}

let n = 0;
function note(doc: Y.Doc, quote: string, orgId: string, stance: Stance, extra: Partial<Annotation> = {}): Annotation {
  return { id: `a${n++}`, sectionId: "s", orgId, author: "x", stance, dimensions: [], body: "", anchor: anchorForQuote(doc, "s", quote)!, quote, createdAt: n, ...extra };
}

describe("hotspots (contract: Divergence analysis)", () => {
  it("an endorsement overlapping another organization's concern is a hotspot; its quote is the union; score counts positioned organizations", () => {
    const doc = docWith();
    const hotspots = sectionHotspots(doc, "s", [
      note(doc, "interrupt the practices", "district", "endorse"),
      note(doc, "practices that sustain", "uni", "concern"),
      note(doc, "the practices", "state", "question"),
    ]);
    expect(hotspots).toHaveLength(1);
    expect(hotspots[0]).toMatchObject({ quote: "interrupt the practices that sustain", orgs: { district: ["endorse"], uni: ["concern"], state: ["question"] }, score: 2 });
  });

  it("two organizations proposing alternatives disagree; one organization's own endorse and concern do not", () => {
    expect(stancesDisagree(new Map([["a", new Set<Stance>(["alternative"])], ["b", new Set<Stance>(["alternative"])]]))).toBe(true);
    expect(stancesDisagree(new Map([["a", new Set<Stance>(["endorse", "concern"])]]))).toBe(false);
    expect(stancesDisagree(new Map([["a", new Set<Stance>(["question"])], ["b", new Set<Stance>(["note", "endorse"])]]))).toBe(false);
    expect(stancesDisagree(new Map([["a", new Set<Stance>(["endorse"])], ["b", new Set<Stance>(["endorse"])]]))).toBe(false);
  });

  it("ranges that only touch do not overlap; resolved, detached annotations and replies do not count", () => {
    const doc = docWith();
    const touching = [note(doc, "Leaders name", "a", "endorse"), note(doc, " and interrupt", "b", "concern")];
    expect(sectionHotspots(doc, "s", touching)).toEqual([]);
    const resolved = [note(doc, "every school", "a", "endorse"), note(doc, "every school", "b", "concern", { resolved: true })];
    expect(sectionHotspots(doc, "s", resolved)).toEqual([]);
    const reply = [note(doc, "disparities", "a", "endorse"), note(doc, "disparities", "b", "alternative", { parentId: "x" })];
    expect(sectionHotspots(doc, "s", reply)).toEqual([]);
    const gone = [note(doc, "sustain", "a", "endorse"), note(doc, "sustain", "b", "alternative")];
    ((sectionFragment(doc, "s").get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(TEXT.indexOf("sustain"), "sustain".length);
    expect(sectionHotspots(doc, "s", gone)).toEqual([]);
  });

  it("ranks by score, highest first", () => {
    const doc = docWith();
    const ranked = rankHotspots(
      [
        ...sectionHotspots(doc, "s", [note(doc, "Leaders", "a", "endorse"), note(doc, "Leaders", "b", "concern")]),
        ...sectionHotspots(doc, "s", [note(doc, "school", "a", "endorse"), note(doc, "school", "b", "concern"), note(doc, "school", "c", "alternative")]),
      ],
      ["s"],
    );
    expect(ranked.map((h) => h.score)).toEqual([3, 2]);
  });
});

describe("authorship", () => {
  it("counts current characters per organization of the inserting client; deleted text does not count; unknown clients are 'unknown'", () => {
    const doc = new Y.Doc();
    const a = new Y.Doc();
    const b = new Y.Doc();
    const c = new Y.Doc();
    setAuthor(doc, a.clientID, { orgId: "district", name: "A" });
    setAuthor(doc, b.clientID, { orgId: "uni", name: "B" });
    setAuthor(doc, c.clientID, { orgId: null, name: "Facilitator" });
    const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
    const textIn = (d: Y.Doc) => (sectionFragment(d, "s").get(0) as Y.XmlElement).get(0) as Y.XmlText;
    appendRichText(sectionFragment(a, "s"), [paragraph("district words ")]);
    sync(a, b);
    textIn(b).insert(textIn(b).length, "university");
    textIn(b).delete(0, 9); // deletes "district " (district's characters)
    sync(b, c);
    textIn(c).insert(0, "!!");
    for (const d of [a, b, c]) sync(d, doc);
    expect(sectionAuthorship(doc, "s")).toEqual({ district: "words ".length, uni: "university".length, unknown: 2 });
  });
});

describe("consent", () => {
  const consent = (orgId: string, level: Consent["level"], contentHash: string, at = 1): Consent => ({ sectionId: "s", orgId, level, author: "x", at, contentHash });

  it("is agreed when every organization's consent is current and none blocks or needs discussion", async () => {
    const doc = docWith();
    const hash = await sectionHash(doc, "s");
    const state = sectionConsent("s", hash, ["a", "b"], [consent("a", "endorse", hash), consent("b", "can-live-with", hash)]);
    expect(state).toEqual({ agreed: true, stale: [], missing: [], blocking: [] });
    expect(consentSummary(state)).toBe("agreed");
  });

  it("turns stale when the text changes after consent; missing and blocking are reported", async () => {
    const doc = docWith();
    const before = await sectionHash(doc, "s");
    ((sectionFragment(doc, "s").get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, "Edited: ");
    const after = await sectionHash(doc, "s");
    expect(after).not.toBe(before);
    const state = sectionConsent("s", after, ["a", "b", "c", "d"], [consent("a", "endorse", before), consent("b", "block", after), consent("c", "needs-discussion", before)]);
    expect(state).toEqual({ agreed: false, stale: ["a", "c"], missing: ["d"], blocking: ["b"] });
    expect(consentSummary(state)).toBe("blocked");
  });

  it("the latest consent of an organization counts", async () => {
    const hash = "f".repeat(64);
    const state = sectionConsent("s", hash, ["a"], [consent("a", "block", hash, 1), consent("a", "endorse", hash, 2)]);
    expect(state.agreed).toBe(true);
  });
});
