// Annotations drawn into the editor as ProseMirror decorations (they never live in the text, so
// they cannot collide with editing): one underline per annotation in its organization's colour
// and pattern, stacked by organization so overlapping annotations all stay visible, and a
// gutter marker counting the annotations on each passage.
import { buildTextMap, sectionAnnotations, sectionFragment, stancesDisagree, type Annotation, type OrganizationPattern, type Stance } from "@crosswalk/shared";
import type { Node as PMNode } from "@tiptap/pm/model";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import type * as Y from "yjs";
import { buildPmTextMap, offsetToPos } from "./pmTextMap.js";

/** How an organization's annotations look. */
export interface OrgStyle {
  color: string;
  pattern: OrganizationPattern;
  /** The organization's place in the workshop: the stacking order of underlines. */
  order: number;
  name: string;
}

/** Everything the decorations are computed from. */
export interface AnnotationDecorationInput {
  pmDoc: PMNode;
  ydoc: Y.Doc;
  sectionId: string;
  annotations: readonly Annotation[];
  orgs: ReadonlyMap<string, OrgStyle>;
  activeId: string | null;
}

const STANCE_WORDS: Record<Annotation["stance"], string> = {
  endorse: "endorses",
  question: "asks a question on",
  concern: "raises a concern on",
  alternative: "proposes an alternative to",
  note: "notes",
};

function gutter(count: number): HTMLElement {
  const el = document.createElement("span");
  el.className = "anno-gutter";
  el.textContent = String(count);
  el.setAttribute("aria-hidden", "true");
  el.title = `${count} annotation${count === 1 ? "" : "s"} on this passage`;
  return el;
}

/** The divergence map's mark in the margin: stronger the more organizations take a position. */
function heat(score: number): HTMLElement {
  const el = document.createElement("span");
  el.className = `heat heat--${Math.min(score, 5)}`;
  el.setAttribute("aria-hidden", "true");
  el.title = `${score} organizations take disagreeing positions on this passage`;
  el.dataset.testid = "heat";
  return el;
}

/**
 * The decorations, or null when the editor and the shared document do not hold the same text
 * yet (a local change not yet written to Yjs): the caller keeps the mapped old ones meanwhile.
 */
export function annotationDecorations(input: AnnotationDecorationInput): DecorationSet | null {
  const { pmDoc, ydoc, sectionId, orgs, activeId } = input;
  const pmMap = buildPmTextMap(pmDoc);
  const yMap = buildTextMap(sectionFragment(ydoc, sectionId));
  if (pmMap.text !== yMap.text) return null;
  const open = input.annotations.filter((a) => !a.resolved);
  const { passages } = sectionAnnotations(ydoc, sectionId, open, yMap);
  const decorations: Decoration[] = [];
  for (const passage of passages) {
    const orgOrder = [...new Set(passage.items.map((v) => v.annotation.orgId))].sort((a, b) => (orgs.get(a)?.order ?? 99) - (orgs.get(b)?.order ?? 99));
    for (const view of passage.items) {
      const a = view.annotation;
      const from = offsetToPos(pmMap, view.range!.from);
      const to = offsetToPos(pmMap, view.range!.to);
      if (from === null || to === null || from >= to) continue;
      const style = orgs.get(a.orgId);
      const level = orgOrder.indexOf(a.orgId);
      decorations.push(
        Decoration.inline(
          from,
          to,
          {
            // Its own element per annotation: without a nodeName ProseMirror merges overlapping
            // decorations into one span and only the last organization's underline would show.
            nodeName: "span",
            class: `anno anno--p-${style?.pattern ?? "solid"}${a.id === activeId ? " anno--active" : ""}`,
            // Applied through the DOM's style object, which the CSP allows.
            style: `--anno-color:${style?.color ?? "#555555"};--anno-level:${level}`,
            "data-annotation-id": a.id,
            title: `${style?.name ?? "An organization"} ${STANCE_WORDS[a.stance]} this passage`,
          },
          { annotationId: a.id },
        ),
      );
    }
    const start = offsetToPos(pmMap, passage.from);
    if (start === null) continue;
    decorations.push(Decoration.widget(start, () => gutter(passage.items.length), { side: -1, key: `gutter-${passage.from}-${passage.items.length}`, ignoreSelection: true }));
    const stances = new Map<string, Set<Stance>>();
    for (const v of passage.items) stances.set(v.annotation.orgId, (stances.get(v.annotation.orgId) ?? new Set<Stance>()).add(v.annotation.stance));
    if (stancesDisagree(stances)) {
      const score = [...stances.values()].filter((set) => set.has("endorse") || set.has("concern") || set.has("alternative")).length;
      decorations.push(Decoration.widget(start, () => heat(score), { side: -1, key: `heat-${passage.from}-${score}`, ignoreSelection: true }));
    }
  }
  return DecorationSet.create(pmDoc, decorations);
}

/** Annotation ids of the decorations at a position (for "click a highlight, see it in the sidebar"). */
export function annotationsAt(set: DecorationSet, pos: number): string[] {
  return set
    .find(pos, pos)
    .map((d) => (d.spec as { annotationId?: string }).annotationId)
    .filter((id): id is string => typeof id === "string");
}
