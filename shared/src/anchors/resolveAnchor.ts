import * as Y from "yjs";
import { sectionFragment } from "../doc/layout.js";
import type { Anchor } from "../doc/types.js";
import { buildTextMap, offsetOf, type TextMap } from "../text/textMap.js";

/** An attached anchor's current range in sectionText() and the text it covers. */
export interface ResolvedAnchor {
  text: string;
  from: number;
  to: number;
}

function toAbsolute(doc: Y.Doc, json: unknown): Y.AbsolutePosition | null {
  if (json === null || typeof json !== "object") return null;
  try {
    return Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(json), doc);
  } catch {
    // A record from another client may hold anything; a malformed position is simply detached.
    return null;
  }
}

/**
 * Resolves an anchor to its current range, or null when it is detached: an end no longer
 * resolves into the section's live text, or the start no longer lies before the end
 * (all of the quoted text was deleted).
 */
export function resolveAnchor(doc: Y.Doc, sectionId: string, anchor: Anchor, map?: TextMap): ResolvedAnchor | null {
  if (anchor === null || typeof anchor !== "object") return null;
  const start = toAbsolute(doc, anchor.start);
  const end = toAbsolute(doc, anchor.end);
  if (!start || !end) return null;
  const textMap = map ?? buildTextMap(sectionFragment(doc, sectionId));
  const from = offsetOf(textMap, start.type, start.index);
  const to = offsetOf(textMap, end.type, end.index);
  if (from === null || to === null || !(from < to)) return null;
  return { text: textMap.text.slice(from, to), from, to };
}
