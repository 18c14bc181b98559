// Lays export blocks out on PDF pages: a cursor that moves down the page, starts a new page when
// the next line does not fit, keeps headings with what follows them, and draws lists, quotes,
// code and tables. Text itself is laid out by pdfText.ts.
import type { ExportBlock, ExportInline, HeadingBlock, ListBlock, ParagraphBlock, TitlePageBlock } from "@crosswalk/shared";
import { textDirection } from "@crosswalk/shared";
import type PDFDocument from "pdfkit";
import { FONTS, fontFor } from "./pdfFonts.js";
import { drawTable, type PdfCursor } from "./pdfTable.js";
import { drawLine, layoutLines, plainRuns, TextMeasure, type Line, type StyledRun, type TextStyle } from "./pdfText.js";

type Doc = InstanceType<typeof PDFDocument>;

/** A horizontal band of the page that content is laid out in. */
export interface Box {
  x: number;
  width: number;
}

interface ParagraphOptions {
  rtl: boolean;
  align?: "start" | "center";
  keepSpaces?: boolean;
  /** Background of each line (code). */
  fill?: string;
  after: number;
}

const BODY = 10.5;
const LEADING = 1.4;
const INDENT = 18;
const HEADING_SIZE: Record<HeadingBlock["level"], number> = { 1: 18, 2: 15, 3: 12.5, 4: 11.5, 5: 10.5 };
const TEXT = "#1a1a1a";
const MUTED = "#555555";

function style(overrides: Partial<TextStyle> = {}): TextStyle {
  return { font: FONTS.regular, size: BODY, color: TEXT, underline: false, strike: false, href: null, ...overrides };
}

/** Styled runs of export inlines; `base` gives the size, colour and whether all of it is bold or italic. */
function styledRuns(inlines: readonly ExportInline[], base: { size: number; color: string; bold?: boolean; italic?: boolean }): StyledRun[] {
  return inlines.map((run) =>
    run.type === "break"
      ? { lineBreak: true }
      : {
          text: run.text,
          style: style({
            font: fontFor(run.bold || base.bold === true, run.italic || base.italic === true, run.code),
            size: run.code ? base.size * 0.92 : base.size,
            color: run.href ? "#0b4f9c" : base.color,
            underline: run.underline || run.href !== null,
            strike: run.strike,
            href: run.href,
          }),
        },
  );
}

function listMarker(ordered: boolean, level: number, n: number): string {
  if (!ordered) return ["•", "◦", "▪"][level % 3] ?? "•";
  if (level % 3 === 1) return `${n <= 26 ? String.fromCharCode(96 + n) : n}.`;
  if (level % 3 === 2) return `${toRoman(n)}.`;
  return `${n}.`;
}

function toRoman(n: number): string {
  if (n <= 0 || n >= 4000) return String(n);
  const table: Array<[number, string]> = [[1000, "m"], [900, "cm"], [500, "d"], [400, "cd"], [100, "c"], [90, "xc"], [50, "l"], [40, "xl"], [10, "x"], [9, "ix"], [5, "v"], [4, "iv"], [1, "i"]];
  let out = "";
  for (const [value, numeral] of table) {
    while (n >= value) {
      out += numeral;
      n -= value;
    }
  }
  return out;
}

/** Writes blocks onto a PDFKit document, page after page. */
export class PdfWriter implements PdfCursor {
  /** The top of the next thing written on the current page. */
  y: number;
  readonly measure: TextMeasure;
  /** x positions of the quote bars drawn beside every line while inside quotes. */
  private readonly bars: number[] = [];

  constructor(readonly doc: Doc) {
    this.measure = new TextMeasure(doc);
    this.y = this.top;
  }

  get top(): number {
    return this.doc.page.margins.top;
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  private get page(): Box {
    return { x: this.doc.page.margins.left, width: this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right };
  }

  newPage(): void {
    this.doc.addPage();
    this.y = this.top;
  }

  /** Starts a new page unless `height` still fits on this one (or the page is still empty). */
  ensure(height: number): void {
    if (this.y + height > this.bottom && this.y > this.top) this.newPage();
  }

  private lines(runs: readonly StyledRun[], width: number, keepSpaces = false): Line[] {
    return layoutLines(runs, width, this.measure, keepSpaces);
  }

  private lineHeight(line: Line, fallback = BODY): number {
    const size = line.tokens.reduce((max, t) => Math.max(max, t.style.size), 0) || fallback;
    return size * LEADING;
  }

  private paragraph(runs: readonly StyledRun[], box: Box, options: ParagraphOptions): void {
    for (const line of this.lines(runs, box.width, options.keepSpaces)) {
      const height = this.lineHeight(line);
      this.ensure(height);
      if (options.fill) this.doc.save().rect(box.x - 4, this.y, box.width + 8, height).fill(options.fill).restore();
      for (const x of this.bars) this.doc.save().rect(x, this.y, 2, height).fill("#bbbbbb").restore();
      drawLine(this.doc, line, box.x, this.y + (height - height / LEADING) / 2, box.width, options.rtl ? "rtl" : "ltr", options.align);
      this.y += height;
    }
    this.y += options.after;
  }

  private titlePage(block: TitlePageBlock): void {
    const box = this.page;
    this.y = this.top + 140;
    const center = { rtl: false, align: "center" as const };
    this.paragraph(plainRuns(block.title, style({ font: FONTS.bold, size: 26 })), box, { ...center, rtl: textDirection(block.title) === "rtl", after: 10 });
    this.paragraph(plainRuns(block.subtitle, style({ font: FONTS.italic, size: 14, color: MUTED })), box, { ...center, after: 40 });
    this.paragraph(plainRuns(block.organizationsLabel, style({ font: FONTS.bold, size: 12 })), box, { ...center, after: 6 });
    for (const org of block.organizations) this.paragraph(plainRuns(org, style({ size: 11.5 })), box, { ...center, after: 3 });
    this.y += 30;
    for (const detail of block.details) this.paragraph(plainRuns(detail, style({ size: 11, color: MUTED })), box, { ...center, after: 3 });
  }

  private heading(block: HeadingBlock, box: Box): void {
    const size = HEADING_SIZE[block.level];
    const before = block.level === 1 ? 16 : 10;
    // Keep the heading with at least three lines of what follows.
    this.ensure(before + size * LEADING * 2 + BODY * LEADING * 3);
    if (this.y > this.top) this.y += before;
    this.paragraph(styledRuns(block.inlines, { size, color: TEXT, bold: true }), box, { rtl: block.rtl, after: block.level === 1 ? 6 : 4 });
  }

  private paragraphBlock(block: ParagraphBlock, box: Box, after = 7): void {
    const muted = block.tone === "muted";
    const runs = styledRuns(block.inlines, { size: BODY, color: muted ? MUTED : TEXT, italic: muted });
    if (block.tone !== "notice") return this.paragraph(runs, box, { rtl: block.rtl, after });
    // A notice: a shaded box with a bar, kept on one page when it fits one.
    const inner = { x: box.x + 12, width: box.width - 20 };
    const lines = this.lines(runs, inner.width);
    const height = lines.reduce((h, l) => h + this.lineHeight(l), 0) + 12;
    if (height < this.bottom - this.top) this.ensure(height);
    const top = this.y;
    this.doc.save().rect(box.x, top, box.width, Math.min(height, this.bottom - top)).fill("#f2f2f2").rect(box.x, top, 3, Math.min(height, this.bottom - top)).fill(MUTED).restore();
    this.y += 6;
    this.paragraph(runs, inner, { rtl: block.rtl, after: 6 });
    this.y += 10;
  }

  private list(block: ListBlock, box: Box, level: number): void {
    block.items.forEach((item, i) => {
      const first = item[0];
      const rtl = first?.type === "paragraph" && first.rtl;
      const marker = listMarker(block.ordered, level, block.start + i);
      this.ensure(BODY * LEADING);
      const markerStyle = style();
      const markerWidth = this.measure.width(marker, markerStyle);
      const markerX = rtl ? box.x + box.width - INDENT + 4 : box.x + INDENT - 4 - markerWidth;
      this.doc.font(markerStyle.font).fontSize(BODY).fillColor(TEXT).text(marker, markerX, this.y + (BODY * LEADING - BODY) / 2, { lineBreak: false });
      const inner = rtl ? { x: box.x, width: box.width - INDENT } : { x: box.x + INDENT, width: box.width - INDENT };
      for (const child of item) {
        if (child.type === "list") this.list(child, inner, level + 1);
        else if (child.type === "paragraph") this.paragraphBlock(child, inner, 2);
        else this.block(child, inner, level + 1);
      }
    });
    this.y += level === 0 ? 5 : 0;
  }

  /**
   * Says on the title page which kinds of characters the embedded fonts could not show (DejaVu has
   * no CJK or emoji glyphs), so a reader of the PDF knows the boxes are not the text.
   */
  noteMissingGlyphs(): void {
    const missing = [...this.measure.missing];
    if (missing.length === 0) return;
    const kinds: string[] = [];
    const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
    const emoji = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}]/u;
    if (missing.some((c) => cjk.test(c))) kinds.push("Chinese, Japanese or Korean characters");
    if (missing.some((c) => emoji.test(c))) kinds.push("emoji");
    if (missing.some((c) => !cjk.test(c) && !emoji.test(c))) kinds.push("characters of other scripts");
    const note = `This PDF's font cannot show some of the document's text (${kinds.join(", ")}); those characters appear as empty boxes. The Word, HTML and Markdown exports show them.`;
    const { start } = this.doc.bufferedPageRange();
    this.doc.switchToPage(start);
    const box = this.page;
    const lines = this.lines(plainRuns(note, style({ font: FONTS.italic, size: 9, color: MUTED })), box.width);
    let y = this.bottom - lines.length * 9 * LEADING;
    for (const line of lines) {
      drawLine(this.doc, line, box.x, y, box.width, "ltr", "center");
      y += 9 * LEADING;
    }
  }

  /** Writes one block into `box` (the page's text column unless given); `level` is the list depth. */
  block(block: ExportBlock, box: Box = this.page, level = 0): void {
    switch (block.type) {
      case "titlePage":
        return this.titlePage(block);
      case "heading":
        return this.heading(block, box);
      case "paragraph":
        return this.paragraphBlock(block, box);
      case "list":
        return this.list(block, box, level);
      case "quote": {
        this.bars.push(box.x + 2);
        for (const child of block.blocks) this.block(child, { x: box.x + 14, width: box.width - 14 }, level);
        this.bars.pop();
        return;
      }
      case "code":
        return this.paragraph(plainRuns(block.text.replace(/\t/g, "    "), style({ font: FONTS.mono, size: 9 })), box, { rtl: false, keepSpaces: true, fill: "#f5f5f5", after: 8 });
      case "rule":
        this.ensure(14);
        this.doc.save().lineWidth(0.5).strokeColor("#999999").moveTo(box.x, this.y + 7).lineTo(box.x + box.width, this.y + 7).stroke().restore();
        this.y += 14;
        return;
      case "table":
        return drawTable(this, block, box);
      case "pageBreak":
        if (this.y > this.top) this.newPage();
        return;
    }
  }
}
