// The export as one standalone HTML5 file, safe to open from a download folder: every text is
// escaped, links are kept only for http(s) and mailto (blocks.ts checks them), there is no
// script, event-handler attribute or embedded resource, and a Content-Security-Policy <meta>
// forbids everything but the one stylesheet below (allowed by its hash, so no 'unsafe-inline').
import { documentBlocks } from "./documentBlocks.js";
import type { ExportBlock, ExportInline, InlineText, TitlePageBlock } from "./blocks.js";
import { oneLine } from "./cleanText.js";
import type { ExportModel } from "./model.js";

/** The stylesheet of exported HTML. Change it and HTML_STYLE_HASH together (export.test.ts checks they match). */
export const HTML_STYLE =
  'body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;line-height:1.5;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}' +
  ".title-page{min-height:60vh;display:flex;flex-direction:column;justify-content:center}.title-page h1{font-size:2.2rem;margin:0 0 .5rem}" +
  ".subtitle{font-size:1.25rem;color:#444}.label{font-weight:bold;margin-bottom:.25rem}.muted{color:#555;font-style:italic}" +
  ".notice{border-inline-start:4px solid #555;background:#f3f3f3;padding:.5rem .75rem}" +
  "table{border-collapse:collapse;width:100%;font-size:.9rem;margin:1rem 0}th,td{border:1px solid #999;padding:.3rem .45rem;text-align:start;vertical-align:top}th{background:#eee}" +
  "blockquote{border-inline-start:3px solid #bbb;margin:1rem 0;padding-inline-start:1rem;color:#333}pre{background:#f5f5f5;padding:.75rem;overflow-x:auto;white-space:pre-wrap}" +
  ".page-break{break-after:page}@media print{body{max-width:none;margin:0}.title-page{min-height:90vh}}";

/** base64 SHA-256 of HTML_STYLE, for the CSP's style-src. */
export const HTML_STYLE_HASH = "sha256-BpGzyicq92WSYhqHuCDKaNjwhaolE1ZIVCbE3lvfB2Y=";

/** The Content-Security-Policy of exported HTML: nothing loads or runs; only the stylesheet applies. */
export const HTML_EXPORT_CSP = `default-src 'none'; style-src '${HTML_STYLE_HASH}'; img-src 'none'; base-uri 'none'; form-action 'none'`;

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function textRun(run: InlineText): string {
  let html = esc(run.text);
  if (run.code) html = `<code>${html}</code>`;
  if (run.strike) html = `<s>${html}</s>`;
  if (run.underline) html = `<u>${html}</u>`;
  if (run.italic) html = `<em>${html}</em>`;
  if (run.bold) html = `<strong>${html}</strong>`;
  // rel: the exported file must not hand the opening page to a site it links to.
  if (run.href) html = `<a href="${esc(run.href)}" rel="noopener noreferrer nofollow">${html}</a>`;
  return html;
}

function inlines(runs: readonly ExportInline[]): string {
  return runs.map((r) => (r.type === "break" ? "<br>" : textRun(r))).join("");
}

function cell(text: string): string {
  return text.split("\n").map(esc).join("<br>");
}

function titlePage(block: TitlePageBlock): string {
  const orgs = block.organizations.map((o) => `<li dir="auto">${esc(o)}</li>`).join("");
  const details = block.details.map((d) => `<p dir="auto">${esc(d)}</p>`).join("");
  return (
    `<header class="title-page"><h1 dir="auto">${esc(block.title)}</h1><p class="subtitle">${esc(block.subtitle)}</p>` +
    `<p class="label">${esc(block.organizationsLabel)}</p><ul>${orgs}</ul>${details}</header>`
  );
}

function block(b: ExportBlock): string {
  switch (b.type) {
    case "titlePage":
      return titlePage(b);
    case "heading":
      return `<h${b.level + 1} dir="auto">${inlines(b.inlines)}</h${b.level + 1}>`;
    case "paragraph":
      return `<p${b.tone === "normal" ? "" : ` class="${b.tone}"`} dir="auto">${inlines(b.inlines)}</p>`;
    case "list": {
      const items = b.items.map((item) => {
        const only = item[0];
        // A one-paragraph item reads best without a <p> inside.
        if (item.length === 1 && only?.type === "paragraph" && only.tone === "normal") return `<li dir="auto">${inlines(only.inlines)}</li>`;
        return `<li>${item.map(block).join("")}</li>`;
      });
      if (!b.ordered) return `<ul>${items.join("")}</ul>`;
      return `<ol${b.start === 1 ? "" : ` start="${b.start}"`}>${items.join("")}</ol>`;
    }
    case "quote":
      return `<blockquote>${b.blocks.map(block).join("")}</blockquote>`;
    case "code":
      return `<pre><code>${esc(b.text)}</code></pre>`;
    case "rule":
      return "<hr>";
    case "table": {
      const head = `<thead><tr>${b.header.map((h) => `<th scope="col" dir="auto">${cell(h)}</th>`).join("")}</tr></thead>`;
      const rows = b.rows.map((row) => `<tr>${row.map((c) => `<td dir="auto">${cell(c)}</td>`).join("")}</tr>`).join("\n");
      return `<table>${head}<tbody>${rows}</tbody></table>`;
    }
    case "pageBreak":
      return '<div class="page-break"></div>';
  }
}

/** The export as a complete, standalone HTML5 document with no executable content. */
export function toHtml(model: ExportModel): string {
  const blocks = documentBlocks(model);
  const header = blocks.filter((b) => b.type === "titlePage").map(block);
  const body = blocks.filter((b) => b.type !== "titlePage").map(block);
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(HTML_EXPORT_CSP)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="Crosswalk">',
    `<title>${esc(oneLine(model.title))}</title>`,
    `<style>${HTML_STYLE}</style>`,
    "</head>",
    "<body>",
    ...header,
    "<main>",
    ...body,
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
