// The document model of an export (../shared/CONTRACT.md, `GET /api/workshops/:id/export`): what
// the workshop document and its analysis say, in words, for one scope. Pure: the four renderers
// (toMarkdown, toHtml here; toDocx, toPdf in the relay) only lay it out, so they say the same thing.
import type * as Y from "yjs";
import { sectionFragment } from "../doc/layout.js";
import { readMeta, readOrganizations, readSections } from "../doc/records.js";
import { readRichText, type RichNode } from "../doc/richText.js";
import type { Consent, OrganizationKind, SectionKind } from "../doc/types.js";
import type { WorkshopAnalysis } from "../divergence/analyze.js";
import { consentSummary, type SectionConsent } from "../divergence/consentStatus.js";
import { buildAppendices, type ExportAppendices } from "./appendices.js";
import { latestConsents } from "./consentRecords.js";
import { isoDate } from "./exportDate.js";
import { CONSENT_WORDS, listWords } from "./labels.js";

/** What to export. */
export interface ExportOptions {
  /** "agreed" keeps only the sections every organization agreed to; "all" keeps every section, marked. */
  scope: "agreed" | "all";
  appendices: { consent: boolean; reflections: boolean; annotations: boolean; crosswalk: boolean };
  /** The version the export is taken from ("Retreat draft, 26 January"), if any. */
  versionLabel?: string | null;
  /** When the export is made (the document's date). */
  date: Date;
  /** IANA time zone the dates are printed in (default "UTC"). */
  timeZone?: string;
}

/** A partner organization, as the title page lists it. */
export interface ExportOrganization {
  id: string;
  name: string;
  kind: OrganizationKind;
}

/** Whether every organization agreed to a section (consentSummary). */
export type ExportSectionStatus = "agreed" | "pending" | "blocked";

/** One section of the export with its content as TipTap stores it. */
export interface ExportSection {
  id: string;
  title: string;
  kind: SectionKind;
  orgId?: string;
  status: ExportSectionStatus;
  /** The consent state in words, naming organizations ("Agreed by every organization: …"). */
  statusNote: string;
  blocks: RichNode[];
}

/** A section left out of an "agreed" export because it is not agreed. */
export interface OmittedSection {
  id: string;
  title: string;
  status: Exclude<ExportSectionStatus, "agreed">;
}

/** Everything an exported document says. */
export interface ExportModel {
  title: string;
  /** YYYY-MM-DD. */
  date: string;
  versionLabel: string | null;
  organizations: ExportOrganization[];
  scope: "agreed" | "all";
  sections: ExportSection[];
  /** Sections left out by scope "agreed" (always empty for "all"). */
  omitted: OmittedSection[];
  /** true when scope is "agreed" and no section is agreed. */
  nothingAgreed: boolean;
  appendices: ExportAppendices;
}

/** The export formats: file extension and Content-Type. */
export const EXPORT_FORMATS = {
  docx: { ext: "docx", contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
  pdf: { ext: "pdf", contentType: "application/pdf" },
  md: { ext: "md", contentType: "text/markdown; charset=utf-8" },
  html: { ext: "html", contentType: "text/html; charset=utf-8" },
} as const;

/** An export format name: "docx", "pdf", "md" or "html". */
export type ExportFormat = keyof typeof EXPORT_FORMATS;

/** Whether a query value names an export format. */
export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === "string" && Object.hasOwn(EXPORT_FORMATS, value);
}

const UNTITLED = "Untitled workshop";
const MAX_SLUG = 50;

/**
 * A download file name: an ASCII slug of the title, the date and the extension, e.g.
 * "eastside-unified-equity-centered-leader-pathway-2026-11-23.docx". Only [a-z0-9-.], so it is
 * safe in a Content-Disposition header as is; never empty; at most 66 characters.
 */
export function exportFileName(title: string, date: string, ext: ExportFormat): string {
  const ascii = title
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  let slug = ascii;
  if (slug.length > MAX_SLUG) {
    const cut = slug.slice(0, MAX_SLUG + 1);
    // Cut at a word boundary unless that leaves too little of the title.
    const boundary = cut.lastIndexOf("-");
    slug = boundary >= 20 ? cut.slice(0, boundary) : slug.slice(0, MAX_SLUG).replace(/-+$/, "");
  }
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : "";
  const stem = [slug || "crosswalk-export", day].filter((p) => p !== "").join("-");
  return `${stem}.${EXPORT_FORMATS[ext].ext}`;
}

function statusNote(state: SectionConsent, consents: ReadonlyMap<string, Consent> | undefined, orgOrder: readonly string[], name: (id: string) => string): string {
  if (state.agreed) {
    const byLevel = new Map<string, string[]>();
    for (const orgId of orgOrder) {
      const consent = consents?.get(orgId);
      if (!consent) continue;
      const word = CONSENT_WORDS[consent.level];
      byLevel.set(word, [...(byLevel.get(word) ?? []), name(orgId)]);
    }
    const levels = [...byLevel].map(([word, orgs]) => `${word}: ${listWords(orgs)}`).join("; ");
    return `Agreed by every organization${levels ? ` (${levels})` : ""}.`;
  }
  const parts: string[] = [];
  for (const orgId of state.blocking) {
    const level = consents?.get(orgId)?.level;
    parts.push(`${name(orgId)} ${level === "block" ? "blocks it" : "needs discussion"}`);
  }
  if (state.missing.length > 1 && state.missing.length === orgOrder.length) parts.push("no organization has consented yet");
  else if (state.missing.length > 0) parts.push(`waiting for consent from ${listWords(state.missing.map(name))}`);
  if (state.stale.length > 0) parts.push(`${listWords(state.stale.map(name))} consented to an earlier text`);
  const head = consentSummary(state) === "blocked" ? "Blocked" : "Not yet agreed";
  return `${head}${parts.length > 0 ? `: ${parts.join("; ")}` : ""}.`;
}

/**
 * The export model of a workshop document: its sections (only agreed ones for scope "agreed",
 * with section status from `analysis.consent`), title-page facts and the appendices asked for.
 * Pure and synchronous; `analysis` is `await analyzeWorkshop(doc)` of the same document state.
 */
export function buildExportModel(doc: Y.Doc, analysis: WorkshopAnalysis, options: ExportOptions): ExportModel {
  const timeZone = options.timeZone ?? "UTC";
  const organizations = readOrganizations(doc);
  const orgOrder = organizations.map((o) => o.id);
  const names = new Map(organizations.map((o) => [o.id, o.name]));
  const name = (id: string): string => names.get(id) ?? id;
  const consents = latestConsents(doc);
  const allSections = readSections(doc);
  const judged = allSections.map((section) => {
    // A section the analysis does not know yet (added since) is not agreed by anyone.
    const state = analysis.consent[section.id] ?? { agreed: false, stale: [], missing: [...orgOrder], blocking: [] };
    return { section, state, status: consentSummary(state) };
  });
  const kept = options.scope === "agreed" ? judged.filter((j) => j.status === "agreed") : judged;
  const omitted: OmittedSection[] = [];
  for (const j of judged) if (j.status !== "agreed" && options.scope === "agreed") omitted.push({ id: j.section.id, title: j.section.title, status: j.status });

  const sections = kept.map(({ section, state, status }): ExportSection => ({
    id: section.id,
    title: section.title,
    kind: section.kind,
    ...(section.orgId === undefined ? {} : { orgId: section.orgId }),
    status,
    statusNote: statusNote(state, consents.get(section.id), orgOrder, name),
    blocks: readRichText(sectionFragment(doc, section.id)),
  }));
  const versionLabel = options.versionLabel?.trim() || null;
  return {
    title: readMeta(doc).title.trim() || UNTITLED,
    date: isoDate(options.date, timeZone),
    versionLabel,
    organizations: organizations.map((o) => ({ id: o.id, name: o.name, kind: o.kind })),
    scope: options.scope,
    sections,
    omitted,
    nothingAgreed: options.scope === "agreed" && sections.length === 0,
    appendices: buildAppendices({
      doc,
      analysis,
      organizations,
      sections: kept.map((k) => k.section),
      allSections,
      consents,
      include: options.appendices,
      timeZone,
    }),
  };
}
