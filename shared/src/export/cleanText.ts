// Text read from the document may hold anything a client wrote, including characters that XML
// (DOCX) and HTML forbid: C0/C1 control characters, U+FFFE/U+FFFF, half of a surrogate pair.
// Every string an export prints goes through here once, so every format stays well-formed.

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text without characters XML and HTML cannot hold; line ends become "\n". Tabs and newlines stay. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(INVALID, "");
}

/** The text on one line: cleaned, every run of whitespace (newlines included) one space, trimmed. */
export function oneLine(text: string): string {
  return cleanText(text).replace(/\s+/g, " ").trim();
}
