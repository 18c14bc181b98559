import type { OrganizationBadge } from "@crosswalk/shared";

interface OrgBadgeProps {
  color: string;
  badge: OrganizationBadge | undefined;
  name: string;
}

/** An organization's colour with its non-colour cue: initials on a pattern. */
export function OrgBadge({ color, badge, name }: OrgBadgeProps) {
  return (
    <span
      className={`org-badge org-badge--${badge?.pattern ?? "solid"}`}
      ref={(el) => {
        // Set through the DOM: the CSP forbids inline style attributes.
        if (el) el.style.setProperty("--org-color", color);
      }}
      title={name}
      aria-hidden="true"
    >
      {badge?.initials ?? "?"}
    </span>
  );
}
