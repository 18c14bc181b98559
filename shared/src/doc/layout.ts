// The one owner of the Y.Doc layout (../shared/CONTRACT.md, "The workshop document").
// No other file names a top-level type: callers use these accessors, so a rename is a
// one-file change the compiler checks.
import type * as Y from "yjs";
import type { AuthorRecord, Organization, Section } from "./types.js";

/** Names of the top-level shared types, as the contract fixes them. */
export const ROOT = {
  meta: "meta",
  organizations: "organizations",
  sections: "sections",
  annotations: "annotations",
  flags: "flags",
  reflections: "reflections",
  consent: "consent",
  authors: "authors",
} as const;

/** The name of one of the fixed top-level types. */
export type RootName = (typeof ROOT)[keyof typeof ROOT];

/** Every fixed top-level name (section fragments come on top). */
export const ROOT_NAMES: readonly RootName[] = Object.values(ROOT);

/** Section content lives in the Y.XmlFragment named `section:<id>`. */
export const SECTION_FRAGMENT_PREFIX = "section:";

/** The top-level name of a section's content fragment (the TipTap Collaboration `field`). */
export function sectionFieldName(sectionId: string): string {
  return SECTION_FRAGMENT_PREFIX + sectionId;
}

/** The section id of a fragment name, or null when the name is not a section fragment. */
export function sectionIdOfField(name: string): string | null {
  return name.startsWith(SECTION_FRAGMENT_PREFIX) ? name.slice(SECTION_FRAGMENT_PREFIX.length) : null;
}

/** The `meta` map: `title`, `createdAt`, `template`. */
export function metaOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.meta);
}

/** The `organizations` map, keyed by organization id. Values are unvalidated JSON. */
export function organizationsOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.organizations);
}

/** The `sections` array, in display order. Values are unvalidated JSON. */
export function sectionsOf(doc: Y.Doc): Y.Array<unknown> {
  return doc.getArray(ROOT.sections);
}

/** The `annotations` map, keyed by annotation id. */
export function annotationsOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.annotations);
}

/** The `flags` map, keyed by flag id. */
export function flagsOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.flags);
}

/** The `reflections` map, keyed by reflection id. */
export function reflectionsOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.reflections);
}

/** The `consent` map, keyed by `consentKey(sectionId, orgId)`. */
export function consentOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.consent);
}

/** The `authors` map, keyed by `String(clientID)`. */
export function authorsOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT.authors);
}

/** The content fragment of a section. */
export function sectionFragment(doc: Y.Doc, sectionId: string): Y.XmlFragment {
  return doc.getXmlFragment(sectionFieldName(sectionId));
}

/** The key of an organization's consent to a section in the `consent` map. */
export function consentKey(sectionId: string, orgId: string): string {
  return `${sectionId}|${orgId}`;
}

/** Records the organization a Yjs client writes for. */
export function setAuthor(doc: Y.Doc, clientId: number, record: AuthorRecord): void {
  authorsOf(doc).set(String(clientId), record);
}

/** Appends a section record (the content fragment is created on first use). */
export function appendSection(doc: Y.Doc, section: Section): void {
  sectionsOf(doc).push([section]);
}

/** Writes an organization record. */
export function putOrganization(doc: Y.Doc, org: Organization): void {
  organizationsOf(doc).set(org.id, org);
}
