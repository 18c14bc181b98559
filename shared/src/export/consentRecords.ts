// Each organization's latest consent per section, as consentStatus.ts picks it (latest `at` wins).
import type * as Y from "yjs";
import { consentOf } from "../doc/layout.js";
import { consentSchema, readRecords } from "../doc/records.js";
import type { Consent } from "../doc/types.js";

/** Latest valid consent by section id, then organization id. */
export function latestConsents(doc: Y.Doc): Map<string, Map<string, Consent>> {
  const out = new Map<string, Map<string, Consent>>();
  for (const consent of readRecords(consentOf(doc), consentSchema).valid.values()) {
    let bySection = out.get(consent.sectionId);
    if (!bySection) out.set(consent.sectionId, (bySection = new Map()));
    const seen = bySection.get(consent.orgId);
    if (!seen || consent.at > seen.at) bySection.set(consent.orgId, consent);
  }
  return out;
}
