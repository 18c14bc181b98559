import {
  CONSENT_LEVELS,
  consentKey,
  consentOf,
  consentSchema,
  consentSummary,
  draftConsent,
  organizationBadges,
  readConsentCall,
  readRecords,
  writeConsentCall,
  type Actor,
  type ConsentLevel,
  type Organization,
  type Section,
  type SectionConsent,
} from "@crosswalk/shared";
import { useMemo, useState } from "react";
import type * as Y from "yjs";
import { useDocValue } from "../collab/hooks.js";
import { OrgBadge } from "../components/OrgBadge.js";

/** How consent levels read. */
export const CONSENT_LABELS: Record<ConsentLevel, string> = {
  endorse: "Endorse",
  "endorse-with-reservations": "Endorse with reservations",
  "can-live-with": "Can live with it",
  "needs-discussion": "Needs discussion",
  block: "Block",
};

interface ConsentPanelProps {
  doc: Y.Doc;
  section: Section;
  state: SectionConsent | null;
  organizations: readonly Organization[];
  actor: Actor;
  readOnly: boolean;
}

/** Each organization's consent to the section's current text, and your organization's form. */
export function ConsentPanel({ doc, section, state, organizations, actor, readOnly }: ConsentPanelProps) {
  const records = useDocValue(doc, (d) => readRecords(consentOf(d), consentSchema).valid);
  const call = useDocValue(doc, readConsentCall);
  const badges = useMemo(() => organizationBadges(organizations), [organizations]);
  const mine = actor.orgId ? records.get(consentKey(section.id, actor.orgId)) : undefined;
  const [level, setLevel] = useState<ConsentLevel>(mine?.level ?? "endorse");
  const [note, setNote] = useState("");
  const [message, setMessage] = useState("");
  const summary = state ? consentSummary(state) : "pending";
  const statusOf = (orgId: string) => {
    if (!state) return "…";
    if (state.missing.includes(orgId)) return "No consent yet";
    const rec = records.get(consentKey(section.id, orgId));
    const level = rec ? CONSENT_LABELS[rec.level] : "";
    if (state.stale.includes(orgId)) return `${level} — stale: the text changed since; renew it`;
    return level;
  };
  const record = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!actor.orgId) return;
    const drafted = await draftConsent(doc, section.id, actor.orgId, level, note, actor.name);
    if (!drafted.ok) return setMessage(drafted.message);
    consentOf(doc).set(consentKey(section.id, actor.orgId), drafted.value);
    setNote("");
    setMessage("Consent recorded for the text as it reads now.");
  };
  return (
    <section className="consent" aria-labelledby="consent-heading">
      <h2 id="consent-heading">Consent</h2>
      <p className={`consent__summary consent__summary--${summary}`} data-testid="consent-summary">
        {summary === "agreed" ? "Agreed by every organization" : summary === "blocked" ? "Blocked or needs discussion" : "Pending"}
      </p>
      <ul className="consent__list">
        {organizations.map((o) => (
          <li key={o.id} data-testid="consent-row">
            <OrgBadge color={o.color} badge={badges.get(o.id)} name={o.name} />
            <span>
              <strong>{o.name}</strong>: {statusOf(o.id)}
              {records.get(consentKey(section.id, o.id))?.note && <span className="consent__note"> “{records.get(consentKey(section.id, o.id))?.note}”</span>}
            </span>
          </li>
        ))}
      </ul>
      {call?.sectionId === section.id && <p className="banner">The facilitator has called for consent on this section.</p>}
      {!readOnly && actor.role === "facilitator" && (
        <button type="button" onClick={() => writeConsentCall(doc, call?.sectionId === section.id ? null : { sectionId: section.id, at: Date.now() })}>
          {call?.sectionId === section.id ? "Withdraw the call for consent" : "Call for consent on this section"}
        </button>
      )}
      {!readOnly && actor.orgId && (
        <form className="consent__form" onSubmit={(e) => void record(e)}>
          <fieldset>
            <legend>Your organization's consent to the text as it reads now</legend>
            {CONSENT_LEVELS.map((l) => (
              <label key={l} className="filter-option">
                <input type="radio" name={`consent-${section.id}`} checked={level === l} onChange={() => setLevel(l)} />
                {CONSENT_LABELS[l]}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor={`consent-note-${section.id}`}>Note (optional)</label>
            <textarea id={`consent-note-${section.id}`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <button type="submit">Record consent</button>
          <p role="status" className="hint">
            {message}
          </p>
        </form>
      )}
    </section>
  );
}
