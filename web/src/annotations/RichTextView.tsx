// A section rendered read-only from its rich text, with annotation highlights placed by
// sectionText offsets (the same rules as the editor's text map: textblocks joined by "\n",
// a hard break is one character).
import type { RichNode } from "@crosswalk/shared";
import type { ReactNode } from "react";

/** A highlight over [from, to) of the section's text. */
export interface Highlight {
  from: number;
  to: number;
  color: string;
  level: number;
  pattern: string;
  id: string;
}

const TEXTBLOCKS = new Set(["paragraph", "heading", "codeBlock"]);

function isTextblock(node: RichNode): boolean {
  return TEXTBLOCKS.has(node.type) || (node.content ?? []).some((c) => c.type === "text");
}

function wrapText(text: string, marks: RichNode["marks"]): ReactNode {
  let out: ReactNode = text;
  for (const m of marks ?? []) {
    if (m.type === "bold") out = <strong>{out}</strong>;
    else if (m.type === "italic") out = <em>{out}</em>;
    else if (m.type === "underline") out = <u>{out}</u>;
    else if (m.type === "strike") out = <s>{out}</s>;
    else if (m.type === "code") out = <code>{out}</code>;
  }
  return out;
}

/** Renders rich text with highlights. */
export function RichTextView({ blocks, highlights }: { blocks: readonly RichNode[]; highlights: readonly Highlight[] }) {
  return <div className="rich-text">{renderRichText(blocks, highlights)}</div>;
}

/** The elements of rich text with highlights; a plain function (its walk keeps a running text offset). */
function renderRichText(blocks: readonly RichNode[], highlights: readonly Highlight[]): ReactNode[] {
  let offset = 0;
  let first = true;
  let key = 0;
  const highlighted = (text: string, start: number, marks: RichNode["marks"]): ReactNode[] => {
    // Cut the text at every highlight edge inside it; wrap each piece in the highlights covering it.
    const cuts = new Set([0, text.length]);
    for (const h of highlights) {
      if (h.from > start && h.from < start + text.length) cuts.add(h.from - start);
      if (h.to > start && h.to < start + text.length) cuts.add(h.to - start);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const out: ReactNode[] = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i]!;
      const b = points[i + 1]!;
      let piece: ReactNode = wrapText(text.slice(a, b), marks);
      const covering = highlights.filter((h) => h.from <= start + a && h.to >= start + b).sort((x, y) => y.level - x.level);
      for (const h of covering) {
        piece = (
          <span className={`anno anno--p-${h.pattern}`} style={{ ["--anno-color" as string]: h.color, ["--anno-level" as string]: h.level }} data-annotation-id={h.id}>
            {piece}
          </span>
        );
      }
      out.push(<span key={key++}>{piece}</span>);
    }
    return out;
  };
  const renderInline = (node: RichNode): ReactNode => {
    if (node.type === "text") {
      const text = node.text ?? "";
      const nodes = highlighted(text, offset, node.marks);
      offset += text.length;
      return nodes;
    }
    if (node.type === "hardBreak") {
      offset += 1;
      return <br key={key++} />;
    }
    return null;
  };
  const renderBlock = (node: RichNode): ReactNode => {
    if (isTextblock(node)) {
      if (!first) offset += 1;
      first = false;
      const children = (node.content ?? []).map(renderInline);
      if (node.type === "heading") {
        const level = Number(node.attrs?.level ?? 2);
        return level <= 2 ? <h3 key={key++}>{children}</h3> : <h4 key={key++}>{children}</h4>;
      }
      if (node.type === "codeBlock") return <pre key={key++}>{children}</pre>;
      return <p key={key++}>{children}</p>;
    }
    const children = (node.content ?? []).map(renderBlock);
    if (node.type === "bulletList") return <ul key={key++}>{children}</ul>;
    if (node.type === "orderedList") return <ol key={key++}>{children}</ol>;
    if (node.type === "listItem") return <li key={key++}>{children}</li>;
    if (node.type === "blockquote") return <blockquote key={key++}>{children}</blockquote>;
    if (node.type === "horizontalRule") return <hr key={key++} />;
    return <div key={key++}>{children}</div>;
  };
  return blocks.map(renderBlock);
}
