import { sectionAuthorship, UNKNOWN_AUTHOR, type Organization } from "@crosswalk/shared";
import type * as Y from "yjs";
import { useDocValue } from "../collab/hooks.js";

interface AuthorshipBarProps {
  doc: Y.Doc;
  sectionId: string;
  organizations: readonly Organization[];
  /** Facilitators are told when one organization wrote most of the section. */
  facilitator: boolean;
}

/** Co-construction balance: the share of the section's current text each organization wrote. */
export function AuthorshipBar({ doc, sectionId, organizations, facilitator }: AuthorshipBarProps) {
  const counts = useDocValue(doc, (d) => sectionAuthorship(d, sectionId));
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const parts = Object.entries(counts)
    .map(([orgId, chars]) => ({ orgId, chars, org: organizations.find((o) => o.id === orgId) ?? null }))
    .sort((a, b) => b.chars - a.chars);
  const top = parts[0]!;
  const share = (n: number) => Math.round((n / total) * 100);
  const label = (p: (typeof parts)[number]) => (p.org ? p.org.name : p.orgId === UNKNOWN_AUTHOR ? "Template and unattributed" : "Other");
  return (
    <figure className="balance" aria-label="Who wrote this section">
      <div className="balance__bar" role="img" aria-label={parts.map((p) => `${label(p)} ${share(p.chars)}%`).join(", ")}>
        {parts.map((p) => (
          <span
            key={p.orgId}
            className="balance__part"
            ref={(el) => {
              if (!el) return;
              el.style.flexGrow = String(p.chars);
              el.style.backgroundColor = p.org?.color ?? "#9aa3ae";
            }}
            title={`${label(p)}: ${share(p.chars)}%`}
          />
        ))}
      </div>
      <figcaption className="balance__caption">
        {parts.map((p) => `${label(p)} ${share(p.chars)}%`).join(" · ")}
        {facilitator && top.org && share(top.chars) >= 60 && parts.length > 0 && (
          <strong className="balance__warning">
            {" "}
            — {top.org.name} wrote {share(top.chars)}% of this section.
          </strong>
        )}
      </figcaption>
    </figure>
  );
}
