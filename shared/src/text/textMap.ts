// The plain-text view of a section (../shared/CONTRACT.md, "Section text and hash") together
// with the map between its character offsets and Yjs positions, so that anchors made from a
// quote and anchors resolved back to text agree with sectionText() character for character.
import * as Y from "yjs";

/** Elements that are textblocks even when they hold no text yet. */
const TEXTBLOCK_NAMES = new Set(["paragraph", "heading", "codeBlock"]);
/** Inline elements that stand for a line break inside a textblock. */
const LINE_BREAK_NAMES = new Set(["hardBreak"]);

type Child = { kind: "text"; text: Y.XmlText; start: number; end: number } | { kind: "inline"; start: number; end: number };

interface Textblock {
  element: Y.XmlElement | null; // null: a bare Y.XmlText directly in the fragment
  start: number;
  end: number;
  children: Child[];
}

/** A position inside a section's content, as Yjs addresses it. */
export interface YPosition {
  type: Y.XmlText | Y.XmlElement;
  index: number;
}

/** A section's plain text and the offset <-> Yjs position map behind it. */
export interface TextMap {
  text: string;
  blocks: Textblock[];
  /** Built on first use by offsetOf(): each type's block and child. */
  byType?: Map<unknown, { block: Textblock; child: number }>;
}

function isTextblock(el: Y.XmlElement): boolean {
  if (TEXTBLOCK_NAMES.has(el.nodeName)) return true;
  for (let item = el._start; item !== null; item = item.right) {
    if (!item.deleted && item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlText) return true;
  }
  return false;
}

/** The text of a Y.XmlText, read from its items (formatting items carry no text). */
function plainText(text: Y.XmlText): string {
  let out = "";
  for (let item = text._start; item !== null; item = item.right) {
    if (!item.deleted && item.content instanceof Y.ContentString) out += item.content.str;
  }
  return out;
}

/** The text an inline element stands for: a line break, or the text it wraps. */
function inlineText(el: Y.XmlElement): string {
  if (LINE_BREAK_NAMES.has(el.nodeName)) return "\n";
  let out = "";
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) out += plainText(child);
    else if (child instanceof Y.XmlElement) out += inlineText(child);
  }
  return out;
}

/** Builds the text map of a fragment. */
export function buildTextMap(fragment: Y.XmlFragment): TextMap {
  const parts: string[] = [];
  const blocks: Textblock[] = [];
  let offset = 0;
  const push = (s: string): void => {
    parts.push(s);
    offset += s.length;
  };
  const textblock = (element: Y.XmlElement | null, children: Array<Y.XmlElement | Y.XmlText | Y.XmlHook>): void => {
    if (blocks.length > 0) push("\n");
    const block: Textblock = { element, start: offset, end: offset, children: [] };
    for (const child of children) {
      const start = offset;
      if (child instanceof Y.XmlText) {
        push(plainText(child));
        block.children.push({ kind: "text", text: child, start, end: offset });
      } else {
        if (child instanceof Y.XmlElement) push(inlineText(child));
        block.children.push({ kind: "inline", start, end: offset });
      }
    }
    block.end = offset;
    blocks.push(block);
  };
  const walk = (children: Array<Y.XmlElement | Y.XmlText | Y.XmlHook>): void => {
    for (const child of children) {
      if (child instanceof Y.XmlText) textblock(null, [child]);
      else if (child instanceof Y.XmlElement) {
        if (isTextblock(child)) textblock(child, child.toArray());
        else walk(child.toArray());
      }
    }
  };
  walk(fragment.toArray());
  return { text: parts.join(""), blocks };
}

function blockAt(map: TextMap, offset: number): Textblock | undefined {
  // Blocks are sorted by start; a binary search keeps long sections fast.
  let lo = 0;
  let hi = map.blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = map.blocks[mid]!;
    if (offset < b.start) hi = mid - 1;
    else if (offset > b.end) lo = mid + 1;
    else return b;
  }
  return undefined;
}

function endOfBlock(block: Textblock): YPosition | null {
  const last = block.children[block.children.length - 1];
  if (last?.kind === "text") return { type: last.text, index: last.end - last.start };
  if (block.element !== null) return { type: block.element, index: block.children.length };
  return null;
}

function startOfBlock(block: Textblock): YPosition | null {
  const first = block.children[0];
  if (first?.kind === "text") return { type: first.text, index: 0 };
  if (block.element !== null) return { type: block.element, index: 0 };
  return null;
}

/**
 * The Yjs position of a boundary between characters. `side` says which character the
 * position holds on to: "after" the one at `offset` (a range's start) or "before" the one
 * ending at `offset` (a range's end), so that the position can be made in the block that
 * holds that character, even when the boundary sits between two blocks.
 */
export function positionAt(map: TextMap, offset: number, side: "start" | "end"): YPosition | null {
  if (offset < 0 || offset > map.text.length) return null;
  if (side === "start") {
    // The character at `offset` is in a block's text, or it is the separator after a block.
    const block = blockAt(map, offset);
    if (!block) return null;
    if (offset === block.end) return endOfBlock(block);
    for (let i = 0; i < block.children.length; i++) {
      const c = block.children[i]!;
      if (offset >= c.start && offset < c.end) {
        return c.kind === "text" ? { type: c.text, index: offset - c.start } : block.element ? { type: block.element, index: i } : null;
      }
    }
    return null;
  }
  // side === "end": the character before `offset` is in a block's text, or it is the separator before a block.
  const block = blockAt(map, offset);
  if (!block) return null;
  if (offset === block.start) return startOfBlock(block);
  for (let i = block.children.length - 1; i >= 0; i--) {
    const c = block.children[i]!;
    if (offset > c.start && offset <= c.end) {
      return c.kind === "text" ? { type: c.text, index: offset - c.start } : block.element ? { type: block.element, index: i + 1 } : null;
    }
  }
  return null;
}

/** The text offset of a Yjs position, or null when it is not inside this map's live content. */
export function offsetOf(map: TextMap, type: Y.AbstractType<unknown>, index: number): number | null {
  if (!map.byType) {
    map.byType = new Map();
    for (const block of map.blocks) {
      if (block.element) map.byType.set(block.element, { block, child: -1 });
      block.children.forEach((c, i) => {
        if (c.kind === "text") map.byType!.set(c.text, { block, child: i });
      });
    }
  }
  const hit = map.byType.get(type);
  if (!hit) return null;
  if (hit.child === -1) {
    if (index >= hit.block.children.length) return hit.block.end;
    return hit.block.children[index]?.start ?? null;
  }
  const c = hit.block.children[hit.child]!;
  return Math.min(c.start + index, c.end);
}

/** Who inserted a character: the Yjs id of its item. */
export interface CharId {
  client: number;
  clock: number;
}

/** The Yjs id of every character of the map's text (null for line breaks between and inside blocks). */
export function charIds(map: TextMap): Array<CharId | null> {
  const out: Array<CharId | null> = [];
  for (const [i, block] of map.blocks.entries()) {
    if (i > 0) out.push(null);
    for (const c of block.children) {
      if (c.kind !== "text") {
        for (let k = c.start; k < c.end; k++) out.push(null);
        continue;
      }
      for (let item = c.text._start; item !== null; item = item.right) {
        if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
        for (let k = 0; k < item.content.str.length; k++) out.push({ client: item.id.client, clock: item.id.clock + k });
      }
    }
  }
  return out;
}
