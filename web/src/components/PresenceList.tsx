import { organizationBadges, type Organization, type Section } from "@crosswalk/shared";
import { useMemo } from "react";
import type { Awareness } from "y-protocols/awareness";
import { useAwarenessStates } from "../collab/hooks.js";
import { groupPresence } from "../collab/presence.js";
import { OrgBadge } from "./OrgBadge.js";

interface PresenceListProps {
  awareness: Awareness;
  organizations: Organization[];
  sections: Section[];
}

/** Who is here, grouped by organization, and which section each person is in. */
export function PresenceList({ awareness, organizations, sections }: PresenceListProps) {
  const states = useAwarenessStates(awareness);
  const groups = useMemo(() => groupPresence(states, organizations, awareness.clientID), [states, organizations, awareness.clientID]);
  const badges = useMemo(() => organizationBadges(organizations), [organizations]);
  const titleOf = (id: string | null) => sections.find((s) => s.id === id)?.title ?? "—";
  return (
    <section className="presence" aria-labelledby="presence-heading">
      <h2 id="presence-heading">Who is here</h2>
      {groups.length === 0 && <p>Nobody else yet.</p>}
      {groups.map((g) => (
        <div key={g.org?.id ?? g.label} className="presence__group" data-testid="presence-group">
          <h3 className="presence__org">
            {g.org && <OrgBadge color={g.org.color} badge={badges.get(g.org.id)} name={g.org.name} />}
            <span>{g.label}</span>
          </h3>
          <ul>
            {g.people.map((p) => (
              <li key={p.clientId}>
                <span className="presence__name">
                  {p.name}
                  {p.self ? " (you)" : ""}
                </span>
                <span className="presence__section"> in {titleOf(p.sectionId)}</span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
