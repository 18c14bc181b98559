import { organizationBadges, type Organization, type Section } from "@crosswalk/shared";
import { useMemo } from "react";
import type { Awareness } from "y-protocols/awareness";
import { useAwarenessStates } from "../collab/hooks.js";
import { OrgBadge } from "../components/OrgBadge.js";

/** What the main area shows. */
export type View =
  | { kind: "section"; id: string | null }
  | { kind: "side-by-side" }
  | { kind: "divergence" }
  | { kind: "crosswalk" }
  | { kind: "flags"; flagId: string | null }
  | { kind: "versions" }
  | { kind: "export" };

interface SectionNavProps {
  /** Consent state per section: agreed, pending or blocked. */
  consent: Readonly<Record<string, "agreed" | "pending" | "blocked">>;
  sections: Section[];
  organizations: Organization[];
  view: View;
  awareness: Awareness;
  onChoose(view: View): void;
}

/** The sections: the shared drafts first, then each organization's current definition, with how many people are in each. */
const CONSENT_WORDS = { agreed: "Agreed", pending: "Pending", blocked: "Blocked" } as const;

export function SectionNav({ consent, sections, organizations, view, awareness, onChoose }: SectionNavProps) {
  const current = view.kind === "section" ? view.id : null;
  const states = useAwarenessStates(awareness);
  const badges = useMemo(() => organizationBadges(organizations), [organizations]);
  const countIn = (id: string) => [...states.values()].filter((s) => s.section === id).length;
  const shared = sections.filter((s) => s.kind !== "org-definition");
  const own = sections.filter((s) => s.kind === "org-definition");
  const item = (s: Section) => {
    const org = organizations.find((o) => o.id === s.orgId);
    const n = countIn(s.id);
    return (
      <li key={s.id}>
        <a
          href={`?s=${encodeURIComponent(s.id)}`}
          className="section-link"
          aria-current={s.id === current ? "page" : undefined}
          onClick={(e) => {
            e.preventDefault();
            onChoose({ kind: "section", id: s.id });
          }}
        >
          {org && <OrgBadge color={org.color} badge={badges.get(org.id)} name={org.name} />}
          <span className="section-link__title">
            {s.title}
            {consent[s.id] && (
              <span className={`consent-badge consent-badge--${consent[s.id]}`}>
                <span className="visually-hidden">Consent: </span>
                {CONSENT_WORDS[consent[s.id]!]}
              </span>
            )}
          </span>
          {n > 0 && (
            <span className="section-link__count" aria-label={`${n} ${n === 1 ? "person" : "people"} here`}>
              {n}
            </span>
          )}
        </a>
      </li>
    );
  };
  const tool = (target: View, label: string) => (
    <li>
      <a
        href={`?view=${target.kind}`}
        className="section-link"
        aria-current={view.kind === target.kind ? "page" : undefined}
        onClick={(e) => {
          e.preventDefault();
          onChoose(target);
        }}
      >
        <span className="section-link__title">{label}</span>
      </a>
    </li>
  );
  return (
    <nav className="sections" aria-label="Sections">
      {shared.length > 0 && (
        <>
          <h2 className="sections__heading">Shared drafts</h2>
          <ul>{shared.map(item)}</ul>
        </>
      )}
      {own.length > 0 && (
        <>
          <h2 className="sections__heading">Current definitions</h2>
          <ul>
            <li>
              <a
                href="?view=side-by-side"
                className="section-link"
                aria-current={view.kind === "side-by-side" ? "page" : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  onChoose({ kind: "side-by-side" });
                }}
              >
                <span className="section-link__title">Definitions side by side</span>
              </a>
            </li>
            {own.map(item)}
          </ul>
        </>
      )}
      <h2 className="sections__heading">Divergence and agreement</h2>
      <ul>
        {tool({ kind: "divergence" }, "Divergence map")}
        {tool({ kind: "crosswalk" }, "Dimension crosswalk")}
        {tool({ kind: "flags", flagId: null }, "Flags and reflection")}
      </ul>
      <h2 className="sections__heading">Versions and export</h2>
      <ul>
        {tool({ kind: "versions" }, "Versions")}
        {tool({ kind: "export" }, "Export")}
      </ul>
    </nav>
  );
}
