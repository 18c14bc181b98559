import { organizationBadges, type Hotspot, type Organization, type Section, type WorkshopAnalysis } from "@crosswalk/shared";
import { useMemo } from "react";
import { STANCE_LABELS } from "../annotations/labels.js";
import { OrgBadge } from "../components/OrgBadge.js";

interface HotspotListProps {
  analysis: WorkshopAnalysis | null;
  sections: readonly Section[];
  organizations: readonly Organization[];
  onShow(h: Hotspot): void;
  /** Present for facilitators. */
  onFlag: ((h: Hotspot) => void) | null;
}

/** The divergence map's ranked list: passages where organizations' stances disagree, most organizations first. */
export function HotspotList({ analysis, sections, organizations, onShow, onFlag }: HotspotListProps) {
  const badges = useMemo(() => organizationBadges(organizations), [organizations]);
  if (!analysis) return <p>Working out where organizations diverge…</p>;
  if (analysis.hotspots.length === 0)
    return <p>No divergence yet: nowhere do organizations' open annotations overlap with disagreeing stances.</p>;
  return (
    <ol className="hotspots" data-testid="hotspots">
      {analysis.hotspots.map((h, i) => (
        <li key={`${h.sectionId}-${h.from}-${i}`} className={`hotspot hotspot--${Math.min(h.score, 5)}`}>
          <p className="hotspot__where">
            <span className="hotspot__score">{h.score} organizations take a position</span> in {sections.find((s) => s.id === h.sectionId)?.title ?? "a section"}
          </p>
          <blockquote>“{h.quote}”</blockquote>
          <ul className="hotspot__orgs">
            {Object.entries(h.orgs).map(([orgId, stances]) => {
              const org = organizations.find((o) => o.id === orgId);
              return (
                <li key={orgId}>
                  {org && <OrgBadge color={org.color} badge={badges.get(org.id)} name={org.name} />} {org?.name ?? "Unknown organization"}:{" "}
                  {stances.map((s) => STANCE_LABELS[s].label).join(", ")}
                </li>
              );
            })}
          </ul>
          <div className="anno-card__actions">
            <button type="button" onClick={() => onShow(h)}>
              Show in the text
            </button>
            {onFlag && (
              <button type="button" onClick={() => onFlag(h)}>
                Flag for reflection
              </button>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
