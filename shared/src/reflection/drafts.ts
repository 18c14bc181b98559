// Flags, consent and workshop dimensions as records, with the checks the UI reports in words
// (a flag on a deleted passage, consent on an unknown section, a dimension without phrases or
// with a taken id): nothing is half-written.
import { nanoid } from "nanoid";
import type * as Y from "yjs";
import { anchorForRange } from "../anchors/anchorForQuote.js";
import { resolveAnchor } from "../anchors/resolveAnchor.js";
import { DEFAULT_DIMENSIONS, workshopDimensions, type Dimension } from "../annotations/dimensions.js";
import { metaOf } from "../doc/layout.js";
import { readSections } from "../doc/records.js";
import type { Anchor, Consent, ConsentLevel, Flag, FlagOutcome } from "../doc/types.js";
import { CONSENT_LEVELS } from "../doc/types.js";
import { sectionHash } from "../text/sectionText.js";

/** A record, or why it cannot be made. */
export type DraftResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** A flag on the range [from, to) of a section's text. */
export function draftFlag(doc: Y.Doc, sectionId: string, from: number, to: number, title: string, raisedBy: string, now = Date.now(), id = nanoid(12)): DraftResult<Flag> {
  if (!readSections(doc).some((s) => s.id === sectionId)) return { ok: false, message: "There is no such section." };
  const anchor = anchorForRange(doc, sectionId, from, to);
  return draftFlagAt(doc, sectionId, anchor, title, raisedBy, now, id);
}

/** A flag on an anchored passage (from a selection, a hotspot or an annotation). */
export function draftFlagAt(doc: Y.Doc, sectionId: string, anchor: Anchor | null, title: string, raisedBy: string, now = Date.now(), id = nanoid(12)): DraftResult<Flag> {
  const range = anchor ? resolveAnchor(doc, sectionId, anchor) : null;
  if (!anchor || !range) return { ok: false, message: "That passage is no longer in the text: a flag needs a passage that exists." };
  const clean = title.trim() || range.text.slice(0, 80);
  if (clean.length > 500) return { ok: false, message: "The flag's title can be at most 500 characters." };
  return { ok: true, value: { id, sectionId, anchor, quote: range.text, title: clean, raisedBy, status: "open", createdAt: now } };
}

/** A flag closed with an outcome and a note (for "parked", the note names the owner). */
export function closeFlag(flag: Flag, outcome: FlagOutcome, note: string): DraftResult<Flag> {
  if (note.length > 10_000) return { ok: false, message: "The note can be at most 10,000 characters." };
  if (outcome === "parked" && note.trim() === "") return { ok: false, message: "Say who owns the parked question, and what happens next." };
  return { ok: true, value: { ...flag, status: "closed", outcome, outcomeNote: note.trim() } };
}

/** An organization's consent to a section's current text. */
export async function draftConsent(doc: Y.Doc, sectionId: string, orgId: string, level: ConsentLevel, note: string, author: string, now = Date.now()): Promise<DraftResult<Consent>> {
  if (!readSections(doc).some((s) => s.id === sectionId)) return { ok: false, message: "There is no such section." };
  if (!CONSENT_LEVELS.includes(level)) return { ok: false, message: "Choose a level of consent." };
  if (note.length > 10_000) return { ok: false, message: "The note can be at most 10,000 characters." };
  const trimmed = note.trim();
  return { ok: true, value: { sectionId, orgId, level, author, at: now, contentHash: await sectionHash(doc, sectionId), ...(trimmed ? { note: trimmed } : {}) } };
}

/** An id for a new dimension, from its label. */
export function dimensionId(label: string): string {
  return label
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
}

function cleanPhrases(phrases: readonly string[]): string[] {
  return [...new Set(phrases.map((p) => p.trim()).filter((p) => p !== ""))];
}

/** Adds a dimension to the workshop (facilitators write `meta`). */
export function addDimension(doc: Y.Doc, label: string, phrases: readonly string[]): DraftResult<Dimension> {
  const id = dimensionId(label);
  const clean = cleanPhrases(phrases);
  if (id === "") return { ok: false, message: "Give the dimension a name." };
  if (clean.length === 0) return { ok: false, message: "Give at least one phrase that names this dimension in a definition." };
  if (clean.some((p) => p.length > 200)) return { ok: false, message: "A phrase can be at most 200 characters." };
  if (workshopDimensions(doc).some((d) => d.id === id)) return { ok: false, message: `There is already a dimension "${id}".` };
  const dimension: Dimension = { id, label: label.trim().slice(0, 200), phrases: clean };
  const added = metaOf(doc).get("dimensions");
  metaOf(doc).set("dimensions", [...(Array.isArray(added) ? added : []), dimension]);
  return { ok: true, value: dimension };
}

/** Adds phrases to a dimension (a default one or the workshop's own). */
export function addPhrases(doc: Y.Doc, id: string, phrases: readonly string[]): DraftResult<Dimension> {
  const existing = workshopDimensions(doc).find((d) => d.id === id);
  const clean = cleanPhrases(phrases).filter((p) => !existing?.phrases.includes(p));
  if (!existing) return { ok: false, message: "There is no such dimension." };
  if (clean.length === 0) return { ok: false, message: "Give at least one new phrase." };
  const added = metaOf(doc).get("dimensions");
  const list = (Array.isArray(added) ? [...added] : []) as Dimension[];
  const own = list.findIndex((d) => d && d.id === id);
  if (own >= 0) list[own] = { ...list[own]!, phrases: [...list[own]!.phrases, ...clean] };
  else {
    const base = DEFAULT_DIMENSIONS.find((d) => d.id === id)!;
    list.push({ id, label: base.label, phrases: clean });
  }
  metaOf(doc).set("dimensions", list);
  return { ok: true, value: { ...existing, phrases: [...existing.phrases, ...clean] } };
}
