// Annotations as the sidebar and the editor show them: resolved against the live text,
// grouped into passages (overlapping ranges), replies under their annotation, detached ones
// apart with their original quote. Pure: the same code runs in the browser and in tests.
import type * as Y from "yjs";
import { resolveAnchor } from "../anchors/resolveAnchor.js";
import { sectionFragment } from "../doc/layout.js";
import type { Annotation, Stance } from "../doc/types.js";
import { buildTextMap, type TextMap } from "../text/textMap.js";

/** An annotation with its current range (null when detached) and its replies, oldest first. */
export interface AnnotationView {
  annotation: Annotation;
  range: { from: number; to: number; text: string } | null;
  replies: Annotation[];
}

/** Overlapping annotations on one stretch of text, in document order. */
export interface Passage {
  from: number;
  to: number;
  /** The current text of the passage (the union of its annotations' ranges). */
  text: string;
  items: AnnotationView[];
}

/** A section's annotations, grouped. */
export interface SectionAnnotations {
  passages: Passage[];
  /** Annotations whose text was deleted, shown with their original quote. */
  detached: AnnotationView[];
}

/** Groups half-open ranges that overlap (ranges that only touch stay apart); input need not be sorted. */
export function clusterRanges<T extends { from: number; to: number }>(ranges: readonly T[]): T[][] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from || a.to - b.to);
  const clusters: T[][] = [];
  let end = -Infinity;
  for (const r of sorted) {
    const last = clusters[clusters.length - 1];
    if (last && r.from < end) {
      last.push(r);
      end = Math.max(end, r.to);
    } else {
      clusters.push([r]);
      end = r.to;
    }
  }
  return clusters;
}

/** Resolves and groups one section's annotations (records of other sections are ignored). */
export function sectionAnnotations(doc: Y.Doc, sectionId: string, records: Iterable<Annotation>, textMap?: TextMap): SectionAnnotations {
  const map = textMap ?? buildTextMap(sectionFragment(doc, sectionId));
  const top: AnnotationView[] = [];
  const replies = new Map<string, Annotation[]>();
  for (const a of records) {
    if (a.sectionId !== sectionId) continue;
    if (a.parentId) {
      const list = replies.get(a.parentId);
      if (list) list.push(a);
      else replies.set(a.parentId, [a]);
      continue;
    }
    top.push({ annotation: a, range: resolveAnchor(doc, sectionId, a.anchor, map), replies: [] });
  }
  for (const view of top) view.replies = (replies.get(view.annotation.id) ?? []).sort((x, y) => x.createdAt - y.createdAt || x.id.localeCompare(y.id));
  const attached = top.filter((v): v is AnnotationView & { range: NonNullable<AnnotationView["range"]> } => v.range !== null);
  const passages = clusterRanges(attached.map((v) => ({ from: v.range.from, to: v.range.to, view: v }))).map((cluster) => {
    const from = Math.min(...cluster.map((c) => c.from));
    const to = Math.max(...cluster.map((c) => c.to));
    const items = cluster.map((c) => c.view).sort((x, y) => x.range!.from - y.range!.from || x.annotation.createdAt - y.annotation.createdAt);
    return { from, to, text: map.text.slice(from, to), items };
  });
  const detached = top.filter((v) => v.range === null).sort((x, y) => x.annotation.createdAt - y.annotation.createdAt);
  return { passages, detached };
}

/** What the sidebar shows. Empty sets mean "any". */
export interface AnnotationFilter {
  orgIds: ReadonlySet<string>;
  stances: ReadonlySet<Stance>;
  dimensions: ReadonlySet<string>;
  status: "all" | "open" | "resolved";
}

/** A filter that lets everything through. */
export const NO_FILTER: AnnotationFilter = { orgIds: new Set(), stances: new Set(), dimensions: new Set(), status: "all" };

/** True when an annotation passes the filter. */
export function matchesFilter(a: Annotation, f: AnnotationFilter): boolean {
  if (f.orgIds.size > 0 && !f.orgIds.has(a.orgId)) return false;
  if (f.stances.size > 0 && !f.stances.has(a.stance)) return false;
  if (f.dimensions.size > 0 && !a.dimensions.some((d) => f.dimensions.has(d))) return false;
  if (f.status === "open" && a.resolved) return false;
  if (f.status === "resolved" && !a.resolved) return false;
  return true;
}

/** The grouped annotations with only the matching ones (passages left empty are dropped). */
export function filterAnnotations(grouped: SectionAnnotations, f: AnnotationFilter): SectionAnnotations {
  return {
    passages: grouped.passages.map((p) => ({ ...p, items: p.items.filter((v) => matchesFilter(v.annotation, f)) })).filter((p) => p.items.length > 0),
    detached: grouped.detached.filter((v) => matchesFilter(v.annotation, f)),
  };
}
