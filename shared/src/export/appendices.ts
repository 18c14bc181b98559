// The appendices of an export: the record of who agreed, of the reflection rounds (every
// statement in the organizations' own words), of each organization's annotations, and the
// equity-dimension crosswalk. Plain data; documentBlocks.ts lays it out for every format.
import type * as Y from "yjs";
import { workshopDimensions } from "../annotations/dimensions.js";
import { annotationsOf, flagsOf, reflectionsOf } from "../doc/layout.js";
import { annotationSchema, flagSchema, readRecords, reflectionSchema } from "../doc/records.js";
import { STANCES } from "../doc/types.js";
import type { Consent, ConsentLevel, FlagOutcome, FlagStatus, Organization, ReflectionKind, Section, Stance } from "../doc/types.js";
import type { WorkshopAnalysis } from "../divergence/analyze.js";
import { isoDate } from "./exportDate.js";
import { CONSENT_WORDS, FLAG_STATUS_WORDS, OUTCOME_WORDS, STANCE_WORDS } from "./labels.js";

/** One organization's latest consent to one section (or its absence). */
export interface ConsentRow {
  sectionId: string;
  section: string;
  organization: string;
  /** null when the organization has recorded no consent to the section. */
  level: ConsentLevel | null;
  levelLabel: string;
  note: string;
  /** YYYY-MM-DD, null when there is no consent. */
  date: string | null;
  /** The consent was given to a text that has changed since. */
  stale: boolean;
}

/** One reflection statement, in the organization's own words. */
export interface StatementRecord {
  kind: ReflectionKind;
  /** "What we mean", or "What we hear <organization> saying". */
  label: string;
  text: string;
}

/** Every statement one organization made on a flag. */
export interface ReflectionVoice {
  orgId: string;
  organization: string;
  statements: StatementRecord[];
}

/** A flagged passage, its reflection round and its outcome. */
export interface FlagRecord {
  id: string;
  title: string;
  section: string;
  quote: string;
  status: FlagStatus;
  statusLabel: string;
  outcome: FlagOutcome | null;
  outcomeLabel: string | null;
  outcomeNote: string;
  /** By organization, in the workshop's order; organizations without statements are left out. */
  voices: ReflectionVoice[];
}

/** One annotation (replies are not listed). */
export interface AnnotationRecord {
  section: string;
  quote: string;
  stance: Stance;
  stanceLabel: string;
  /** Dimension labels. */
  dimensions: string[];
  comment: string;
  resolved: boolean;
}

/** One organization's annotations and its count of each stance. */
export interface OrganizationAnnotations {
  orgId: string;
  organization: string;
  counts: Record<Stance, number>;
  annotations: AnnotationRecord[];
}

/** Whether a text names a dimension, with the words that do. */
export interface CrosswalkCell {
  named: boolean;
  evidence: string[];
}

/** Titles and an introduction sentence every appendix has. */
export interface AppendixHeading {
  /** "Appendix A: Consent record" (letters in the order of the appendices present). */
  title: string;
  intro: string;
}

/** The consent record. */
export interface ConsentAppendix extends AppendixHeading {
  rows: ConsentRow[];
}

/** The reflection record. */
export interface ReflectionAppendix extends AppendixHeading {
  flags: FlagRecord[];
}

/** The annotations, by organization. */
export interface AnnotationAppendix extends AppendixHeading {
  byOrganization: OrganizationAnnotations[];
}

/** The dimension crosswalk: rows are the organizations' definitions and the shared draft; columns are dimensions. */
export interface CrosswalkAppendix extends AppendixHeading {
  columns: Array<{ id: string; label: string; divergent: boolean }>;
  rows: Array<{ label: string; cells: CrosswalkCell[] }>;
}

/** The appendices asked for; absent when not asked for. */
export interface ExportAppendices {
  consent?: ConsentAppendix;
  reflections?: ReflectionAppendix;
  annotations?: AnnotationAppendix;
  crosswalk?: CrosswalkAppendix;
}

/** What the appendices are built from. */
export interface AppendixInput {
  doc: Y.Doc;
  analysis: WorkshopAnalysis;
  organizations: readonly Organization[];
  /** The sections in the export: consent, reflections and annotations cover these only. */
  sections: readonly Section[];
  /** Every section of the workshop (the crosswalk looks at definitions whether exported or not). */
  allSections: readonly Section[];
  consents: ReadonlyMap<string, ReadonlyMap<string, Consent>>;
  include: { consent: boolean; reflections: boolean; annotations: boolean; crosswalk: boolean };
  timeZone: string;
}

const FORMER_ORGANIZATION = "An organization no longer in the workshop";

function consentAppendix(input: AppendixInput, name: (orgId: string) => string): Omit<ConsentAppendix, "title"> {
  const rows: ConsentRow[] = [];
  for (const section of input.sections) {
    const stale = new Set(input.analysis.consent[section.id]?.stale ?? []);
    for (const org of input.organizations) {
      const consent = input.consents.get(section.id)?.get(org.id);
      const base = { sectionId: section.id, section: section.title, organization: name(org.id) };
      if (!consent) {
        rows.push({ ...base, level: null, levelLabel: "No consent recorded", note: "", date: null, stale: false });
        continue;
      }
      const isStale = stale.has(org.id);
      const levelLabel = CONSENT_WORDS[consent.level] + (isStale ? " (given to an earlier text)" : "");
      rows.push({ ...base, level: consent.level, levelLabel, note: consent.note ?? "", date: isoDate(consent.at, input.timeZone) || null, stale: isStale });
    }
  }
  return {
    intro: "Each organization's latest consent to each section in this document. A consent given to an earlier text is stale: the section changed after it was given, so it does not count towards agreement.",
    rows,
  };
}

function reflectionAppendix(input: AppendixInput, name: (orgId: string) => string, sectionTitle: Map<string, string>): Omit<ReflectionAppendix, "title"> {
  const flags = [...readRecords(flagsOf(input.doc), flagSchema).valid.values()]
    .filter((f) => sectionTitle.has(f.sectionId))
    .sort((a, b) => a.createdAt - b.createdAt);
  const statements = [...readRecords(reflectionsOf(input.doc), reflectionSchema).valid.values()].sort((a, b) => a.createdAt - b.createdAt);
  const orgOrder = input.organizations.map((o) => o.id);
  const records = flags.map((flag): FlagRecord => {
    const byOrg = new Map<string, StatementRecord[]>();
    for (const r of statements) {
      if (r.flagId !== flag.id) continue;
      const label = r.kind === "perspective-making" ? "What we mean" : `What we hear ${r.aboutOrgId ? name(r.aboutOrgId) : "another organization"} saying`;
      const list = byOrg.get(r.orgId) ?? [];
      list.push({ kind: r.kind, label, text: r.text });
      byOrg.set(r.orgId, list);
    }
    // Workshop order first, then statements of organizations since removed.
    const orgIds = [...orgOrder.filter((id) => byOrg.has(id)), ...[...byOrg.keys()].filter((id) => !orgOrder.includes(id))];
    return {
      id: flag.id,
      title: flag.title,
      section: sectionTitle.get(flag.sectionId) ?? "",
      quote: flag.quote,
      status: flag.status,
      statusLabel: FLAG_STATUS_WORDS[flag.status],
      outcome: flag.outcome ?? null,
      outcomeLabel: flag.outcome ? OUTCOME_WORDS[flag.outcome] : null,
      outcomeNote: flag.outcomeNote ?? "",
      voices: orgIds.map((orgId) => ({ orgId, organization: name(orgId), statements: byOrg.get(orgId) ?? [] })),
    };
  });
  return {
    intro:
      "The passages flagged for structured reflection. Each organization's statements are in its own words: what it means (perspective-making) and what it hears another organization saying (perspective-taking). Where the outcome is “Agree to differ”, the differences were named and consciously left standing.",
    flags: records,
  };
}

function annotationAppendix(input: AppendixInput, sectionTitle: Map<string, string>): Omit<AnnotationAppendix, "title"> {
  const dimensionLabel = new Map(workshopDimensions(input.doc).map((d) => [d.id, d.label]));
  const sectionOrder = new Map(input.sections.map((s, i) => [s.id, i]));
  const annotations = [...readRecords(annotationsOf(input.doc), annotationSchema).valid.values()]
    .filter((a) => a.parentId === undefined && sectionOrder.has(a.sectionId))
    .sort((a, b) => (sectionOrder.get(a.sectionId) ?? 0) - (sectionOrder.get(b.sectionId) ?? 0) || a.createdAt - b.createdAt);
  const byOrganization = input.organizations.map((org): OrganizationAnnotations => {
    const own = annotations.filter((a) => a.orgId === org.id);
    const counts = Object.fromEntries(STANCES.map((s) => [s, own.filter((a) => a.stance === s).length])) as Record<Stance, number>;
    return {
      orgId: org.id,
      organization: org.name,
      counts,
      annotations: own.map((a) => ({
        section: sectionTitle.get(a.sectionId) ?? "",
        quote: a.quote,
        stance: a.stance,
        stanceLabel: STANCE_WORDS[a.stance],
        dimensions: a.dimensions.map((d) => dimensionLabel.get(d) ?? d),
        comment: a.body,
        resolved: a.resolved === true,
      })),
    };
  });
  return {
    intro: "Each organization's stances on passages of the sections in this document, with the equity dimensions it tagged. Replies are not listed.",
    byOrganization,
  };
}

function crosswalkAppendix(input: AppendixInput, name: (orgId: string) => string): Omit<CrosswalkAppendix, "title"> {
  const { list, byOrg, sharedDraft, divergent } = input.analysis.dimensions;
  const label = new Map(workshopDimensions(input.doc).map((d) => [d.id, d.label]));
  const columns = list.map((id) => ({ id, label: label.get(id) ?? id, divergent: divergent.includes(id) }));
  const cells = (matches: WorkshopAnalysis["dimensions"]["sharedDraft"]): CrosswalkCell[] =>
    list.map((id) => ({ named: matches[id]?.named === true, evidence: matches[id]?.evidence ?? [] }));
  const rows = input.organizations.flatMap((org) => {
    const matches = byOrg[org.id];
    return matches ? [{ label: `${name(org.id)}'s definition`, cells: cells(matches) }] : [];
  });
  if (input.allSections.some((s) => s.kind === "definition")) rows.push({ label: "Shared draft", cells: cells(sharedDraft) });
  return {
    intro:
      "Which equity dimensions each organization's own definition names, and which the shared draft names, with the words that name them as evidence. A dimension marked divergent is named by some organizations' definitions and not by others.",
    columns,
    rows,
  };
}

/** Builds the appendices asked for in `input.include`, lettered A, B, … in the order consent, reflections, annotations, crosswalk. */
export function buildAppendices(input: AppendixInput): ExportAppendices {
  const names = new Map(input.organizations.map((o) => [o.id, o.name]));
  const name = (orgId: string): string => names.get(orgId) ?? FORMER_ORGANIZATION;
  const sectionTitle = new Map(input.sections.map((s) => [s.id, s.title]));
  const out: ExportAppendices = {};
  let letter = 0;
  const title = (what: string): string => `Appendix ${String.fromCharCode(65 + letter++)}: ${what}`;
  if (input.include.consent) out.consent = { title: title("Consent record"), ...consentAppendix(input, name) };
  if (input.include.reflections) out.reflections = { title: title("Reflection record"), ...reflectionAppendix(input, name, sectionTitle) };
  if (input.include.annotations) out.annotations = { title: title("Annotations by organization"), ...annotationAppendix(input, sectionTitle) };
  if (input.include.crosswalk) out.crosswalk = { title: title("Equity dimensions crosswalk"), ...crosswalkAppendix(input, name) };
  return out;
}
