// Typing into the shared definition's first paragraph, one whole word at a time, so that a
// test can count every word it typed in the merged text (no runner APIs here).
import { DEFINITION_SECTION_ID, sectionFragment } from "@crosswalk/shared";
import * as Y from "yjs";

/** The Y.XmlText of the definition section's first paragraph; created when `create` is set. */
export function definitionText(doc: Y.Doc, create = false): Y.XmlText {
  const p = sectionFragment(doc, DEFINITION_SECTION_ID).get(0);
  if (!(p instanceof Y.XmlElement)) throw new Error("the definition section has no first paragraph");
  const first = p.get(0);
  if (first instanceof Y.XmlText) return first;
  if (!create) throw new Error("the definition's first paragraph has no text yet");
  p.insert(0, [new Y.XmlText()]);
  return p.get(0) as Y.XmlText;
}

/**
 * Inserts `word` and a space at a random word boundary (the start, or just after a space).
 * Each insertion is one Yjs item, so concurrent insertions never split another word.
 */
export function insertWord(doc: Y.Doc, word: string, random: () => number = Math.random): void {
  const text = definitionText(doc);
  const boundaries = wordBoundaries(text.toString());
  text.insert(boundaries[Math.floor(random() * boundaries.length)]!, `${word} `);
}

/** Where a word may go without splitting another: the start, and just after each space. */
export function wordBoundaries(text: string): number[] {
  const boundaries = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === " ") boundaries.push(i + 1);
  return boundaries;
}

/** How many times each word occurs in a text. */
export function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of text.split(/\s+/)) if (w !== "") counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}
