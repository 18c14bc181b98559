// A whole workshop at the end of a long retreat, the same on every run: every section of the
// template filled with annotated text (annotatedSection.ts) written by a client of one
// organization, as the sample partnership is seeded (relay/src/workshops/sample.ts), each
// organization's own definition ending with its words from the sample partnership, and
// consent recorded per section and organization (some agreed, some stale, some blocked).
import {
  annotationsOf,
  appendRichText,
  CONSENT_LEVELS,
  consentKey,
  consentOf,
  draftConsent,
  heading,
  paragraph,
  readSections,
  SAMPLE_PARTNERSHIP,
  sectionFragment,
  setAuthor,
  sha256Hex,
  type Annotation,
  type Consent,
  type ConsentLevel,
  type Organization,
  type OrganizationKind,
  type Section,
  type SectionKind,
} from "@crosswalk/shared";
import * as Y from "yjs";
import { writeAnnotatedSection, type SectionShape } from "./annotatedSection.js";
import type { SeededRandom } from "./seededRandom.js";

/** A partner organization and its current definition of equity. */
export interface RetreatOrganization {
  name: string;
  kind: OrganizationKind;
  definition: string;
}

/**
 * Six partners: the five of the sample partnership (../shared/fixtures/sample-partnership.json),
 * whose definitions name different equity dimensions, and a teachers' association.
 */
export const RETREAT_ORGANIZATIONS: readonly RetreatOrganization[] = [
  ...SAMPLE_PARTNERSHIP.organizations.map(({ name, kind, definition }) => ({ name, kind, definition })),
  {
    name: "Eastside Teachers Association",
    kind: "other",
    definition:
      "Equity means every teacher has the time, training and support to reach each student in the room, including newcomer students and students with disabilities, and that schools serving high-poverty neighborhoods are funded to match their needs.",
  },
];

/**
 * How much of the workshop's text each kind of section holds: most in the shared definition and
 * the portrait, about a page in each organization's own definition (6 organizations: 15%).
 */
const WORD_WEIGHT: Record<SectionKind, number> = { "org-definition": 2.5, definition: 45, portrait: 40 };

/** What was written. */
export interface AnnotatedWorkshop {
  sections: number;
  words: number;
  textblocks: number;
  characters: number;
  annotations: number;
}

/** A replica of `doc` with a client id of its own, as a participant's browser holds one. */
function replica(doc: Y.Doc): Y.Doc {
  const writer = new Y.Doc();
  Y.applyUpdate(writer, Y.encodeStateAsUpdate(doc));
  return writer;
}

/** `total` split in proportion to `weights`, the last part taking what rounding left. */
function split(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.round((total * w) / sum));
  parts[parts.length - 1]! += total - parts.reduce((a, b) => a + b, 0);
  return parts;
}

/** The organization that writes a section: its own for a definition, otherwise in turn. */
function writerOf(section: Section, index: number, organizations: readonly Organization[]): Organization {
  return organizations.find((o) => o.id === section.orgId) ?? organizations[index % organizations.length]!;
}

/**
 * Fills every section of `doc` (a workshop as POST /api/workshops lays it out) with
 * `shape.words` words and `shape.annotations` annotations in all, spread by WORD_WEIGHT.
 * Each section is one transaction of text and annotation records in batches of 100, so a
 * y-websocket client holding `doc` sends it in messages of a realistic size.
 * `definitions` (organization id -> text) end each organization's own definition.
 */
export function writeAnnotatedWorkshop(
  doc: Y.Doc,
  organizations: readonly Organization[],
  definitions: ReadonlyMap<string, string>,
  random: SeededRandom,
  shape: SectionShape,
): AnnotatedWorkshop {
  const sections = readSections(doc);
  const weights = sections.map((s) => WORD_WEIGHT[s.kind]);
  const words = split(shape.words, weights);
  const annotationCounts = split(shape.annotations, weights);
  const total: AnnotatedWorkshop = { sections: sections.length, words: 0, textblocks: 0, characters: 0, annotations: 0 };
  sections.forEach((section, i) => {
    const org = writerOf(section, i, organizations);
    const writer = replica(doc);
    const updates: Uint8Array[] = [];
    writer.on("update", (update: Uint8Array) => updates.push(update));
    const written = writeAnnotatedSection(writer, section.id, organizations, random, {
      ...shape,
      words: words[i]!,
      annotations: annotationCounts[i]!,
    });
    // writeAnnotatedSection's first transaction writes the text; the ones after it write the
    // annotation records under ids that restart at bench-0000 in every section, so only the
    // text is taken from the writer and the records are written again under ids of their own.
    setAuthor(doc, writer.clientID, { orgId: org.id, name: `${org.name} participant` });
    Y.applyUpdate(doc, updates[0]!);
    writer.destroy();
    const records: Annotation[] = written.annotations.map((a) => ({ ...a, id: `${section.id}-${a.id}` }));
    for (let b = 0; b < records.length; b += 100) {
      doc.transact(() => {
        for (const a of records.slice(b, b + 100)) annotationsOf(doc).set(a.id, a);
      });
    }
    const definition = section.orgId ? definitions.get(section.orgId) : undefined;
    if (definition) {
      // Another client of the same organization adds its definition as the sample states it.
      const closer = replica(doc);
      const before = Y.encodeStateVector(closer);
      closer.transact(() => {
        setAuthor(closer, closer.clientID, { orgId: org.id, name: `${org.name} lead` });
        appendRichText(sectionFragment(closer, section.id), [heading(2, "Our definition today"), paragraph(definition)]);
      });
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(closer, before));
      closer.destroy();
    }
    total.words += written.words + (definition ? definition.split(" ").length + 3 : 0);
    total.textblocks += written.textblocks + (definition ? 2 : 0);
    total.characters += written.characters;
    total.annotations += records.length;
  });
  return total;
}

/** Consent recorded. */
export interface ConsentFigures {
  records: number;
  /** Sections every organization consented to, none blocking. */
  agreedSections: number;
}

/** Levels an organization that agrees gives. */
const AGREEING: readonly ConsentLevel[] = ["endorse", "endorse-with-reservations", "can-live-with"];

/**
 * Records each organization's consent to each section as the consent panel does
 * (draftConsent): every third section agreed by all; on the others an organization has
 * consented to the current text at any level, to an earlier text (stale), or not at all.
 */
export async function recordConsents(doc: Y.Doc, organizations: readonly Organization[], random: SeededRandom): Promise<ConsentFigures> {
  const figures: ConsentFigures = { records: 0, agreedSections: 0 };
  const at = Date.UTC(2025, 5, 12, 16);
  const sections = readSections(doc);
  for (const [i, section] of sections.entries()) {
    const agreed = i % 3 === 0;
    if (agreed) figures.agreedSections++;
    const records: Consent[] = [];
    for (const org of organizations) {
      const roll = random.next();
      if (!agreed && roll < 0.2) continue;
      const level = agreed ? random.pick(AGREEING) : random.pick(CONSENT_LEVELS);
      const note = level === "endorse" ? "" : "We would like to revisit the wording of the second part.";
      const drafted = await draftConsent(doc, section.id, org.id, level, note, `${org.name} lead`, at + figures.records * 60_000);
      if (!drafted.ok) throw new Error(`consent to ${section.id}: ${drafted.message}`);
      const stale = !agreed && roll < 0.4;
      records.push(stale ? { ...drafted.value, contentHash: await sha256Hex(`an earlier text of ${section.id}`) } : drafted.value);
    }
    doc.transact(() => {
      for (const c of records) consentOf(doc).set(consentKey(c.sectionId, c.orgId), c);
    });
    figures.records += records.length;
  }
  return figures;
}
