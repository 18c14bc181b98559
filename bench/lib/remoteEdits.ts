// The edits another participant makes to the section, written into their own Y.Doc exactly
// where TipTap's y-prosemirror binding writes them: into the Y.XmlText of a paragraph.
import { buildTextMap, positionAt, sectionAnnotations, sectionFragment, type Annotation } from "@crosswalk/shared";
import * as Y from "yjs";
import type { SeededRandom } from "./seededRandom.js";

/** One edit: the text offsets it touched in the text before it. */
export interface RemoteEdit {
  kind: "insert" | "delete";
  from: number;
  to: number;
  text: string;
  /** Open annotations whose whole range the edit deleted (they become detached). */
  detached: number;
}

const PHRASES = ["and their families", "in every school", "with care and rigor", "as partners", "without exception", "each year"];

/** Inserts a few words after a random word of the section. */
export function insertWords(doc: Y.Doc, sectionId: string, random: SeededRandom): RemoteEdit {
  const map = buildTextMap(sectionFragment(doc, sectionId));
  const ends = [...map.text.matchAll(/\S(?=\s|$)/g)].map((m) => m.index + 1);
  for (;;) {
    const offset = random.pick(ends);
    // "end": the position holds on to the word's last character, as a caret after it would.
    const at = positionAt(map, offset, "end");
    if (!at || !(at.type instanceof Y.XmlText)) continue;
    const text = ` ${random.pick(PHRASES)}`;
    at.type.insert(at.index, text);
    return { kind: "insert", from: offset, to: offset, text, detached: 0 };
  }
}

/**
 * Deletes a sentence that holds at least one open annotation whole, preferring one that also
 * cuts into a passage starting before it: then the passage's annotation count changes, which
 * only a recomputation of the decorations shows (mapping the old ones through the edit cannot).
 * Null when no sentence holds an annotation.
 */
export function deleteAnnotatedSentence(doc: Y.Doc, sectionId: string, records: readonly Annotation[], random: SeededRandom): RemoteEdit | null {
  const map = buildTextMap(sectionFragment(doc, sectionId));
  const text = map.text;
  const { passages } = sectionAnnotations(doc, sectionId, records.filter((a) => !a.resolved), map);
  const inside = (p: (typeof passages)[number], from: number, to: number): number => p.items.filter((v) => v.range!.from >= from && v.range!.to <= to).length;
  const strong: Array<[number, number, number]> = [];
  const weak: Array<[number, number, number]> = [];
  for (const m of text.matchAll(/(?<=^|\n| )[A-Z][^.\n]*\.(?: |(?=\n)|$)/g)) {
    const from = m.index;
    const to = from + m[0].length;
    // Leave every block some text: an emptied paragraph is another kind of edit.
    const startsBlock = from === 0 || text[from - 1] === "\n";
    const endsBlock = to === text.length || text[to] === "\n";
    if (startsBlock && endsBlock) continue;
    const touching = passages.filter((p) => p.from < to && p.to > from);
    const detached = touching.reduce((n, p) => n + inside(p, from, to), 0);
    if (detached === 0) continue;
    (touching.some((p) => p.from < from && inside(p, from, to) > 0) ? strong : weak).push([from, to, detached]);
  }
  const candidates = strong.length > 0 ? strong : weak;
  if (candidates.length === 0) return null;
  const [from, to, detached] = random.pick(candidates);
  const start = positionAt(map, from, "start");
  const end = positionAt(map, to, "end");
  if (!start || !end || start.type !== end.type || !(start.type instanceof Y.XmlText)) throw new Error(`the sentence at ${from}-${to} is not in one text node`);
  start.type.delete(start.index, end.index - start.index);
  return { kind: "delete", from, to, text: text.slice(from, to), detached };
}

/** The i-th edit of a run: even ones insert words, odd ones delete an annotated sentence. */
export function nthRemoteEdit(doc: Y.Doc, sectionId: string, records: readonly Annotation[], random: SeededRandom, i: number): RemoteEdit {
  if (i % 2 === 0) return insertWords(doc, sectionId, random);
  const edit = deleteAnnotatedSentence(doc, sectionId, records, random);
  if (!edit) throw new Error("no sentence holds an annotation any more");
  return edit;
}
