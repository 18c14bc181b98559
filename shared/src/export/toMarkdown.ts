// The export as CommonMark (with GFM tables and strikethrough, as markdown-it renders them).
// Every character of the workshop's text that Markdown could read as syntax is escaped, so the
// text comes out literally: "<script>" stays text, "=HYPERLINK(…)" and "1. " stay prose. The
// Markdown has no HTML in it at all, so it is as safe under a renderer with HTML enabled.
// Underline has no Markdown form and is dropped; the text stays.
import type { ExportBlock, ExportInline, InlineText, ListBlock, TitlePageBlock } from "./blocks.js";
import { documentBlocks } from "./documentBlocks.js";
import type { ExportModel } from "./model.js";

// Punctuation that opens Markdown syntax anywhere in a line; escaping more would only clutter.
const SPECIAL = /[\\`*_[\]<>&|~#]/g;

/** Escapes text for anywhere in a line. */
function escapeText(text: string): string {
  return text.replace(SPECIAL, "\\$&");
}

/** Escapes what only means something at the start of a line: list markers, setext underlines, indentation. */
function escapeLineStart(escaped: string): string {
  return escaped
    .replace(/^[ \t]+/, "")
    .replace(/^([-+=])/, "\\$1")
    .replace(/^(\d{1,9})([.)])/, "$1\\$2");
}

type StackMark = { kind: "link"; href: string } | { kind: "bold" } | { kind: "italic" } | { kind: "strike" };

function marksOf(run: InlineText): StackMark[] {
  const marks: StackMark[] = [];
  // Fixed order, link outermost, so runs that share marks share their delimiters.
  if (run.href) marks.push({ kind: "link", href: run.href });
  if (run.bold) marks.push({ kind: "bold" });
  if (run.italic) marks.push({ kind: "italic" });
  if (run.strike) marks.push({ kind: "strike" });
  return marks;
}

function sameMark(a: StackMark | undefined, b: StackMark | undefined): boolean {
  if (!a || !b || a.kind !== b.kind) return false;
  return a.kind !== "link" || a.href === (b as { href: string }).href;
}

function open(mark: StackMark): string {
  return mark.kind === "link" ? "[" : mark.kind === "bold" ? "**" : mark.kind === "italic" ? "*" : "~~";
}

function close(mark: StackMark): string {
  // The destination in <…>: blocks.ts percent-encoded anything that could end it.
  return mark.kind === "link" ? `](<${mark.href}>)` : open(mark);
}

function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || text.startsWith(" ") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Inline runs as Markdown. Marks are opened and closed as a stack (as prosemirror-markdown does),
 * with the whitespace at a run's edges moved outside the delimiters, which CommonMark requires.
 */
function inlineMarkdown(runs: readonly ExportInline[]): string {
  const out: string[] = [];
  let active: StackMark[] = [];
  let pendingSpace = "";
  let lineStart = true;
  const closeTo = (keep: number): void => {
    while (active.length > keep) out.push(close(active.pop() as StackMark));
  };
  for (const run of runs) {
    if (run.type === "break") {
      closeTo(0);
      // A backslash at the end of a line is CommonMark's hard line break.
      out.push("\\\n");
      pendingSpace = "";
      lineStart = true;
      continue;
    }
    const [, lead = "", core = "", trail = ""] = /^(\s*)([\s\S]*?)(\s*)$/.exec(run.text) ?? [];
    if (core === "") {
      pendingSpace += run.text;
      continue;
    }
    const marks = marksOf(run);
    let keep = 0;
    while (keep < active.length && sameMark(active[keep], marks[keep])) keep++;
    closeTo(keep);
    if (!lineStart) out.push(pendingSpace + lead);
    const opening = marks.slice(keep);
    out.push(...opening.map(open));
    active = marks;
    let body = run.code ? codeSpan(core) : escapeText(core);
    if (lineStart && opening.length === 0 && !run.code) body = escapeLineStart(body);
    out.push(body);
    pendingSpace = trail;
    lineStart = false;
  }
  closeTo(0);
  return out.join("");
}

function cellMarkdown(text: string): string {
  return escapeText(text.replace(/\s+/g, " ").trim()) || " ";
}

function indent(text: string, by: string): string {
  return text
    .split("\n")
    .map((line, i) => (i === 0 || line === "" ? line : by + line))
    .join("\n");
}

function listMarkdown(list: ListBlock): string {
  // Tight (no blank lines) when every item is one paragraph, as people write lists.
  const tight = list.items.every((item) => item.length === 1 && item[0]?.type === "paragraph");
  const items = list.items.map((item, i) => {
    const marker = list.ordered ? `${list.start + i}. ` : "- ";
    const body = item.map(blockMarkdown).join("\n\n");
    return marker + indent(body, " ".repeat(marker.length));
  });
  return items.join(tight ? "\n" : "\n\n");
}

function titlePageMarkdown(block: TitlePageBlock): string {
  return [
    `# ${escapeText(block.title)}`,
    `*${escapeText(block.subtitle)}*`,
    `**${escapeText(block.organizationsLabel)}**`,
    block.organizations.map((o) => `- ${escapeLineStart(escapeText(o))}`).join("\n"),
    ...block.details.map((d) => escapeLineStart(escapeText(d))),
  ].join("\n\n");
}

function blockMarkdown(block: ExportBlock): string {
  switch (block.type) {
    case "titlePage":
      return titlePageMarkdown(block);
    case "heading":
      return `${"#".repeat(block.level + 1)} ${inlineMarkdown(block.inlines)}`;
    case "paragraph": {
      const text = inlineMarkdown(block.inlines);
      if (block.tone === "notice") return `> ${text.replace(/\n/g, "\n> ")}`;
      const plainRuns = block.inlines.every((r) => r.type === "text" && !r.bold && !r.italic && !r.strike && !r.code && !r.href);
      return block.tone === "muted" && plainRuns ? `*${text}*` : text;
    }
    case "list":
      return listMarkdown(block);
    case "quote":
      return block.blocks
        .map(blockMarkdown)
        .join("\n\n")
        .split("\n")
        .map((line) => (line === "" ? ">" : `> ${line}`))
        .join("\n");
    case "code": {
      const longest = Math.max(2, ...(block.text.match(/`+/g) ?? []).map((run) => run.length));
      const fence = "`".repeat(longest + 1);
      return `${fence}\n${block.text.replace(/\n+$/, "")}\n${fence}`;
    }
    case "rule":
      return "---";
    case "table": {
      const header = `| ${block.header.map(cellMarkdown).join(" | ")} |`;
      const rule = `| ${block.header.map(() => "---").join(" | ")} |`;
      const rows = block.rows.map((row) => `| ${row.map(cellMarkdown).join(" | ")} |`);
      return [header, rule, ...rows].join("\n");
    }
    case "pageBreak":
      return "";
  }
}

/** The export as Markdown (CommonMark with GFM tables), every text escaped to read literally. */
export function toMarkdown(model: ExportModel): string {
  return `${documentBlocks(model)
    .map(blockMarkdown)
    .filter((md) => md !== "")
    .join("\n\n")}\n`;
}
