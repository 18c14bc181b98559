// Importing an existing document (a district's equity framework, a state standard) into a
// section: the file is turned into simple HTML here; the browser then inserts it through the
// editor's schema, which drops anything the schema does not know (and never runs anything).
import MarkdownIt from "markdown-it";
import { badRequest } from "../http/HttpError.js";

/** The formats a section can import. */
export type ImportFormat = "docx" | "md";

// Raw HTML in Markdown is not honoured: it would only be dropped by the schema anyway.
const markdown = new MarkdownIt({ html: false, linkify: true });

/** Converts an uploaded file to HTML for the editor. */
export async function importToHtml(format: ImportFormat, bytes: Buffer): Promise<string> {
  if (bytes.length === 0) throw badRequest("The file is empty.");
  if (format === "md") {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw badRequest("This Markdown file is not UTF-8 text.");
    }
    return markdown.render(text);
  }
  // A .docx is a zip archive: anything else is refused before the parser sees it.
  if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) throw badRequest("This is not a Word document (.docx). Save it as .docx and try again.");
  try {
    // Loaded on first use (a large module that only imports need).
    const { default: mammoth } = await import("mammoth");
    const result = await mammoth.convertToHtml({ buffer: bytes });
    return result.value;
  } catch {
    throw badRequest("This Word document could not be read. It may be damaged; save it again as .docx and try again.");
  }
}
