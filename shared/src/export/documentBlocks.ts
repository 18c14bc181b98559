// A whole exported document as export blocks: the title page, what the scope left in or out
// (in words, so an export with nothing agreed still says something), the sections, the appendices.
import { appendixBlocks } from "./appendixBlocks.js";
import { richToBlocks, type ExportBlock, type TitlePageBlock } from "./blocks.js";
import { cleanText, oneLine } from "./cleanText.js";
import { KIND_WORDS, listWords } from "./labels.js";
import type { ExportModel } from "./model.js";
import { plainHeading, plainParagraph } from "./plainBlocks.js";

function titlePage(model: ExportModel): TitlePageBlock {
  const details = [`Exported ${model.date}`];
  if (model.versionLabel) details.push(`Version: ${oneLine(model.versionLabel)}`);
  return {
    type: "titlePage",
    title: oneLine(model.title),
    subtitle: model.scope === "agreed" ? "Agreed drafts" : "Working draft: every section, agreed or not",
    organizationsLabel: "Partner organizations",
    organizations: model.organizations.map((o) => `${oneLine(o.name)} (${KIND_WORDS[o.kind]})`),
    details,
  };
}

function scopeNotice(model: ExportModel): string {
  const left = model.omitted.map((s) => `${s.title} (${s.status === "blocked" ? "blocked" : "not yet agreed"})`);
  if (model.nothingAgreed) {
    const still = left.length > 0 ? ` Still being worked on: ${listWords(left)}.` : "";
    return (
      "Nothing has been agreed yet. This document holds only the sections every partner organization has agreed to, and no section is agreed so far: " +
      "a section is agreed when every organization has consented to its current text and none blocks it or asks for discussion." +
      still
    );
  }
  if (model.scope === "agreed") {
    const base = "This document holds the sections every partner organization has agreed to.";
    return left.length > 0 ? `${base} Not yet agreed, and so left out: ${listWords(left)}.` : `${base} Every section of the workshop is agreed.`;
  }
  const agreed = model.sections.filter((s) => s.status === "agreed").length;
  return `This is the working draft: every section of the workshop, agreed or not (${agreed} of ${model.sections.length} agreed). Each section says where its consent stands.`;
}

/** The blocks of an exported document, in reading order; every renderer lays out exactly these. */
export function documentBlocks(model: ExportModel): ExportBlock[] {
  const out: ExportBlock[] = [titlePage(model), { type: "pageBreak" }, plainParagraph(scopeNotice(model), "notice")];
  for (const section of model.sections) {
    const content = richToBlocks(section.blocks);
    out.push(plainHeading(1, section.title), plainParagraph(cleanText(section.statusNote), "muted"));
    out.push(...(content.length > 0 ? content : [plainParagraph("This section is empty.", "muted")]));
  }
  out.push(...appendixBlocks(model.appendices));
  return out;
}
