// The browser's text map must agree with shared's sectionText() character for character, or
// anchors made in the browser and by scripts would differ.
import { anchorForRange, appendRichText, bulletList, heading, paragraph, resolveAnchor, sectionFragment, sectionText, type RichNode } from "@crosswalk/shared";
import { getSchema } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { absolutePositionToRelativePosition, initProseMirrorDoc, relativePositionToAbsolutePosition } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { buildPmTextMap, offsetToPos, posToOffset } from "./pmTextMap.js";

const schema = getSchema([StarterKit]);

function both(blocks: RichNode[]) {
  const doc = new Y.Doc();
  const fragment = sectionFragment(doc, "s");
  appendRichText(fragment, blocks);
  const { doc: pmDoc, meta } = initProseMirrorDoc(fragment, schema);
  return { doc, fragment, pmDoc, mapping: meta.mapping };
}

const samples: RichNode[][] = [
  [paragraph("Equity means every student is known.")],
  [heading(2, "Vision"), paragraph(), paragraph("after an empty line"), bulletList(["one", "two"]), { type: "blockquote", content: [paragraph("quoted")] }],
  [{ type: "paragraph", content: [{ type: "text", text: "bold", marks: [{ type: "bold" }] }, { type: "text", text: " and " }, { type: "hardBreak" }, { type: "text", text: "after a break" }] }, { type: "horizontalRule" }, paragraph("😀 emoji and العربية")],
];

describe("pmTextMap", () => {
  it("gives the same text as sectionText() for the same content", () => {
    for (const blocks of samples) {
      const { doc, pmDoc } = both(blocks);
      expect(buildPmTextMap(pmDoc).text).toBe(sectionText(doc, "s"));
    }
  });

  it("positions and offsets convert both ways at every character", () => {
    for (const blocks of samples) {
      const { pmDoc } = both(blocks);
      const map = buildPmTextMap(pmDoc);
      for (let offset = 0; offset <= map.text.length; offset++) {
        const pos = offsetToPos(map, offset);
        expect(pos, `offset ${offset}`).not.toBeNull();
        expect(posToOffset(map, pos!), `offset ${offset} -> pos ${pos}`).toBe(offset);
      }
    }
  });

  it("a range selected in the editor makes an anchor that y-prosemirror resolves to the same positions", () => {
    for (const blocks of samples) {
      const { doc, fragment, pmDoc, mapping } = both(blocks);
      const map = buildPmTextMap(pmDoc);
      for (let from = 0; from < map.text.length; from += 3) {
        for (const len of [1, 4, 9]) {
          const to = Math.min(map.text.length, from + len);
          const anchor = anchorForRange(doc, "s", from, to);
          expect(anchor).not.toBeNull();
          expect(resolveAnchor(doc, "s", anchor!)?.text).toBe(map.text.slice(from, to));
          // y-prosemirror turns our relative positions into the editor positions we expect …
          const start = relativePositionToAbsolutePosition(doc, fragment, Y.createRelativePositionFromJSON(anchor!.start), mapping);
          const end = relativePositionToAbsolutePosition(doc, fragment, Y.createRelativePositionFromJSON(anchor!.end), mapping);
          // (y-tiptap answers null for text positions at the very start of the document, a
          // guard of its own against drag-and-drop misresolution; our decorations resolve offsets themselves.)
          const atDocStart = offsetToPos(map, from)! <= 1;
          if (map.text[from] !== "\n" && !(atDocStart && start === null)) expect(start, `start of ${JSON.stringify(map.text.slice(from, to))}`).toBe(offsetToPos(map, from));
          if (map.text[to - 1] !== "\n") expect(end, `end of ${JSON.stringify(map.text.slice(from, to))}`).toBe(offsetToPos(map, to));
          // … and a position it makes inside text is one of ours (same item, same association apart).
          const pos = offsetToPos(map, from)!;
          const theirs = Y.createAbsolutePositionFromRelativePosition(absolutePositionToRelativePosition(pos, fragment, mapping), doc);
          const ours = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(anchor!.start), doc);
          if (map.text[from] !== "\n" && theirs && ours) {
            expect(theirs.type).toBe(ours.type);
            expect(theirs.index).toBe(ours.index);
          }
        }
      }
    }
  });
});
