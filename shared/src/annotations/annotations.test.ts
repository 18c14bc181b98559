import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  anchorForQuote,
  appendRichText,
  canEditOrDelete,
  canResolve,
  clusterRanges,
  DEFAULT_DIMENSIONS,
  draftAnnotation,
  draftReply,
  filterAnnotations,
  metaOf,
  NO_FILTER,
  paragraph,
  sectionAnnotations,
  sectionFragment,
  workshopDimensions,
  type Annotation,
} from "../index.js";

const dims = DEFAULT_DIMENSIONS.map((d) => d.id);
const text = "Equity means race does not predict outcomes for any student.";

function docWith(t = text): Y.Doc {
  const doc = new Y.Doc();
  appendRichText(sectionFragment(doc, "s"), [paragraph(t)]);
  return doc;
}

function annotate(doc: Y.Doc, quote: string, orgId: string, stance: Annotation["stance"] = "concern", createdAt = 1): Annotation {
  const start = text.indexOf(quote);
  const drafted = draftAnnotation(doc, "s", start, start + quote.length, { stance, dimensions: ["race-ethnicity"], body: "b" }, { orgId, author: "A" }, dims, createdAt, `${orgId}-${quote}`);
  if (!drafted.ok) throw new Error(drafted.message);
  return drafted.annotation;
}

describe("draftAnnotation", () => {
  it("makes a record whose anchor covers the selection and whose quote is its text", () => {
    const doc = docWith();
    const a = annotate(doc, "race does not predict", "d");
    expect(a.quote).toBe("race does not predict");
    expect(a.anchor).toEqual(anchorForQuote(doc, "s", "race does not predict"));
  });

  it("refuses an empty selection, blank text, an unknown dimension and a body over 10,000 characters", () => {
    const doc = docWith();
    const who = { orgId: "d", author: "A" };
    const input = { stance: "note" as const, dimensions: [], body: "" };
    expect(draftAnnotation(doc, "s", 5, 5, input, who, dims)).toEqual({ ok: false, message: "Select the passage you want to annotate first." });
    expect(draftAnnotation(doc, "s", 6, 7, input, who, dims)).toMatchObject({ ok: false, message: expect.stringContaining("not only spaces") });
    expect(draftAnnotation(doc, "s", 0, 6, { ...input, dimensions: ["astrology"] }, who, dims)).toMatchObject({ ok: false, message: "Unknown equity dimension: astrology." });
    expect(draftAnnotation(doc, "s", 0, 6, { ...input, body: "x".repeat(10_001) }, who, dims)).toMatchObject({ ok: false, message: expect.stringContaining("too long") });
    expect(draftAnnotation(doc, "s", 0, 999, input, who, dims)).toMatchObject({ ok: false });
  });

  it("a reply belongs to the replier's organization and shares the passage", () => {
    const doc = docWith();
    const parent = annotate(doc, "outcomes", "d");
    const reply = draftReply(parent, "We read this differently", { orgId: "u", author: "B" }, 2, "r1");
    expect(reply).toMatchObject({ ok: true, annotation: { orgId: "u", parentId: parent.id, anchor: parent.anchor, quote: "outcomes" } });
    expect(draftReply(parent, "  ", { orgId: "u", author: "B" })).toMatchObject({ ok: false });
  });
});

describe("sectionAnnotations", () => {
  it("groups overlapping annotations into one passage; touching ranges stay apart; replies go under their annotation", () => {
    const doc = docWith();
    const a = annotate(doc, "race does not", "d", "endorse");
    const b = annotate(doc, "not predict", "u", "concern");
    const c = annotate(doc, " outcomes", "s", "note");
    const reply = draftReply(a, "agreed", { orgId: "u", author: "B" }, 5, "r");
    if (!reply.ok) throw new Error();
    const grouped = sectionAnnotations(doc, "s", [c, b, a, reply.annotation]);
    expect(grouped.passages.map((p) => p.text)).toEqual(["race does not predict", " outcomes"]);
    expect(grouped.passages[0]!.items.map((v) => v.annotation.orgId)).toEqual(["d", "u"]);
    expect(grouped.passages[0]!.items[0]!.replies.map((r) => r.body)).toEqual(["agreed"]);
    expect(clusterRanges([{ from: 0, to: 5 }, { from: 5, to: 8 }])).toHaveLength(2);
  });

  it("keeps an annotation whose text was deleted as detached, with its original quote", () => {
    const doc = docWith();
    const a = annotate(doc, "predict", "d");
    const t = (sectionFragment(doc, "s").get(0) as Y.XmlElement).get(0) as Y.XmlText;
    t.delete(text.indexOf("predict"), "predict".length);
    const grouped = sectionAnnotations(doc, "s", [a]);
    expect(grouped.passages).toEqual([]);
    expect(grouped.detached.map((v) => v.annotation.quote)).toEqual(["predict"]);
  });

  it("filters by organization, stance, dimension and open/resolved", () => {
    const doc = docWith();
    const a = annotate(doc, "Equity", "d", "endorse");
    const b = { ...annotate(doc, "student", "u", "question"), resolved: true, dimensions: ["belonging"] };
    const grouped = sectionAnnotations(doc, "s", [a, b]);
    const only = (f: Partial<typeof NO_FILTER>) => filterAnnotations(grouped, { ...NO_FILTER, ...f }).passages.flatMap((p) => p.items.map((v) => v.annotation.id));
    expect(only({ orgIds: new Set(["u"]) })).toEqual([b.id]);
    expect(only({ stances: new Set(["endorse"] as const) })).toEqual([a.id]);
    expect(only({ dimensions: new Set(["belonging"]) })).toEqual([b.id]);
    expect(only({ status: "open" })).toEqual([a.id]);
    expect(only({ status: "resolved" })).toEqual([b.id]);
  });
});

describe("permissions and dimensions", () => {
  it("the annotating organization or a facilitator resolves; authors edit and delete their own", () => {
    const a = { orgId: "d", author: "Ana" } as Annotation;
    expect(canResolve({ role: "participant", orgId: "d", name: "Bo" }, a)).toBe(true);
    expect(canResolve({ role: "participant", orgId: "u", name: "Ana" }, a)).toBe(false);
    expect(canResolve({ role: "facilitator", orgId: null, name: "F" }, a)).toBe(true);
    expect(canEditOrDelete({ role: "participant", orgId: "d", name: "Ana" }, a)).toBe(true);
    expect(canEditOrDelete({ role: "participant", orgId: "d", name: "Bo" }, a)).toBe(false);
  });

  it("a workshop's dimensions are the defaults plus its own, invalid entries skipped", () => {
    const doc = new Y.Doc();
    metaOf(doc).set("dimensions", [{ id: "rural", label: "Rural students", phrases: ["rural"] }, { id: "BAD ID", label: "x", phrases: [] }]);
    const ids = workshopDimensions(doc).map((d) => d.id);
    expect(ids.slice(0, 17)).toEqual(DEFAULT_DIMENSIONS.map((d) => d.id));
    expect(ids.slice(17)).toEqual(["rural"]);
  });
});
