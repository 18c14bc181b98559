// Line layout for the PDF. PDFKit wraps text itself, but it lays text out word by word and
// left to right, so Arabic and Hebrew words come out in the wrong order; and its own wrapping
// concatenates glyph arrays per word, which grows quadratically on one long paragraph. So lines
// are broken here (greedy, at spaces and between CJK characters, splitting a word only when it is
// wider than the line), reordered for display with a small subset of the Unicode bidirectional
// algorithm (runs of right-to-left words reversed; the runs themselves reversed in a
// right-to-left paragraph), and drawn a word group at a time.
import { textDirection } from "@crosswalk/shared";
import type PDFDocument from "pdfkit";
import type { FontName } from "./pdfFonts.js";

type Doc = InstanceType<typeof PDFDocument>;

/** How a run of text looks. */
export interface TextStyle {
  font: FontName;
  size: number;
  color: string;
  underline: boolean;
  strike: boolean;
  href: string | null;
}

/** Styled text or a line break. */
export type StyledRun = { text: string; style: TextStyle } | { lineBreak: true };

/** Runs of one style for a text whose "\n"s are line breaks. */
export function plainRuns(text: string, style: TextStyle): StyledRun[] {
  return text.split("\n").flatMap((line, i): StyledRun[] => (i === 0 ? [{ text: line, style }] : [{ lineBreak: true }, { text: line, style }]));
}

/** A word, a CJK character or a run of spaces, measured. */
export interface Token {
  text: string;
  style: TextStyle;
  width: number;
  space: boolean;
  dir: "rtl" | "ltr" | null;
}

/** One laid-out line, tokens in logical order. */
export interface Line {
  tokens: Token[];
  width: number;
}

// Spaces, one CJK character (a line may break between any two), or a run of anything else.
const CJK = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u3000-\\u303F\\uFF00-\\uFFEF";
const TOKEN = new RegExp(`\\s+|[${CJK}]|[^\\s${CJK}]+`, "gu");

// PDFKit keeps the fontkit font of an embedded font at `_font.font`; its type definitions do not say so.
type WithFontkit = { _font?: { font?: { hasGlyphForCodePoint?(codePoint: number): boolean } } };

/** Widths kept per document; past this many (a pasted blob of distinct words) the cache starts over. */
const MAX_CACHED_WIDTHS = 100_000;

/**
 * Measures text widths on one document, caching them per font, size and text (each word's width
 * is asked for often, and fontkit shapes the text to measure it), and notes the characters the
 * fonts have no glyph for (CJK, most emoji), which print as empty boxes.
 */
export class TextMeasure {
  private readonly cache = new Map<string, number>();
  /** Printable characters drawn without a glyph, in order of first appearance. */
  readonly missing = new Set<string>();
  constructor(private readonly doc: Doc) {}

  width(text: string, style: TextStyle): number {
    const key = `${style.font}\u0000${style.size}\u0000${text}`;
    let width = this.cache.get(key);
    if (width === undefined) {
      width = this.doc.font(style.font).fontSize(style.size).widthOfString(text);
      if (this.cache.size >= MAX_CACHED_WIDTHS) this.cache.clear();
      this.cache.set(key, width);
      this.noteMissing(text);
    }
    return width;
  }

  private noteMissing(text: string): void {
    const font = (this.doc as unknown as WithFontkit)._font?.font;
    if (!font?.hasGlyphForCodePoint) return;
    for (const char of text) {
      // Invisible characters (joiners, variation selectors, marks) have no glyph of their own to miss.
      if (/[\s\p{Cf}\p{M}]/u.test(char) || this.missing.has(char)) continue;
      if (!font.hasGlyphForCodePoint(char.codePointAt(0) ?? 0)) this.missing.add(char);
    }
  }
}

function tokenize(runs: readonly StyledRun[], measure: TextMeasure): Array<Token | "break"> {
  const out: Array<Token | "break"> = [];
  for (const run of runs) {
    if ("lineBreak" in run) {
      out.push("break");
      continue;
    }
    for (const match of run.text.matchAll(TOKEN)) {
      const text = match[0];
      const space = /^\s/.test(text);
      const clean = space ? text.replace(/\S/g, " ").replace(/[\t\n\r]/g, " ") : text;
      out.push({ text: clean, style: run.style, width: measure.width(clean, run.style), space, dir: space ? null : textDirection(text) });
    }
  }
  return out;
}

/**
 * Cuts a word wider than the line into pieces that fit (by code point; at least one per piece).
 * Widths add up per character (cached), so a pasted blob of 100,000 characters stays linear.
 */
function splitWord(token: Token, maxWidth: number, measure: TextMeasure): Token[] {
  const pieces: Token[] = [];
  let current = "";
  let width = 0;
  for (const char of Array.from(token.text)) {
    const charWidth = measure.width(char, token.style);
    if (current !== "" && width + charWidth > maxWidth) {
      pieces.push({ ...token, text: current, width: measure.width(current, token.style) });
      current = "";
      width = 0;
    }
    current += char;
    width += charWidth;
  }
  if (current !== "") pieces.push({ ...token, text: current, width: measure.width(current, token.style) });
  return pieces;
}

/**
 * Breaks styled runs into lines no wider than `maxWidth`. Spaces at line ends are dropped,
 * unless `keepSpaces` (code, where indentation matters).
 */
export function layoutLines(runs: readonly StyledRun[], maxWidth: number, measure: TextMeasure, keepSpaces = false): Line[] {
  const lines: Line[] = [];
  let line: Line = { tokens: [], width: 0 };
  let pending: Token[] = [];
  const finish = (): void => {
    lines.push(line);
    line = { tokens: [], width: 0 };
    pending = [];
  };
  const place = (token: Token): void => {
    const spaces = pending.reduce((w, t) => w + t.width, 0);
    if (line.tokens.length > 0 && line.width + spaces + token.width > maxWidth) finish();
    if (line.tokens.length === 0 && token.width > maxWidth) {
      const pieces = splitWord(token, maxWidth, measure);
      pieces.forEach((piece, i) => {
        line.tokens.push(piece);
        line.width += piece.width;
        if (i < pieces.length - 1) finish();
      });
      pending = [];
      return;
    }
    const gap = line.tokens.length > 0 ? pending : [];
    line.tokens.push(...gap, token);
    line.width += gap.reduce((w, t) => w + t.width, 0) + token.width;
    pending = [];
  };
  for (const token of tokenize(runs, measure)) {
    if (token === "break") finish();
    else if (token.space && !keepSpaces) pending.push(token);
    else place(token);
  }
  if (line.tokens.length > 0 || lines.length === 0) lines.push(line);
  return lines;
}

/** The tokens of a line in display order, for a paragraph of base direction `base`. */
export function visualOrder(tokens: readonly Token[], base: "rtl" | "ltr"): Token[] {
  // Neutral tokens (spaces, digits, punctuation) take the direction around them, else the base.
  const strong = tokens.map((t) => t.dir);
  const resolved = tokens.map((t, i) => {
    if (t.dir) return t.dir;
    let before: "rtl" | "ltr" = base;
    for (let j = i - 1; j >= 0; j--) {
      const d = strong[j];
      if (d) {
        before = d;
        break;
      }
    }
    let after: "rtl" | "ltr" = base;
    for (let j = i + 1; j < tokens.length; j++) {
      const d = strong[j];
      if (d) {
        after = d;
        break;
      }
    }
    return before === after ? before : base;
  });
  const runs: Array<{ dir: "rtl" | "ltr"; tokens: Token[] }> = [];
  tokens.forEach((token, i) => {
    const dir = resolved[i] ?? base;
    const last = runs[runs.length - 1];
    if (last && last.dir === dir) last.tokens.push(token);
    else runs.push({ dir, tokens: [token] });
  });
  const ordered = base === "rtl" ? runs.reverse() : runs;
  // Each right-to-left token is itself drawn right to left by fontkit (it shapes and reverses a
  // word of Arabic or Hebrew script), so only the order of the tokens is changed here.
  return ordered.flatMap((run) => (run.dir === "rtl" ? [...run.tokens].reverse() : run.tokens));
}

function sameLook(a: TextStyle, b: TextStyle): boolean {
  return a.font === b.font && a.size === b.size && a.color === b.color;
}

/**
 * Draws a line with its top at `y`, starting at `x` (or ending at `x + width` for right-to-left
 * paragraphs, or centred). Underline, strike-through and links span whole runs, spaces included.
 */
export function drawLine(doc: Doc, line: Line, x: number, y: number, width: number, base: "rtl" | "ltr", align: "start" | "center" = "start"): void {
  const tokens = visualOrder(line.tokens, base);
  let cursor = align === "center" ? x + (width - line.width) / 2 : base === "rtl" ? x + width - line.width : x;
  const placed = tokens.map((token) => {
    const at = cursor;
    cursor += token.width;
    return { token, x: at };
  });
  // Left-to-right words of one look are drawn as one string; right-to-left ones one by one, since
  // fontkit reverses each word it is given and the order of words is already settled above.
  let i = 0;
  while (i < placed.length) {
    const first = placed[i];
    if (!first) break;
    // Spaces are only advances: a drawn space next to right-to-left text confuses text extraction.
    if (first.token.space) {
      i++;
      continue;
    }
    let text = first.token.text;
    let end = first.x + first.token.width;
    let j = i + 1;
    if (first.token.dir !== "rtl") {
      while (j < placed.length) {
        const next = placed[j];
        if (!next || next.token.dir === "rtl" || !sameLook(next.token.style, first.token.style)) break;
        text += next.token.text;
        if (!next.token.space) end = next.x + next.token.width;
        j++;
      }
    }
    const s = first.token.style;
    // textWidth: the width is known, so PDFKit need not lay the string out again to measure it.
    const options = { lineBreak: false, textWidth: end - first.x } as PDFKit.Mixins.TextOptions;
    doc.font(s.font).fontSize(s.size).fillColor(s.color).text(text.trimEnd(), first.x, y, options);
    i = j;
  }
  decorate(doc, placed, y);
}

function decorate(doc: Doc, placed: Array<{ token: Token; x: number }>, y: number): void {
  const spanOf = (kind: "underline" | "strike" | "href"): Array<{ x0: number; x1: number; style: TextStyle }> => {
    const spans: Array<{ x0: number; x1: number; style: TextStyle }> = [];
    placed.forEach(({ token, x }, i) => {
      const on = kind === "href" ? token.style.href !== null : token.style[kind];
      if (!on) return;
      // A space belongs to a span only between two tokens that are in it.
      if (token.space && !(placed[i - 1] && placed[i + 1])) return;
      const last = spans[spans.length - 1];
      const same = last && Math.abs(last.x1 - x) < 0.01 && (kind !== "href" || last.style.href === token.style.href);
      if (same) last.x1 = x + token.width;
      else spans.push({ x0: x, x1: x + token.width, style: token.style });
    });
    return spans;
  };
  for (const kind of ["underline", "strike"] as const) {
    for (const span of spanOf(kind)) {
      const baseline = y + span.style.size * 0.93;
      const at = kind === "underline" ? baseline + span.style.size * 0.12 : baseline - span.style.size * 0.3;
      doc.save().lineWidth(Math.max(0.5, span.style.size * 0.06)).strokeColor(span.style.color).moveTo(span.x0, at).lineTo(span.x1, at).stroke().restore();
    }
  }
  for (const span of spanOf("href")) if (span.style.href) doc.link(span.x0, y, span.x1 - span.x0, span.style.size * 1.2, span.style.href);
}
