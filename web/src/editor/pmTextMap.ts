// The same plain-text view of a section as shared's sectionText(), read from the ProseMirror
// document, so editor positions and text offsets (and so anchors) convert both ways:
// textblocks joined by "\n", a hard break is "\n", other inline leaves contribute nothing.
import type { Node as PMNode } from "@tiptap/pm/model";

interface Piece {
  /** Text offsets [from, to) and the document position of `from`. */
  from: number;
  to: number;
  pos: number;
  /** Positions this piece spans (a text node: its length; a leaf: its node size). */
  size: number;
}

interface Block {
  from: number;
  to: number;
  /** Position of the start of the block's content. */
  pos: number;
  /** Position just after the block's content. */
  end: number;
  pieces: Piece[];
}

/** A ProseMirror document's plain text and the offset <-> position map behind it. */
export interface PmTextMap {
  text: string;
  blocks: Block[];
}

/** Builds the text map of a ProseMirror document. */
export function buildPmTextMap(doc: PMNode): PmTextMap {
  const parts: string[] = [];
  const blocks: Block[] = [];
  let offset = 0;
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    if (blocks.length > 0) {
      parts.push("\n");
      offset += 1;
    }
    const block: Block = { from: offset, to: offset, pos: pos + 1, end: pos + 1 + node.content.size, pieces: [] };
    node.forEach((child, childOffset) => {
      const at = pos + 1 + childOffset;
      const text = child.isText ? (child.text ?? "") : child.type.name === "hardBreak" ? "\n" : "";
      block.pieces.push({ from: offset, to: offset + text.length, pos: at, size: child.nodeSize });
      parts.push(text);
      offset += text.length;
    });
    block.to = offset;
    blocks.push(block);
    return false;
  });
  return { text: parts.join(""), blocks };
}

function blockForOffset(map: PmTextMap, offset: number): Block | undefined {
  let lo = 0;
  let hi = map.blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = map.blocks[mid]!;
    if (offset < b.from) hi = mid - 1;
    else if (offset > b.to) lo = mid + 1;
    else return b;
  }
  return undefined;
}

/** The document position of a text offset (null when out of range). */
export function offsetToPos(map: PmTextMap, offset: number): number | null {
  const block = blockForOffset(map, offset);
  if (!block) return null;
  for (const p of block.pieces) {
    if (offset < p.to) return p.pos + (p.size === p.to - p.from ? offset - p.from : 0);
    if (offset === p.to && p.to > p.from) return p.pos + p.size;
  }
  return block.pieces.length === 0 ? block.pos : block.end;
}

/** The text offset of a document position (positions between blocks snap to the nearest block edge). */
export function posToOffset(map: PmTextMap, pos: number): number {
  let lo = 0;
  let hi = map.blocks.length - 1;
  let block: Block | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = map.blocks[mid]!;
    if (pos < b.pos) hi = mid - 1;
    else if (pos > b.end) lo = mid + 1;
    else {
      block = b;
      break;
    }
  }
  if (!block) {
    // Between blocks: the end of the block before, or the start of the first.
    const before = map.blocks[hi];
    return before ? before.to : 0;
  }
  let offset = block.from;
  for (const p of block.pieces) {
    if (pos <= p.pos) return offset;
    if (pos < p.pos + p.size) return p.size === p.to - p.from ? p.from + (pos - p.pos) : p.to;
    offset = p.to;
  }
  return block.to;
}
