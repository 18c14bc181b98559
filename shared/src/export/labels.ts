// How the record values read in an exported document. The web app has its own labels for the
// screen (web/src/annotations/labels.ts, ConsentPanel); these are the words printed on paper.
import type { ConsentLevel, FlagOutcome, FlagStatus, OrganizationKind, Stance } from "../doc/types.js";

/** Stances, as words. */
export const STANCE_WORDS: Record<Stance, string> = {
  endorse: "Endorse",
  question: "Question",
  concern: "Concern",
  alternative: "Proposes an alternative",
  note: "Note",
};

/** Consent levels, as words. */
export const CONSENT_WORDS: Record<ConsentLevel, string> = {
  endorse: "Endorse",
  "endorse-with-reservations": "Endorse with reservations",
  "can-live-with": "Can live with it",
  "needs-discussion": "Needs discussion",
  block: "Block",
};

/** Flag states, as words. */
export const FLAG_STATUS_WORDS: Record<FlagStatus, string> = {
  open: "Open",
  "in-reflection": "In reflection",
  closed: "Closed",
};

/** Reflection outcomes, as words. */
export const OUTCOME_WORDS: Record<FlagOutcome, string> = {
  aligned: "Aligned",
  "agree-to-differ": "Agree to differ",
  parked: "Parked",
};

/** Organization kinds, as words. */
export const KIND_WORDS: Record<OrganizationKind, string> = {
  district: "School district",
  university: "University",
  state: "State education agency",
  community: "Community organization",
  funder: "Funder",
  other: "Partner",
};

/** "A", "A and B", "A, B and C". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
