// Making an annotation (or a reply) from a selection or a quote, with the checks the UI
// reports in words: nothing is written when one fails.
import { nanoid } from "nanoid";
import type * as Y from "yjs";
import { anchorForRange } from "../anchors/anchorForQuote.js";
import { resolveAnchor } from "../anchors/resolveAnchor.js";
import type { Annotation, Stance } from "../doc/types.js";
import { STANCES } from "../doc/types.js";

/** Longest annotation or reply body. */
export const MAX_ANNOTATION_BODY = 10_000;

/** What a person fills in. */
export interface AnnotationInput {
  stance: Stance;
  dimensions: string[];
  body: string;
}

/** Who writes it. */
export interface AnnotationAuthor {
  orgId: string;
  author: string;
}

/** The outcome of drafting: a record to write, or why not. */
export type Drafted = { ok: true; annotation: Annotation } | { ok: false; message: string };

function checkInput(input: AnnotationInput, knownDimensions: readonly string[]): string | null {
  if (!STANCES.includes(input.stance)) return "Choose a stance.";
  const unknown = input.dimensions.filter((d) => !knownDimensions.includes(d));
  if (unknown.length > 0) return `Unknown equity dimension: ${unknown.join(", ")}.`;
  if (input.body.length > MAX_ANNOTATION_BODY) return `The comment is too long (${input.body.length} characters; at most ${MAX_ANNOTATION_BODY}).`;
  return null;
}

/**
 * An annotation of the character range [from, to) of a section's text (sectionText offsets).
 * `now` and `id` are parameters so tests are deterministic.
 */
export function draftAnnotation(
  doc: Y.Doc,
  sectionId: string,
  from: number,
  to: number,
  input: AnnotationInput,
  who: AnnotationAuthor,
  knownDimensions: readonly string[],
  now = Date.now(),
  id = nanoid(12),
): Drafted {
  if (!(from < to)) return { ok: false, message: "Select the passage you want to annotate first." };
  const problem = checkInput(input, knownDimensions);
  if (problem) return { ok: false, message: problem };
  const anchor = anchorForRange(doc, sectionId, from, to);
  const resolved = anchor ? resolveAnchor(doc, sectionId, anchor) : null;
  if (!anchor || !resolved) return { ok: false, message: "That passage is no longer in the text; select it again." };
  if (resolved.text.trim() === "") return { ok: false, message: "Select some words, not only spaces or line breaks." };
  return {
    ok: true,
    annotation: {
      id,
      sectionId,
      orgId: who.orgId,
      author: who.author,
      stance: input.stance,
      dimensions: [...new Set(input.dimensions)],
      body: input.body.trim(),
      anchor,
      quote: resolved.text,
      createdAt: now,
    },
  };
}

/** A reply to an annotation: it belongs to the replier's organization and shares the passage. */
export function draftReply(parent: Annotation, body: string, who: AnnotationAuthor, now = Date.now(), id = nanoid(12)): Drafted {
  if (body.trim() === "") return { ok: false, message: "Write a reply first." };
  if (body.length > MAX_ANNOTATION_BODY) return { ok: false, message: `The reply is too long (${body.length} characters; at most ${MAX_ANNOTATION_BODY}).` };
  return {
    ok: true,
    annotation: {
      id,
      sectionId: parent.sectionId,
      orgId: who.orgId,
      author: who.author,
      stance: "note",
      dimensions: [],
      body: body.trim(),
      anchor: parent.anchor,
      quote: parent.quote,
      createdAt: now,
      parentId: parent.id,
    },
  };
}

/** An edit of an annotation's stance, dimensions or comment (the record is replaced whole). */
export function editAnnotation(existing: Annotation, input: AnnotationInput, knownDimensions: readonly string[]): Drafted {
  const problem = existing.parentId ? (input.body.trim() === "" ? "Write a reply first." : null) : checkInput(input, knownDimensions);
  if (problem) return { ok: false, message: problem };
  if (input.body.length > MAX_ANNOTATION_BODY) return { ok: false, message: `The comment is too long (at most ${MAX_ANNOTATION_BODY} characters).` };
  return { ok: true, annotation: { ...existing, stance: input.stance, dimensions: [...new Set(input.dimensions)], body: input.body.trim() } };
}
