// Tables in the PDF: columns sized from their relative widths but never narrower than their
// longest word (when the page allows), a shaded header row repeated on every page the table
// runs onto, rows kept whole, and a cell taller than a page cut short with an ellipsis.
import type { TableBlock } from "@crosswalk/shared";
import { textDirection } from "@crosswalk/shared";
import type PDFDocument from "pdfkit";
import { FONTS } from "./pdfFonts.js";
import { drawLine, layoutLines, plainRuns, type Line, type TextMeasure, type TextStyle } from "./pdfText.js";

/** What a table needs of the page writer. */
export interface PdfCursor {
  readonly doc: InstanceType<typeof PDFDocument>;
  readonly measure: TextMeasure;
  y: number;
  readonly top: number;
  readonly bottom: number;
  newPage(): void;
  ensure(height: number): void;
}

const PAD = 4;
const LEADING = 1.4;

/** Column widths from relative weights, widened to their minimums where the others can give room. */
export function fitColumns(weights: readonly number[], minimums: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  let widths = weights.map((w) => (total * w) / sum);
  const needed = minimums.reduce((a, b) => a + b, 0);
  if (needed >= total) return minimums.map((m) => (total * m) / (needed || 1));
  for (let pass = 0; pass < 4; pass++) {
    const deficit = widths.reduce((d, w, i) => d + Math.max(0, (minimums[i] ?? 0) - w), 0);
    if (deficit < 0.5) break;
    const spare = widths.reduce((s, w, i) => s + Math.max(0, w - (minimums[i] ?? 0)), 0);
    widths = widths.map((w, i) => {
      const min = minimums[i] ?? 0;
      return w < min ? min : w - (deficit * (w - min)) / spare;
    });
  }
  return widths;
}

/** Draws a table at the cursor, across as many pages as it needs. */
export function drawTable(page: PdfCursor, block: TableBlock, box: { x: number; width: number }): void {
  // Many columns (the crosswalk) get a smaller type size so words fit them.
  const size = block.header.length > 5 ? 7.5 : 8.5;
  const lineHeight = size * LEADING;
  const regular: TextStyle = { font: FONTS.regular, size, color: "#1a1a1a", underline: false, strike: false, href: null };
  const bold: TextStyle = { ...regular, font: FONTS.bold };
  const longestWord = (text: string, style: TextStyle): number => Math.max(0, ...text.split(/\s+/).map((w) => page.measure.width(w, style)));
  const minimums = block.header.map((h, i) =>
    Math.min(box.width * 0.3, Math.max(longestWord(h, bold), ...block.rows.map((r) => longestWord(r[i] ?? "", regular))) + 2 * PAD + 1),
  );
  const widths = fitColumns(block.widths.length === block.header.length ? block.widths : block.header.map(() => 1), minimums, box.width);
  const maxLines = Math.max(1, Math.floor((page.bottom - page.top - 40 - 2 * PAD) / lineHeight));

  const layoutRow = (cells: readonly string[], style: TextStyle): { lines: Line[][]; height: number } => {
    const lines = widths.map((w, i) => {
      const cell = layoutLines(plainRuns(cells[i] ?? "", style), w - 2 * PAD, page.measure);
      return cell.length <= maxLines ? cell : [...cell.slice(0, maxLines - 1), ...layoutLines([{ text: "…", style }], w, page.measure)];
    });
    return { lines, height: Math.max(1, ...lines.map((c) => c.length)) * lineHeight + 2 * PAD };
  };
  const drawRow = (row: { lines: Line[][]; height: number }, cells: readonly string[], header: boolean): void => {
    let x = box.x;
    widths.forEach((w, i) => {
      if (header) page.doc.save().rect(x, page.y, w, row.height).fill("#eeeeee").restore();
      page.doc.save().lineWidth(0.5).strokeColor("#999999").rect(x, page.y, w, row.height).stroke().restore();
      const base = textDirection(cells[i] ?? "") === "rtl" ? "rtl" : "ltr";
      (row.lines[i] ?? []).forEach((line, n) => drawLine(page.doc, line, x + PAD, page.y + PAD + n * lineHeight + (lineHeight - size) / 2, w - 2 * PAD, base));
      x += w;
    });
    page.y += row.height;
  };

  const header = layoutRow(block.header, bold);
  const rows = block.rows.map((cells) => ({ cells, layout: layoutRow(cells, regular) }));
  page.ensure(header.height + (rows[0]?.layout.height ?? 0));
  drawRow(header, block.header, true);
  for (const { cells, layout } of rows) {
    if (page.y + layout.height > page.bottom) {
      page.newPage();
      drawRow(header, block.header, true);
    }
    drawRow(layout, cells, false);
  }
  page.y += 10;
}
