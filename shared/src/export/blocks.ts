// The layout vocabulary every export format renders: a closed set of blocks and inline runs,
// with text cleaned, links checked and heading levels fixed once here, so each renderer is a
// switch over a few cases and none of them sees raw document JSON. `richToBlocks` turns a
// section's ProseMirror JSON (TipTap's StarterKit nodes and marks) into these blocks.
import type { RichMark, RichNode } from "../doc/richText.js";
import { cleanText } from "./cleanText.js";
import { textDirection } from "./textDirection.js";

/** A run of text with the marks the editor gives it; `href` only for http(s) and mailto links. */
export interface InlineText {
  type: "text";
  text: string;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  strike: boolean;
  code: boolean;
  href: string | null;
}

/** A line break inside a paragraph. */
export interface InlineBreak {
  type: "break";
}

/** Inline content. */
export type ExportInline = InlineText | InlineBreak;

/** The title page. */
export interface TitlePageBlock {
  type: "titlePage";
  title: string;
  subtitle: string;
  organizationsLabel: string;
  organizations: string[];
  details: string[];
}

/** Outline level 1 is a section or appendix title; the document title is the title page's. */
export type OutlineLevel = 1 | 2 | 3 | 4 | 5;

/** A heading. */
export interface HeadingBlock {
  type: "heading";
  level: OutlineLevel;
  inlines: ExportInline[];
  rtl: boolean;
}

/** A paragraph; "muted" for status lines, "notice" for what the reader must not miss. */
export interface ParagraphBlock {
  type: "paragraph";
  inlines: ExportInline[];
  rtl: boolean;
  tone: "normal" | "muted" | "notice";
}

/** A bullet or numbered list; each item is blocks (a paragraph, perhaps a nested list). */
export interface ListBlock {
  type: "list";
  ordered: boolean;
  start: number;
  items: ExportBlock[][];
}

/** A block quote. */
export interface QuoteBlock {
  type: "quote";
  blocks: ExportBlock[];
}

/** Preformatted code. */
export interface CodeBlock {
  type: "code";
  text: string;
}

/** A horizontal rule. */
export interface RuleBlock {
  type: "rule";
}

/** A table of plain-text cells ("\n" separates lines in a cell); `widths` are relative column widths. */
export interface TableBlock {
  type: "table";
  header: string[];
  rows: string[][];
  widths: number[];
}

/** Where paged formats start a new page. */
export interface PageBreakBlock {
  type: "pageBreak";
}

/** Any block. */
export type ExportBlock = TitlePageBlock | HeadingBlock | ParagraphBlock | ListBlock | QuoteBlock | CodeBlock | RuleBlock | TableBlock | PageBreakBlock;

const LINK = /^(?:https?:\/\/[^\s/?#\\]+(?:[/?#]\S*)?|mailto:\S+)$/i;

/**
 * The link target if it is an absolute http(s) or mailto URL, with characters that could end
 * an attribute or a Markdown destination percent-encoded; null otherwise (javascript:, data:,
 * relative and malformed targets are dropped, their text kept).
 */
export function safeHref(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const href = cleanText(value).trim();
  if (href.length > 2048 || !LINK.test(href)) return null;
  return href.replace(/["'<>`\\{}|^()[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** Plain text of inline runs (breaks as newlines). */
export function inlineText(inlines: readonly ExportInline[]): string {
  return inlines.map((i) => (i.type === "text" ? i.text : "\n")).join("");
}

function markFlags(marks: readonly RichMark[] | undefined): Omit<InlineText, "type" | "text"> {
  const flags = { bold: false, italic: false, underline: false, strike: false, code: false, href: null as string | null };
  for (const mark of marks ?? []) {
    if (mark.type === "bold" || mark.type === "strong") flags.bold = true;
    else if (mark.type === "italic" || mark.type === "em") flags.italic = true;
    else if (mark.type === "underline") flags.underline = true;
    else if (mark.type === "strike" || mark.type === "strikethrough") flags.strike = true;
    else if (mark.type === "code") flags.code = true;
    else if (mark.type === "link") flags.href = safeHref(mark.attrs?.href);
  }
  return flags;
}

function sameMarks(a: InlineText, b: InlineText): boolean {
  return a.bold === b.bold && a.italic === b.italic && a.underline === b.underline && a.strike === b.strike && a.code === b.code && a.href === b.href;
}

const SPACE: InlineText = { type: "text", text: " ", bold: false, italic: false, underline: false, strike: false, code: false, href: null };

// Deeper than this, a hostile document's nesting is flattened rather than followed.
const MAX_DEPTH = 24;

function collectInlines(nodes: readonly RichNode[], depth: number, out: ExportInline[]): void {
  for (const node of nodes) {
    if (node.type === "text") {
      // ProseMirror text holds no line breaks (hardBreak does); any that slipped in read as spaces.
      const text = cleanText(node.text ?? "").replace(/[\n\t]/g, " ");
      if (text === "") continue;
      const run: InlineText = { type: "text", text, ...markFlags(node.marks) };
      const last = out[out.length - 1];
      if (last?.type === "text" && sameMarks(last, run)) last.text += text;
      else out.push(run);
    } else if (node.type === "hardBreak") {
      out.push({ type: "break" });
    } else if (node.content && depth < MAX_DEPTH) {
      // An inline node the exporter does not know (or a block where inline content belongs): keep its text.
      collectInlines(node.content, depth + 1, out);
    }
  }
}

function inlinesOf(nodes: readonly RichNode[] | undefined, depth: number): ExportInline[] {
  const out: ExportInline[] = [];
  collectInlines(nodes ?? [], depth, out);
  // Trailing breaks add nothing but an empty line.
  while (out.length > 0 && out[out.length - 1]?.type === "break") out.pop();
  return out;
}

function isEmpty(inlines: readonly ExportInline[]): boolean {
  return inlines.every((i) => i.type === "break" || i.text.trim() === "");
}

function headingLevel(value: unknown): OutlineLevel {
  // The editor's h2 (a portrait domain) sits under the section title (outline 1), so it is outline 2;
  // an h1 in the text cannot outrank the section title, and levels below 5 merge.
  const level = typeof value === "number" && Number.isInteger(value) ? value : Number.parseInt(String(value), 10);
  if (!Number.isFinite(level) || level <= 2) return 2;
  return Math.min(level, 5) as OutlineLevel;
}

function listStart(value: unknown): number {
  const n = typeof value === "number" ? value : Number.parseInt(String(value ?? "1"), 10);
  return Number.isSafeInteger(n) && n >= 0 && n < 1_000_000 ? n : 1;
}

function codeText(node: RichNode): string {
  const parts: string[] = [];
  const walk = (n: RichNode): void => {
    if (n.type === "text") parts.push(n.text ?? "");
    else if (n.type === "hardBreak") parts.push("\n");
    for (const child of n.content ?? []) walk(child);
  };
  walk(node);
  return cleanText(parts.join(""));
}

function blockOf(node: RichNode, depth: number): ExportBlock[] {
  if (depth >= MAX_DEPTH) {
    const inlines = inlinesOf([node], 0);
    return isEmpty(inlines) ? [] : [{ type: "paragraph", inlines, rtl: textDirection(inlineText(inlines)) === "rtl", tone: "normal" }];
  }
  switch (node.type) {
    case "paragraph":
    case "text": {
      const inlines = inlinesOf(node.type === "text" ? [node] : node.content, depth);
      // Empty paragraphs are spacing in the editor, noise on paper.
      return isEmpty(inlines) ? [] : [{ type: "paragraph", inlines, rtl: textDirection(inlineText(inlines)) === "rtl", tone: "normal" }];
    }
    case "heading": {
      const inlines = inlinesOf(node.content, depth).map((i): ExportInline => (i.type === "break" ? { ...SPACE } : i));
      return isEmpty(inlines) ? [] : [{ type: "heading", level: headingLevel(node.attrs?.level), inlines, rtl: textDirection(inlineText(inlines)) === "rtl" }];
    }
    case "bulletList":
    case "orderedList": {
      const items = (node.content ?? [])
        .map((item) => (item.type === "listItem" ? richBlocks(item.content ?? [], depth + 1) : blockOf(item, depth + 1)))
        .filter((blocks) => blocks.length > 0);
      return items.length === 0 ? [] : [{ type: "list", ordered: node.type === "orderedList", start: listStart(node.attrs?.start), items }];
    }
    case "blockquote": {
      const blocks = richBlocks(node.content ?? [], depth + 1);
      return blocks.length === 0 ? [] : [{ type: "quote", blocks }];
    }
    case "codeBlock": {
      const text = codeText(node);
      return text.trim() === "" ? [] : [{ type: "code", text }];
    }
    case "horizontalRule":
      return [{ type: "rule" }];
    case "hardBreak":
      return [];
    default:
      // A node type the exporter does not know: keep its blocks, or its text as a paragraph.
      if (!node.content) return [];
      if (node.content.some((c) => c.type === "text" || c.type === "hardBreak")) return blockOf({ type: "paragraph", content: node.content }, depth);
      return richBlocks(node.content, depth + 1);
  }
}

function richBlocks(nodes: readonly RichNode[], depth: number): ExportBlock[] {
  return nodes.flatMap((node) => blockOf(node, depth));
}

/** The export blocks of a section's rich text (readRichText's output): cleaned, links checked, empty paragraphs dropped. */
export function richToBlocks(nodes: readonly RichNode[]): ExportBlock[] {
  return richBlocks(nodes, 0);
}
