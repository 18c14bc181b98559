// The export as a PDF (PDFKit): DejaVu Sans embedded so the text is extractable and covers
// right-to-left scripts, Word-like heading sizes, lists with bullets and numbers, tables drawn
// simply, page numbers in the footer. Layout is PdfWriter's; the words are documentBlocks()'.
import { documentBlocks, type ExportModel } from "@crosswalk/shared";
import type PDFDocument from "pdfkit";
import { FONTS, keepParsedFonts, registerFonts } from "./pdfFonts.js";
import { PdfWriter } from "./PdfWriter.js";

type Doc = InstanceType<typeof PDFDocument>;

function collect(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
}

function pageNumbers(doc: Doc): void {
  const { start, count } = doc.bufferedPageRange();
  // The title page (the first) goes unnumbered.
  for (let i = start + 1; i < start + count; i++) {
    doc.switchToPage(i);
    const label = `Page ${i - start + 1} of ${count}`;
    doc.font(FONTS.regular).fontSize(8.5).fillColor("#666666");
    const width = doc.widthOfString(label);
    doc.text(label, (doc.page.width - width) / 2, doc.page.height - doc.page.margins.bottom + 24, { lineBreak: false });
  }
}

/** The export as a PDF file. */
export async function toPdf(model: ExportModel): Promise<Buffer> {
  // Loaded on first use: PDFKit is the relay's heaviest module, and most relays never write a PDF.
  const { default: PDFDocument } = await import("pdfkit");
  const blocks = documentBlocks(model);
  const titlePage = blocks.find((b) => b.type === "titlePage");
  const title = titlePage?.type === "titlePage" ? titlePage.title : "Crosswalk export";
  const doc = new PDFDocument({
    size: "LETTER",
    margins: { top: 72, bottom: 72, left: 72, right: 72 },
    bufferPages: true,
    lang: "en-US",
    displayTitle: true,
    info: { Title: title, Creator: "Crosswalk", Producer: "Crosswalk (PDFKit)", Subject: model.scope === "agreed" ? "Agreed drafts" : "Working draft" },
  });
  const done = collect(doc);
  registerFonts(doc);
  const writer = new PdfWriter(doc);
  for (const block of blocks) writer.block(block);
  writer.noteMissingGlyphs();
  pageNumbers(doc);
  doc.end();
  const bytes = await done;
  keepParsedFonts(doc);
  return bytes;
}
