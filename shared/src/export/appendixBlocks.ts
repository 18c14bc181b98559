// The appendices laid out as export blocks: headings, short paragraphs and tables of plain text.
import type { AnnotationAppendix, ConsentAppendix, CrosswalkAppendix, ExportAppendices, FlagRecord, ReflectionAppendix } from "./appendices.js";
import type { ExportBlock, ListBlock, ParagraphBlock, TableBlock } from "./blocks.js";
import { cleanText } from "./cleanText.js";
import { STANCE_WORDS } from "./labels.js";
import { plainHeading, plainParagraph, plainRun } from "./plainBlocks.js";
import { textDirection } from "./textDirection.js";
import { STANCES } from "../doc/types.js";

function table(header: string[], rows: string[][], widths: number[]): TableBlock {
  return { type: "table", header: header.map(cleanText), rows: rows.map((row) => row.map((cell) => cleanText(cell).trim())), widths };
}

function opening(appendix: { title: string; intro: string }): ExportBlock[] {
  return [{ type: "pageBreak" }, plainHeading(1, appendix.title), plainParagraph(appendix.intro, "muted")];
}

/** Paragraphs of a text typed by a person: blank lines separate paragraphs. */
function paragraphsOf(text: string): string[] {
  return cleanText(text)
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

function consentBlocks(appendix: ConsentAppendix): ExportBlock[] {
  if (appendix.rows.length === 0) return [...opening(appendix), plainParagraph("No section is in this document, so there is no consent to record.", "muted")];
  const rows = appendix.rows.map((r) => [r.section, r.organization, r.levelLabel, r.note, r.date ?? "—"]);
  return [...opening(appendix), table(["Section", "Organization", "Consent", "Note", "Date"], rows, [3, 3, 2.4, 4, 1.8])];
}

function labelled(label: string, text: string): ExportBlock[] {
  const [first = "", ...rest] = paragraphsOf(text);
  const lead: ParagraphBlock = {
    type: "paragraph",
    inlines: [{ ...plainRun(`${label}: `), bold: true }, plainRun(first)],
    rtl: textDirection(first) === "rtl",
    tone: "normal",
  };
  return [lead, ...rest.map((p) => plainParagraph(p))];
}

function flagBlocks(flag: FlagRecord): ExportBlock[] {
  const facts = [`Section: ${flag.section}`, `Status: ${flag.statusLabel}`, `Outcome: ${flag.outcomeLabel ?? "not recorded yet"}`];
  const out: ExportBlock[] = [plainHeading(2, flag.title.trim() || "Untitled flag")];
  if (flag.quote.trim() !== "") out.push({ type: "quote", blocks: paragraphsOf(flag.quote).map((p) => plainParagraph(p)) });
  out.push(plainParagraph(`${facts.join(". ")}.`, "muted"));
  if (flag.outcomeNote.trim() !== "") out.push(...labelled("Outcome note", flag.outcomeNote));
  if (flag.voices.length === 0) return [...out, plainParagraph("No statements have been revealed for this passage.", "muted")];
  if (flag.outcome === "agree-to-differ") out.push(plainParagraph("The organizations agreed to differ here. Their differences, in their own words:", "notice"));
  for (const voice of flag.voices) {
    const list: ListBlock = { type: "list", ordered: false, start: 1, items: voice.statements.map((s) => labelled(s.label, s.text)) };
    out.push(plainHeading(3, voice.organization), list);
  }
  return out;
}

function reflectionBlocks(appendix: ReflectionAppendix): ExportBlock[] {
  if (appendix.flags.length === 0) return [...opening(appendix), plainParagraph("No passage of the sections in this document was flagged for reflection.", "muted")];
  return [...opening(appendix), ...appendix.flags.flatMap(flagBlocks)];
}

function annotationBlocks(appendix: AnnotationAppendix): ExportBlock[] {
  const out = opening(appendix);
  for (const org of appendix.byOrganization) {
    out.push(plainHeading(2, org.organization));
    out.push(plainParagraph(STANCES.map((s) => `${STANCE_WORDS[s]}: ${org.counts[s]}`).join(" · "), "muted"));
    if (org.annotations.length === 0) {
      out.push(plainParagraph("No annotations on the sections in this document.", "muted"));
      continue;
    }
    const rows = org.annotations.map((a) => [a.section, a.quote, a.stanceLabel, a.dimensions.join(", "), a.comment, a.resolved ? "Resolved" : "Open"]);
    out.push(table(["Section", "Passage", "Stance", "Dimensions", "Comment", "State"], rows, [2.2, 4, 1.8, 2.6, 4, 1.4]));
  }
  if (appendix.byOrganization.length === 0) out.push(plainParagraph("The workshop has no organizations.", "muted"));
  return out;
}

function crosswalkBlocks(appendix: CrosswalkAppendix): ExportBlock[] {
  if (appendix.rows.length === 0) return [...opening(appendix), plainParagraph("No organization's own definition is in this workshop, so there is nothing to compare.", "muted")];
  // Dimensions run down the page and definitions across: a dozen dimensions fit a page's height, not its width.
  const rows = appendix.columns.map((column, i) => [
    column.divergent ? `${column.label} (divergent)` : column.label,
    ...appendix.rows.map((row) => {
      const cell = row.cells[i];
      if (!cell?.named) return "not named";
      return cell.evidence.length > 0 ? `named: ${cell.evidence.map((e) => `“${e}”`).join(", ")}` : "named";
    }),
  ]);
  return [...opening(appendix), table(["Equity dimension", ...appendix.rows.map((r) => r.label)], rows, [2.6, ...appendix.rows.map(() => 1.6)])];
}

/** The blocks of the appendices present, each starting on a new page. */
export function appendixBlocks(appendices: ExportAppendices): ExportBlock[] {
  return [
    ...(appendices.consent ? consentBlocks(appendices.consent) : []),
    ...(appendices.reflections ? reflectionBlocks(appendices.reflections) : []),
    ...(appendices.annotations ? annotationBlocks(appendices.annotations) : []),
    ...(appendices.crosswalk ? crosswalkBlocks(appendices.crosswalk) : []),
  ];
}
