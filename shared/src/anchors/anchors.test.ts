import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { anchorForQuote, appendRichText, heading, paragraph, resolveAnchor, sectionFragment, sectionText } from "../index.js";

function docWith(blocks: Parameters<typeof appendRichText>[1]): Y.Doc {
  const doc = new Y.Doc();
  appendRichText(sectionFragment(doc, "s"), blocks);
  return doc;
}

function firstText(doc: Y.Doc, block = 0): Y.XmlText {
  const el = sectionFragment(doc, "s").get(block) as Y.XmlElement;
  return el.get(0) as Y.XmlText;
}

describe("anchorForQuote / resolveAnchor (contract: relative positions)", () => {
  it("resolves to exactly the quote, and anchors are plain JSON", () => {
    const doc = docWith([paragraph("race does not predict outcomes")]);
    const anchor = anchorForQuote(doc, "s", "does not predict");
    expect(anchor).not.toBeNull();
    expect(JSON.parse(JSON.stringify(anchor))).toEqual(anchor);
    expect(resolveAnchor(doc, "s", anchor!)).toEqual({ text: "does not predict", from: 5, to: 21 });
  });

  it("counts occurrences left to right without overlap", () => {
    const doc = docWith([paragraph("aaaa equity aaaa")]);
    const second = anchorForQuote(doc, "s", "aa", 1);
    expect(resolveAnchor(doc, "s", second!)).toMatchObject({ from: 2, to: 4 });
    expect(resolveAnchor(doc, "s", anchorForQuote(doc, "s", "aa", 2)!)).toMatchObject({ from: 12, to: 14 });
    expect(anchorForQuote(doc, "s", "aa", 4)).toBeNull();
    expect(anchorForQuote(doc, "s", "missing")).toBeNull();
    expect(anchorForQuote(doc, "s", "")).toBeNull();
  });

  it("text typed at either edge falls outside; text typed inside falls inside", () => {
    const doc = docWith([paragraph("abcXYZdef")]);
    const anchor = anchorForQuote(doc, "s", "XYZ")!;
    const text = firstText(doc);
    text.insert(3, "<");
    text.insert(7, ">");
    expect(sectionText(doc, "s")).toBe("abc<XYZ>def");
    expect(resolveAnchor(doc, "s", anchor)?.text).toBe("XYZ");
    text.insert(5, "-");
    expect(resolveAnchor(doc, "s", anchor)?.text).toBe("X-YZ");
  });

  it("moves with the text when text before it changes", () => {
    const doc = docWith([paragraph("one two three")]);
    const anchor = anchorForQuote(doc, "s", "three")!;
    firstText(doc).delete(0, 4);
    firstText(doc).insert(0, "zero and ");
    expect(resolveAnchor(doc, "s", anchor)).toEqual({ text: "three", from: 13, to: 18 });
  });

  it("is detached when all of its text is deleted, attached while some remains", () => {
    const doc = docWith([paragraph("keep this part")]);
    const anchor = anchorForQuote(doc, "s", "this")!;
    firstText(doc).delete(5, 2);
    expect(resolveAnchor(doc, "s", anchor)?.text).toBe("is");
    firstText(doc).delete(5, 2);
    expect(resolveAnchor(doc, "s", anchor)).toBeNull();
  });

  it("is detached when its paragraph is deleted", () => {
    const doc = docWith([paragraph("first"), paragraph("second")]);
    const anchor = anchorForQuote(doc, "s", "second")!;
    sectionFragment(doc, "s").delete(1, 1);
    expect(resolveAnchor(doc, "s", anchor)).toBeNull();
  });

  it("spans blocks, with a newline where they meet, including empty paragraphs and hard breaks", () => {
    const doc = docWith([
      heading(2, "Vision"),
      paragraph(),
      { type: "paragraph", content: [{ type: "text", text: "line" }, { type: "hardBreak" }, { type: "text", text: "next" }] },
    ]);
    expect(sectionText(doc, "s")).toBe("Vision\n\nline\nnext");
    for (const quote of ["on\n\nli", "Vision\n", "\nline", "\n\n", "line\n", "\nnext", "e\nn", "Vision\n\nline\nnext"]) {
      const anchor = anchorForQuote(doc, "s", quote);
      expect(anchor, quote).not.toBeNull();
      expect(resolveAnchor(doc, "s", anchor!)?.text, JSON.stringify(quote)).toBe(quote);
    }
  });

  it("survives a round trip through another document (encoded state and JSON)", () => {
    const doc = docWith([paragraph("shared across clients")]);
    const anchor = JSON.parse(JSON.stringify(anchorForQuote(doc, "s", "across")));
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    expect(resolveAnchor(other, "s", anchor)?.text).toBe("across");
  });

  it("treats a malformed anchor as detached instead of throwing", () => {
    const doc = docWith([paragraph("text")]);
    expect(resolveAnchor(doc, "s", { start: "nonsense", end: 7 })).toBeNull();
    expect(resolveAnchor(doc, "s", { start: { item: { client: 1, clock: 99 } }, end: null })).toBeNull();
    expect(resolveAnchor(doc, "other", anchorForQuote(doc, "s", "text")!)).toBeNull();
  });
});
