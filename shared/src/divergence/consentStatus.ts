// Consent per section (../shared/CONTRACT.md): agreed when every organization has a current
// consent and none is "needs-discussion" or "block"; a consent given to other text is stale.
import type { Consent } from "../doc/types.js";

/** A section's consent state. */
export interface SectionConsent {
  agreed: boolean;
  /** Organizations whose consent was given to text that has changed since. */
  stale: string[];
  /** Organizations with no consent at all. */
  missing: string[];
  /** Organizations whose current consent is "needs-discussion" or "block". */
  blocking: string[];
}

/** The consent state of a section, given its current hash and the workshop's consent records. */
export function sectionConsent(sectionId: string, currentHash: string, orgIds: readonly string[], consents: Iterable<Consent>): SectionConsent {
  const byOrg = new Map<string, Consent>();
  for (const c of consents) {
    if (c.sectionId !== sectionId) continue;
    const seen = byOrg.get(c.orgId);
    if (!seen || c.at > seen.at) byOrg.set(c.orgId, c);
  }
  const stale: string[] = [];
  const missing: string[] = [];
  const blocking: string[] = [];
  for (const orgId of orgIds) {
    const c = byOrg.get(orgId);
    if (!c) missing.push(orgId);
    else if (c.contentHash !== currentHash) stale.push(orgId);
    else if (c.level === "needs-discussion" || c.level === "block") blocking.push(orgId);
  }
  return { agreed: orgIds.length > 0 && stale.length === 0 && missing.length === 0 && blocking.length === 0, stale, missing, blocking };
}

/** How a section's list entry reads: agreed, blocked (someone blocks or needs discussion) or pending. */
export function consentSummary(state: SectionConsent): "agreed" | "blocked" | "pending" {
  if (state.agreed) return "agreed";
  return state.blocking.length > 0 ? "blocked" : "pending";
}
