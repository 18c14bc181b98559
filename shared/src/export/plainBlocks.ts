// Export blocks made of plain text (titles, status lines, appendix prose), cleaned on the way in.
import type { HeadingBlock, InlineText, OutlineLevel, ParagraphBlock } from "./blocks.js";
import { cleanText } from "./cleanText.js";
import { textDirection } from "./textDirection.js";

/** One unmarked run of text. */
export function plainRun(text: string): InlineText {
  return { type: "text", text: cleanText(text), bold: false, italic: false, underline: false, strike: false, code: false, href: null };
}

/** A paragraph of plain text. */
export function plainParagraph(text: string, tone: ParagraphBlock["tone"] = "normal"): ParagraphBlock {
  const clean = cleanText(text);
  return { type: "paragraph", inlines: [plainRun(clean)], rtl: textDirection(clean) === "rtl", tone };
}

/** A heading of plain text, on one line. */
export function plainHeading(level: OutlineLevel, text: string): HeadingBlock {
  const clean = cleanText(text).replace(/\s+/g, " ").trim();
  return { type: "heading", level, inlines: [plainRun(clean)], rtl: textDirection(clean) === "rtl" };
}
