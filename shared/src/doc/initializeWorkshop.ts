// A new workshop's document: meta, organizations and the sections its template lays out
// (../shared/CONTRACT.md, `POST /api/workshops`), with each section's starting content.
import type * as Y from "yjs";
import { appendSection, metaOf, putOrganization, sectionFragment, sectionsOf, setAuthor } from "./layout.js";
import { appendRichText, bulletList, heading, paragraph, type RichNode } from "./richText.js";
import type { Organization, Section, Template } from "./types.js";

/** One leadership domain of the Portrait of an Equity-Centered Leader. */
export interface PortraitDomain {
  domain: string;
  actions: string[];
  lookFors: string[];
}

/** The starting domains of a new portrait: named, with empty actions and look-fors to fill in. */
export const DEFAULT_PORTRAIT_DOMAINS: readonly PortraitDomain[] = [
  { domain: "Equity-focused vision and mission", actions: [], lookFors: [] },
  { domain: "Culturally responsive instructional leadership", actions: [], lookFors: [] },
  { domain: "Inclusive culture and family partnership", actions: [], lookFors: [] },
  { domain: "Reflective practice", actions: [], lookFors: [] },
];

/** Headings inside each portrait domain. */
export const PORTRAIT_ACTIONS_HEADING = "Leadership actions";
export const PORTRAIT_LOOK_FORS_HEADING = "Look-fors";

/** What a new workshop starts with; the optional texts fill sections in (the sample partnership uses them). */
export interface WorkshopSeed {
  title: string;
  template: Template;
  createdAt: number;
  organizations: readonly Organization[];
  /** Starting text of organizations' current definitions, by organization id. */
  orgDefinitions?: Readonly<Record<string, string>>;
  /** Starting text of the shared definition. */
  sharedDraft?: string;
  /** Starting portrait domains (default: DEFAULT_PORTRAIT_DOMAINS, empty). */
  portrait?: readonly PortraitDomain[];
}

/** Stable id of the shared definition section. */
export const DEFINITION_SECTION_ID = "definition";
/** Stable id of the portrait section. */
export const PORTRAIT_SECTION_ID = "portrait";

/** The id of an organization's own-definition section. */
export function orgDefinitionSectionId(orgId: string): string {
  return `org-${orgId}`;
}

/** The section record of an organization's current definition. */
export function orgDefinitionSection(org: Organization): Section {
  return { id: orgDefinitionSectionId(org.id), kind: "org-definition", title: `${org.name}'s current definition`, orgId: org.id };
}

/** Rich-text blocks of a portrait. */
export function portraitBlocks(domains: readonly PortraitDomain[]): RichNode[] {
  return domains.flatMap((d) => [
    heading(2, d.domain),
    heading(3, PORTRAIT_ACTIONS_HEADING),
    bulletList(d.actions),
    heading(3, PORTRAIT_LOOK_FORS_HEADING),
    bulletList(d.lookFors),
  ]);
}

function textBlocks(text: string | undefined): RichNode[] {
  const paragraphs = (text ?? "").split(/\n{2,}/).filter((p) => p.trim() !== "");
  return paragraphs.length === 0 ? [paragraph()] : paragraphs.map((p) => paragraph(p));
}

/** The sections a template lays out, in order: org definitions, then the shared definition, then the portrait. */
export function sectionsForTemplate(template: Template, organizations: readonly Organization[]): Section[] {
  const sections: Section[] = [];
  if (template === "equity-definition" || template === "full") {
    sections.push(...organizations.map(orgDefinitionSection));
    sections.push({ id: DEFINITION_SECTION_ID, kind: "definition", title: "Equity definition" });
  }
  if (template === "leader-portrait" || template === "full") {
    sections.push({ id: PORTRAIT_SECTION_ID, kind: "portrait", title: "Portrait of an Equity-Centered Leader" });
  }
  return sections;
}

/**
 * Adds a section (at the end, or at `index` of the sections array) and its starting content:
 * never an empty fragment, or every editor would write its own first paragraph into it.
 */
export function addSectionWithContent(doc: Y.Doc, section: Section, blocks: readonly RichNode[], index?: number): void {
  if (index === undefined) appendSection(doc, section);
  else sectionsOf(doc).insert(Math.max(0, Math.min(index, sectionsOf(doc).length)), [section]);
  appendRichText(sectionFragment(doc, section.id), blocks.length > 0 ? blocks : [paragraph()]);
}

/** Writes a new workshop's starting state into an empty document, in one transaction; returns its sections. */
export function initializeWorkshop(doc: Y.Doc, seed: WorkshopSeed): Section[] {
  const sections = sectionsForTemplate(seed.template, seed.organizations);
  doc.transact(() => {
    const meta = metaOf(doc);
    meta.set("title", seed.title);
    meta.set("createdAt", seed.createdAt);
    meta.set("template", seed.template);
    for (const org of seed.organizations) putOrganization(doc, org);
    setAuthor(doc, doc.clientID, { orgId: null, name: "Crosswalk template" });
    for (const section of sections) {
      const blocks =
        section.kind === "org-definition"
          ? textBlocks(seed.orgDefinitions?.[section.orgId ?? ""])
          : section.kind === "definition"
            ? textBlocks(seed.sharedDraft)
            : portraitBlocks(seed.portrait ?? DEFAULT_PORTRAIT_DOMAINS);
      addSectionWithContent(doc, section, blocks);
    }
  });
  return sections;
}
