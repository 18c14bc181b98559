// The divergence map (../shared/CONTRACT.md, "Divergence analysis"): passages where
// organizations' live annotations overlap and their stances disagree.
import type * as Y from "yjs";
import { clusterRanges } from "../annotations/passages.js";
import { resolveAnchor } from "../anchors/resolveAnchor.js";
import { sectionFragment } from "../doc/layout.js";
import { STANCES, type Annotation, type Stance } from "../doc/types.js";
import { buildTextMap, type TextMap } from "../text/textMap.js";

/** A passage where organizations disagree. */
export interface Hotspot {
  sectionId: string;
  /** Current text of the union of the cluster's ranges. */
  quote: string;
  /** Every stance each organization holds in the cluster (neutral ones included), in STANCES order. */
  orgs: Record<string, Stance[]>;
  /** Distinct organizations holding an endorse, concern or alternative stance. */
  score: number;
  /** Where it is (sectionText offsets), for the editor's margin and for ordering. */
  from: number;
  to: number;
}

const TAKES_A_POSITION: ReadonlySet<Stance> = new Set(["endorse", "concern", "alternative"]);

/** True when the stances disagree: one organization endorses and another raises a concern or alternative, or two propose alternatives. */
export function stancesDisagree(byOrg: ReadonlyMap<string, ReadonlySet<Stance>>): boolean {
  const endorsers = [...byOrg].filter(([, s]) => s.has("endorse")).map(([o]) => o);
  const objectors = [...byOrg].filter(([, s]) => s.has("concern") || s.has("alternative")).map(([o]) => o);
  const alternatives = [...byOrg].filter(([, s]) => s.has("alternative")).length;
  return endorsers.some((e) => objectors.some((o) => o !== e)) || alternatives >= 2;
}

/** The hotspots of one section, given the workshop's annotation records (others ignored). */
export function sectionHotspots(doc: Y.Doc, sectionId: string, annotations: Iterable<Annotation>, textMap?: TextMap): Hotspot[] {
  const map = textMap ?? buildTextMap(sectionFragment(doc, sectionId));
  const live: Array<{ from: number; to: number; a: Annotation }> = [];
  for (const a of annotations) {
    if (a.sectionId !== sectionId || a.parentId || a.resolved) continue;
    const range = resolveAnchor(doc, sectionId, a.anchor, map);
    if (range) live.push({ from: range.from, to: range.to, a });
  }
  const out: Hotspot[] = [];
  for (const cluster of clusterRanges(live)) {
    const byOrg = new Map<string, Set<Stance>>();
    for (const { a } of cluster) {
      const set = byOrg.get(a.orgId) ?? new Set<Stance>();
      set.add(a.stance);
      byOrg.set(a.orgId, set);
    }
    if (!stancesDisagree(byOrg)) continue;
    const from = Math.min(...cluster.map((c) => c.from));
    const to = Math.max(...cluster.map((c) => c.to));
    const orgs: Record<string, Stance[]> = {};
    for (const [orgId, set] of byOrg) orgs[orgId] = STANCES.filter((s) => set.has(s));
    const score = [...byOrg.values()].filter((s) => [...s].some((x) => TAKES_A_POSITION.has(x))).length;
    out.push({ sectionId, quote: map.text.slice(from, to), orgs, score, from, to });
  }
  return out;
}

/** Orders hotspots by score, highest first (then by section order and position). */
export function rankHotspots(hotspots: Hotspot[], sectionOrder: readonly string[]): Hotspot[] {
  const index = (id: string) => {
    const i = sectionOrder.indexOf(id);
    return i === -1 ? sectionOrder.length : i;
  };
  return [...hotspots].sort((a, b) => b.score - a.score || index(a.sectionId) - index(b.sectionId) || a.from - b.from);
}
