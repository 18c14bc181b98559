// Facilitation state kept in `meta` (facilitators write it; everyone reacts to it live):
// the reflection round in progress (its timer, "bring everyone here") and a call for consent.
import type * as Y from "yjs";
import { z } from "zod";
import { metaOf } from "../doc/layout.js";

/** A reflection round in progress. */
export interface RoundState {
  flagId: string;
  /** Set when the facilitator brought everyone to the flagged passage (each new value summons again). */
  summonedAt: number | null;
  /** The shared countdown: running while endsAt is set; paused with remainingMs left. */
  timer: { endsAt: number | null; remainingMs: number };
}

/** The facilitator asks every organization to record consent on a section. */
export interface ConsentCall {
  sectionId: string;
  at: number;
}

const roundSchema = z.object({
  flagId: z.string().min(1),
  summonedAt: z.number().nullable(),
  timer: z.object({ endsAt: z.number().nullable(), remainingMs: z.number().min(0) }),
});
const consentCallSchema = z.object({ sectionId: z.string().min(1), at: z.number() });

/** The round in progress, if any. */
export function readRound(doc: Y.Doc): RoundState | null {
  const parsed = roundSchema.safeParse(metaOf(doc).get("round"));
  return parsed.success ? parsed.data : null;
}

/** Starts, updates or ends (null) the round. */
export function writeRound(doc: Y.Doc, round: RoundState | null): void {
  if (round === null) metaOf(doc).delete("round");
  else metaOf(doc).set("round", round);
}

/** Milliseconds left on the round's timer at `now`. */
export function timeLeft(round: RoundState, now: number): number {
  return round.timer.endsAt === null ? round.timer.remainingMs : Math.max(0, round.timer.endsAt - now);
}

/** The current call for consent, if any. */
export function readConsentCall(doc: Y.Doc): ConsentCall | null {
  const parsed = consentCallSchema.safeParse(metaOf(doc).get("consentCall"));
  return parsed.success ? parsed.data : null;
}

/** Calls for consent on a section (or withdraws the call with null). */
export function writeConsentCall(doc: Y.Doc, call: ConsentCall | null): void {
  if (call === null) metaOf(doc).delete("consentCall");
  else metaOf(doc).set("consentCall", call);
}
