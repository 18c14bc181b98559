import { organizationBadges, type ChangePiece, type Organization } from "@crosswalk/shared";
import { useMemo } from "react";
import { OrgBadge } from "../components/OrgBadge.js";

/** A section's changes: insertions and deletions marked in each organization's colour, with a legend. */
export function ChangesView({ pieces, organizations }: { pieces: readonly ChangePiece[]; organizations: readonly Organization[] }) {
  const badges = useMemo(() => organizationBadges(organizations), [organizations]);
  const nameOf = (id: string | null) => organizations.find((o) => o.id === id)?.name ?? "an unknown organization";
  const colorOf = (id: string | null) => organizations.find((o) => o.id === id)?.color ?? "#6b6b6b";
  const changed = pieces.filter((p) => p.kind !== "same");
  const counts = new Map<string | null, { ins: number; del: number }>();
  for (const p of changed) {
    const c = counts.get(p.orgId) ?? { ins: 0, del: 0 };
    if (p.kind === "insert") c.ins += p.text.length;
    else c.del += p.text.length;
    counts.set(p.orgId, c);
  }
  return (
    <div className="changes">
      {changed.length === 0 ? (
        <p className="hint">No changes in this section.</p>
      ) : (
        <ul className="changes__legend" aria-label="Changes by organization">
          {[...counts].map(([orgId, c]) => {
            const org = organizations.find((o) => o.id === orgId);
            return (
              <li key={orgId ?? "none"}>
                {org && <OrgBadge color={org.color} badge={badges.get(org.id)} name={org.name} />} {nameOf(orgId)}: {c.ins} characters inserted, {c.del} deleted
              </li>
            );
          })}
        </ul>
      )}
      <p className="changes__text" data-testid="changes">
        {pieces.map((p, i) => {
          if (p.kind === "same") return <span key={i}>{p.text}</span>;
          const Tag = p.kind === "insert" ? "ins" : "del";
          return (
            <Tag
              key={i}
              className={`change change--${p.kind}`}
              title={`${p.kind === "insert" ? "Inserted" : "Deleted"} by ${nameOf(p.orgId)}`}
              ref={(el: HTMLElement | null) => {
                if (el) el.style.setProperty("--org-color", colorOf(p.orgId));
              }}
            >
              {p.text}
            </Tag>
          );
        })}
      </p>
    </div>
  );
}
