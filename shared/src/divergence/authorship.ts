// Co-construction balance: who wrote the current text of each section, counted by the
// organization of the Yjs client that inserted each character (through `authors`).
import * as Y from "yjs";
import { sectionFragment } from "../doc/layout.js";
import { readAuthors } from "../doc/records.js";
import type { AuthorRecord } from "../doc/types.js";

/** The key under which text from clients of no organization is counted. */
export const UNKNOWN_AUTHOR = "unknown";

function countText(text: Y.XmlText, counts: Map<number, number>): void {
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
    counts.set(item.id.client, (counts.get(item.id.client) ?? 0) + item.content.str.length);
  }
}

function walk(node: Y.XmlFragment | Y.XmlElement, counts: Map<number, number>): void {
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) countText(child, counts);
    else if (child instanceof Y.XmlElement) walk(child, counts);
  }
}

/** Characters of a section's current text per organization id (or "unknown"). */
export function sectionAuthorship(doc: Y.Doc, sectionId: string, authors: ReadonlyMap<number, AuthorRecord> = readAuthors(doc)): Record<string, number> {
  const byClient = new Map<number, number>();
  walk(sectionFragment(doc, sectionId), byClient);
  const out: Record<string, number> = {};
  for (const [client, chars] of byClient) {
    const key = authors.get(client)?.orgId ?? UNKNOWN_AUTHOR;
    out[key] = (out[key] ?? 0) + chars;
  }
  return out;
}
