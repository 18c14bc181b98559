// The export as a Word document (the `docx` package): a title page, Word's own Heading 1-5
// styles (so the navigation pane and a table of contents work), real numbered and bullet lists
// (nested), marks and links as runs, appendix tables with a repeating header row. The words
// come from documentBlocks(), as in every other format.
import {
  documentBlocks,
  textDirection,
  type ExportBlock,
  type ExportInline,
  type ExportModel,
  type ListBlock,
  type OutlineLevel,
  type ParagraphBlock,
  type TableBlock,
  type TitlePageBlock,
} from "@crosswalk/shared";
import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ILevelsOptions,
  type INumberingOptions,
  type IRunOptions,
} from "docx";

// US Letter with one-inch margins, in twentieths of a point (school districts print on Letter).
const PAGE = { width: 12240, height: 15840, margin: 1440 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const INDENT = 360;
const MAX_LIST_LEVEL = 8;

const HEADINGS: Record<OutlineLevel, (typeof HeadingLevel)[keyof typeof HeadingLevel]> = {
  1: HeadingLevel.HEADING_1,
  2: HeadingLevel.HEADING_2,
  3: HeadingLevel.HEADING_3,
  4: HeadingLevel.HEADING_4,
  5: HeadingLevel.HEADING_5,
};

type Child = Paragraph | Table;

/** Right-to-left paragraphs say so; others say nothing (Word's default is left to right). */
function bidi(rtl: boolean): { bidirectional?: true } {
  return rtl ? { bidirectional: true } : {};
}
type RunBase = { bold?: boolean; italics?: boolean; color?: string; size?: number };

function levels(ordered: boolean, start: number): ILevelsOptions[] {
  const bullets = ["•", "◦", "▪"];
  return Array.from({ length: MAX_LIST_LEVEL + 1 }, (_, level) => ({
    level,
    format: ordered ? [LevelFormat.DECIMAL, LevelFormat.LOWER_LETTER, LevelFormat.LOWER_ROMAN][level % 3] : LevelFormat.BULLET,
    text: ordered ? `%${level + 1}.` : (bullets[level % 3] ?? "•"),
    start: level === 0 ? start : 1,
    alignment: AlignmentType.START,
    style: { paragraph: { indent: { left: INDENT * (level + 1) + 360, hanging: 360 } } },
  }));
}

/** Builds the body, collecting the list definitions it needs (Word wants them up front). */
class DocxWriter {
  private readonly numbering = new Map<string, ILevelsOptions[]>();
  private instance = 0;

  numberingConfig(): INumberingOptions["config"] {
    return [...this.numbering].map(([reference, lvls]) => ({ reference, levels: lvls }));
  }

  private listReference(list: ListBlock): string {
    // One definition per kind and starting number; each list is its own instance, so it counts from its start.
    const reference = list.ordered ? `ordered-from-${list.start}` : "bullets";
    if (!this.numbering.has(reference)) this.numbering.set(reference, levels(list.ordered, list.start));
    return reference;
  }

  runs(inlines: readonly ExportInline[], base: RunBase = {}): Array<TextRun | ExternalHyperlink> {
    return inlines.map((run) => {
      if (run.type === "break") return new TextRun({ break: 1 });
      const options: IRunOptions = {
        ...base,
        text: run.text,
        ...(run.bold ? { bold: true } : {}),
        ...(run.italic ? { italics: true } : {}),
        ...(run.underline ? { underline: {} } : {}),
        ...(run.strike ? { strike: true } : {}),
        ...(run.code ? { font: "Courier New" } : {}),
      };
      if (!run.href) return new TextRun(options);
      return new ExternalHyperlink({ link: run.href, children: [new TextRun({ ...options, style: "Hyperlink" })] });
    });
  }

  titlePage(block: TitlePageBlock): Paragraph[] {
    const line = (text: string, run: RunBase = {}, spacingAfter = 120): Paragraph => new Paragraph({ spacing: { after: spacingAfter }, children: [new TextRun({ text, ...run })] });
    return [
      new Paragraph({ heading: HeadingLevel.TITLE, spacing: { before: 2400, after: 240 }, children: [new TextRun(block.title)] }),
      line(block.subtitle, { italics: true, size: 28, color: "444444" }, 600),
      line(block.organizationsLabel, { bold: true }),
      ...block.organizations.map((o) => line(o)),
      new Paragraph({ spacing: { after: 240 }, children: [] }),
      ...block.details.map((d) => line(d, { color: "444444" })),
    ];
  }

  paragraph(block: ParagraphBlock, indentLevel: number | null): Paragraph {
    const base: RunBase = block.tone === "muted" ? { italics: true, color: "555555" } : {};
    return new Paragraph({
      children: this.runs(block.inlines, base),
      ...bidi(block.rtl),
      ...(indentLevel === null ? {} : { indent: { left: INDENT * (indentLevel + 1) + 360 } }),
      ...(block.tone === "notice"
        ? {
            shading: { type: ShadingType.CLEAR, fill: "F2F2F2", color: "auto" },
            border: { left: { style: BorderStyle.SINGLE, size: 18, color: "555555", space: 6 } },
            spacing: { before: 120, after: 240 },
          }
        : {}),
    });
  }

  list(list: ListBlock, level: number): Child[] {
    const reference = this.listReference(list);
    const instance = this.instance++;
    const depth = Math.min(level, MAX_LIST_LEVEL);
    return list.items.flatMap((item) => {
      const [first, ...rest] = item;
      const out: Child[] = [];
      if (first?.type === "paragraph") {
        out.push(new Paragraph({ children: this.runs(first.inlines), ...bidi(first.rtl), numbering: { reference, level: depth, instance } }));
      } else {
        // An item that opens with something else still gets its number or bullet, on an empty line.
        out.push(new Paragraph({ children: [], numbering: { reference, level: depth, instance } }));
        if (first) out.push(...this.block(first, level));
      }
      for (const block of rest) out.push(...(block.type === "list" ? this.list(block, level + 1) : this.block(block, level)));
      return out;
    });
  }

  table(block: TableBlock): Table {
    const total = block.widths.reduce((a, b) => a + b, 0) || 1;
    const widths = block.widths.map((w) => Math.floor((CONTENT_WIDTH * w) / total));
    const cell = (text: string, header: boolean, width: number): TableCell =>
      new TableCell({
        width: { size: width, type: WidthType.DXA },
        ...(header ? { shading: { type: ShadingType.CLEAR, fill: "EEEEEE", color: "auto" } } : {}),
        children: text.split("\n").map(
          (line) => new Paragraph({ children: [new TextRun({ text: line, size: 18, ...(header ? { bold: true } : {}) })], ...bidi(textDirection(line) === "rtl") }),
        ),
      });
    return new Table({
      width: { size: CONTENT_WIDTH, type: WidthType.DXA },
      columnWidths: widths,
      rows: [
        new TableRow({ tableHeader: true, cantSplit: true, children: block.header.map((h, i) => cell(h, true, widths[i] ?? 0)) }),
        ...block.rows.map((row) => new TableRow({ children: row.map((c, i) => cell(c, false, widths[i] ?? 0)) })),
      ],
    });
  }

  /** One block; `level` is the list depth it sits in (null outside lists). */
  block(block: ExportBlock, level: number | null = null): Child[] {
    switch (block.type) {
      case "titlePage":
        return this.titlePage(block);
      case "heading":
        return [new Paragraph({ heading: HEADINGS[block.level], ...bidi(block.rtl), children: this.runs(block.inlines) })];
      case "paragraph":
        return [this.paragraph(block, level)];
      case "list":
        return this.list(block, level === null ? 0 : level + 1);
      case "quote":
        return block.blocks.flatMap((b) =>
          b.type === "paragraph"
            ? [
                new Paragraph({
                  children: this.runs(b.inlines, { color: "333333" }),
                  ...bidi(b.rtl),
                  indent: { left: INDENT * 2 },
                  border: { left: { style: BorderStyle.SINGLE, size: 12, color: "BBBBBB", space: 8 } },
                }),
              ]
            : this.block(b, level),
        );
      case "code":
        return block.text.split("\n").map(
          (line) =>
            new Paragraph({
              shading: { type: ShadingType.CLEAR, fill: "F5F5F5", color: "auto" },
              spacing: { after: 0 },
              children: [new TextRun({ text: line.replace(/\t/g, "    "), font: "Courier New", size: 19 })],
            }),
        );
      case "rule":
        return [new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: "999999", space: 1 } }, children: [] })];
      case "table":
        return [this.table(block), new Paragraph({ children: [] })];
      case "pageBreak":
        return [new Paragraph({ children: [new PageBreak()] })];
    }
  }
}

/** The export as a .docx file. */
export async function toDocx(model: ExportModel): Promise<Buffer> {
  const blocks = documentBlocks(model);
  const writer = new DocxWriter();
  const children = blocks.flatMap((b) => writer.block(b));
  const title = blocks.find((b) => b.type === "titlePage");
  const doc = new Document({
    creator: "Crosswalk",
    title: title?.type === "titlePage" ? title.title : model.title,
    description: `Exported ${model.date}`,
    styles: { default: { document: { run: { font: "Calibri", size: 22 } } } },
    numbering: { config: writer.numberingConfig() },
    sections: [
      {
        properties: { titlePage: true, page: { size: { width: PAGE.width, height: PAGE.height }, margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin } } },
        footers: {
          // The title page has no footer (titlePage: true gives it the empty "first" one).
          first: new Footer({ children: [] }),
          default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], size: 18, color: "666666" })] })] }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
