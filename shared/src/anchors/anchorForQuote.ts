import * as Y from "yjs";
import { sectionFragment } from "../doc/layout.js";
import type { Anchor } from "../doc/types.js";
import { buildTextMap, positionAt, type TextMap } from "../text/textMap.js";

/**
 * The anchor of the character range [from, to) of a section's text (offsets into
 * sectionText()), or null when the range is empty or out of bounds. The start holds on to
 * the first character (assoc 0) and the end to the last (assoc -1), so text typed at either
 * edge stays outside, as y-prosemirror's absolutePositionToRelativePosition does.
 */
export function anchorForRange(doc: Y.Doc, sectionId: string, from: number, to: number, map?: TextMap): Anchor | null {
  if (!(from < to)) return null;
  const textMap = map ?? buildTextMap(sectionFragment(doc, sectionId));
  const start = positionAt(textMap, from, "start");
  const end = positionAt(textMap, to, "end");
  if (!start || !end) return null;
  return {
    start: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(start.type, start.index, 0)),
    end: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(end.type, end.index, -1)),
  };
}

/**
 * The anchor of the `occurrence`-th (from 0) occurrence of `quote` in the section's text,
 * counting left to right without overlap; null when there is no such occurrence.
 * A quote may span blocks, with "\n" where they meet.
 */
export function anchorForQuote(doc: Y.Doc, sectionId: string, quote: string, occurrence = 0): Anchor | null {
  if (quote === "" || occurrence < 0 || !Number.isInteger(occurrence)) return null;
  const map = buildTextMap(sectionFragment(doc, sectionId));
  let at = -1;
  let from = 0;
  for (let i = 0; i <= occurrence; i++) {
    at = map.text.indexOf(quote, from);
    if (at === -1) return null;
    from = at + quote.length;
  }
  return anchorForRange(doc, sectionId, at, at + quote.length, map);
}
