// Rich text as ProseMirror JSON, written into and read from a section's Y.XmlFragment in
// exactly the shape @tiptap/y-tiptap (TipTap's y-prosemirror) uses: an element per node
// (nodeName = node type, attributes = non-null node attrs), consecutive text nodes in one
// Y.XmlText whose formatting attributes are the marks ({ bold: {} }, { link: { href } }).
import * as Y from "yjs";

/** A mark on a text node, as ProseMirror JSON. */
export interface RichMark {
  type: string;
  attrs?: Record<string, unknown>;
}

/** A node, as ProseMirror JSON (`text` only on text nodes). */
export interface RichNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: RichNode[];
  text?: string;
  marks?: RichMark[];
}

/** A paragraph holding plain text (an empty paragraph when text is empty). */
export function paragraph(text = ""): RichNode {
  return text === "" ? { type: "paragraph" } : { type: "paragraph", content: [{ type: "text", text }] };
}

/** A heading of the given level. */
export function heading(level: 1 | 2 | 3 | 4, text: string): RichNode {
  return { type: "heading", attrs: { level }, content: [{ type: "text", text }] };
}

/** A bullet list with one plain paragraph per item (one empty item when items is empty). */
export function bulletList(items: readonly string[]): RichNode {
  const texts = items.length === 0 ? [""] : items;
  return { type: "bulletList", content: texts.map((t) => ({ type: "listItem", content: [paragraph(t)] })) };
}

function marksToAttributes(marks: readonly RichMark[] | undefined): Record<string, unknown> {
  const attrs: Record<string, unknown> = {};
  for (const mark of marks ?? []) attrs[mark.type] = mark.attrs ?? {};
  return attrs;
}

function toYNodes(nodes: readonly RichNode[]): Array<Y.XmlElement | Y.XmlText> {
  const out: Array<Y.XmlElement | Y.XmlText> = [];
  let run: RichNode[] = [];
  const flushRun = (): void => {
    if (run.length === 0) return;
    const text = new Y.XmlText();
    text.applyDelta(run.map((n) => ({ insert: n.text ?? "", attributes: marksToAttributes(n.marks) })));
    out.push(text);
    run = [];
  };
  for (const node of nodes) {
    if (node.type === "text") {
      if ((node.text ?? "") !== "") run.push(node);
      continue;
    }
    flushRun();
    const el = new Y.XmlElement(node.type);
    for (const [key, value] of Object.entries(node.attrs ?? {})) {
      // y-tiptap stores attribute values as they are (numbers stay numbers).
      if (value !== null && value !== undefined) el.setAttribute(key, value as string);
    }
    el.insert(0, toYNodes(node.content ?? []));
    out.push(el);
  }
  flushRun();
  return out;
}

/** Appends rich-text blocks at the end of a fragment, in one transaction if the fragment is bound to a doc. */
export function appendRichText(fragment: Y.XmlFragment, blocks: readonly RichNode[]): void {
  fragment.insert(fragment.length, toYNodes(blocks));
}

function fromYText(text: Y.XmlText): RichNode[] {
  const out: RichNode[] = [];
  for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
    if (typeof op.insert !== "string") continue;
    const marks = Object.entries(op.attributes ?? {}).map(([type, attrs]) => {
      // y-tiptap names overlapping marks `${name}--${hash}`; the mark type is the part before.
      const name = type.replace(/--[A-Za-z0-9+/=]+$/, "");
      return attrs && typeof attrs === "object" && Object.keys(attrs).length > 0
        ? { type: name, attrs: attrs as Record<string, unknown> }
        : { type: name };
    });
    out.push(marks.length > 0 ? { type: "text", text: op.insert, marks } : { type: "text", text: op.insert });
  }
  return out;
}

function fromYNode(node: Y.XmlElement | Y.XmlText | Y.XmlHook): RichNode[] {
  if (node instanceof Y.XmlText) return fromYText(node);
  if (!(node instanceof Y.XmlElement)) return [];
  const attrs = node.getAttributes() as Record<string, unknown>;
  const content = node.toArray().flatMap((child) => fromYNode(child));
  const out: RichNode = { type: node.nodeName };
  if (Object.keys(attrs).length > 0) out.attrs = attrs;
  if (content.length > 0) out.content = content;
  return [out];
}

/** Reads a fragment back as ProseMirror JSON blocks. */
export function readRichText(fragment: Y.XmlFragment): RichNode[] {
  return fragment.toArray().flatMap((child) => fromYNode(child));
}
