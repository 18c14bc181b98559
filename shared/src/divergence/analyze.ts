// The divergence analysis of a workshop (../shared/CONTRACT.md, `GET /api/workshops/:id/analysis`):
// pure, deterministic, from the document alone. The web app reruns it as the document changes;
// the relay's endpoint serves the same JSON.
import type * as Y from "yjs";
import { workshopDimensions } from "../annotations/dimensions.js";
import { annotationsOf, consentOf, sectionFragment } from "../doc/layout.js";
import { annotationSchema, consentSchema, readAuthors, readOrganizations, readRecords, readSections } from "../doc/records.js";
import { sha256Hex } from "../text/sectionText.js";
import { buildTextMap } from "../text/textMap.js";
import { sectionAuthorship } from "./authorship.js";
import { sectionConsent, type SectionConsent } from "./consentStatus.js";
import { rankHotspots, sectionHotspots, type Hotspot } from "./hotspots.js";
import { compileLexicon } from "./matchDimensions.js";

/** Which dimensions a text names, with evidence. */
export type DimensionMatches = Record<string, { named: boolean; evidence: string[] }>;

/** The analysis JSON. */
export interface WorkshopAnalysis {
  hotspots: Hotspot[];
  dimensions: {
    list: string[];
    byOrg: Record<string, DimensionMatches>;
    sharedDraft: DimensionMatches;
    divergent: string[];
  };
  authorship: Record<string, Record<string, number>>;
  consent: Record<string, SectionConsent>;
}

/** Analyzes a workshop document. `hashes` (section id → sectionHash) may be passed when already known. */
export async function analyzeWorkshop(doc: Y.Doc, hashes?: ReadonlyMap<string, string>): Promise<WorkshopAnalysis> {
  const sections = readSections(doc);
  const organizations = readOrganizations(doc);
  const orgIds = organizations.map((o) => o.id);
  const annotations = [...readRecords(annotationsOf(doc), annotationSchema).valid.values()];
  const consents = [...readRecords(consentOf(doc), consentSchema).valid.values()];
  const authors = readAuthors(doc);
  const dimensions = workshopDimensions(doc);
  const lexicon = compileLexicon(dimensions);

  const hotspots: Hotspot[] = [];
  const authorship: WorkshopAnalysis["authorship"] = {};
  const consent: WorkshopAnalysis["consent"] = {};
  const byOrg: Record<string, DimensionMatches> = {};
  let sharedDraft: DimensionMatches = lexicon.match("");
  for (const section of sections) {
    const map = buildTextMap(sectionFragment(doc, section.id));
    hotspots.push(...sectionHotspots(doc, section.id, annotations, map));
    authorship[section.id] = sectionAuthorship(doc, section.id, authors);
    const hash = hashes?.get(section.id) ?? (await sha256Hex(map.text));
    consent[section.id] = sectionConsent(section.id, hash, orgIds, consents);
    if (section.kind === "org-definition" && section.orgId && orgIds.includes(section.orgId)) byOrg[section.orgId] = lexicon.match(map.text);
    if (section.kind === "definition") sharedDraft = lexicon.match(map.text);
  }
  const list = dimensions.map((d) => d.id);
  const withDefinitions = Object.values(byOrg);
  const divergent = list.filter((d) => {
    const named = withDefinitions.filter((m) => m[d]?.named).length;
    return named > 0 && named < withDefinitions.length;
  });
  return {
    hotspots: rankHotspots(hotspots, sections.map((s) => s.id)),
    dimensions: { list, byOrg, sharedDraft, divergent },
    authorship,
    consent,
  };
}
