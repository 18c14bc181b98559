import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { appendRichText, bulletList, heading, paragraph, sectionFragment, sectionHash, sectionText, sha256Hex } from "../index.js";

function docWith(blocks: Parameters<typeof appendRichText>[1]): Y.Doc {
  const doc = new Y.Doc();
  appendRichText(sectionFragment(doc, "s"), blocks);
  return doc;
}

describe("sectionText (contract: Section text and hash)", () => {
  it("joins textblocks in document order with one newline, wherever they are nested", () => {
    const doc = docWith([
      heading(2, "Vision"),
      paragraph("Every student is known."),
      bulletList(["Names gaps", "Shares data"]),
      { type: "blockquote", content: [paragraph("Quoted")] },
    ]);
    expect(sectionText(doc, "s")).toBe("Vision\nEvery student is known.\nNames gaps\nShares data\nQuoted");
  });

  it("counts an empty paragraph as an empty line and a hard break as a newline; a rule contributes nothing", () => {
    const doc = docWith([
      paragraph("one"),
      paragraph(),
      { type: "paragraph", content: [{ type: "text", text: "two" }, { type: "hardBreak" }, { type: "text", text: "three" }] },
      { type: "horizontalRule" },
      paragraph("four"),
    ]);
    expect(sectionText(doc, "s")).toBe("one\n\ntwo\nthree\nfour");
  });

  it("ignores marks: bold and links are plain text", () => {
    const doc = docWith([
      { type: "paragraph", content: [{ type: "text", text: "bold", marks: [{ type: "bold" }] }, { type: "text", text: " and plain" }] },
    ]);
    expect(sectionText(doc, "s")).toBe("bold and plain");
  });

  it("counts UTF-16 code units as Yjs does (emoji, right-to-left text)", () => {
    const doc = docWith([paragraph("😀 العدالة")]);
    expect(sectionText(doc, "s").length).toBe("😀 العدالة".length);
  });

  it("is empty for a section that does not exist", () => {
    expect(sectionText(new Y.Doc(), "nope")).toBe("");
  });

  it("sectionHash is the lowercase hex SHA-256 of the UTF-8 text", async () => {
    const doc = docWith([paragraph("abc")]);
    // SHA-256("abc"), a published test vector.
    expect(await sectionHash(doc, "s")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});
