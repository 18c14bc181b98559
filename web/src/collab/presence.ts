// Who is here, grouped by organization (pure, so it is tested without a browser).
import type { Organization } from "@crosswalk/shared";

/** One person present. */
export interface Present {
  clientId: number;
  name: string;
  orgId: string | null;
  role: string;
  sectionId: string | null;
  self: boolean;
}

/** A group of people present: an organization, or facilitators/observers without one. */
export interface PresenceGroup {
  org: Organization | null;
  label: string;
  people: Present[];
}

function field(state: Record<string, unknown>, key: string): unknown {
  const user = state.user;
  return user && typeof user === "object" ? (user as Record<string, unknown>)[key] : undefined;
}

/** Groups presence states by organization, in the workshop's order; people without one come last. */
export function groupPresence(states: ReadonlyMap<number, Record<string, unknown>>, orgs: readonly Organization[], selfId: number): PresenceGroup[] {
  const people: Present[] = [];
  for (const [clientId, state] of states) {
    const name = field(state, "name");
    if (typeof name !== "string" || name === "") continue;
    const orgId = field(state, "orgId");
    const role = field(state, "role");
    const section = state.section;
    people.push({
      clientId,
      name,
      orgId: typeof orgId === "string" ? orgId : null,
      role: typeof role === "string" ? role : "participant",
      sectionId: typeof section === "string" ? section : null,
      self: clientId === selfId,
    });
  }
  people.sort((a, b) => a.name.localeCompare(b.name));
  const groups: PresenceGroup[] = orgs
    .map((org) => ({ org, label: org.name, people: people.filter((p) => p.orgId === org.id) }))
    .filter((g) => g.people.length > 0);
  const facilitators = people.filter((p) => !orgs.some((o) => o.id === p.orgId) && p.role === "facilitator");
  const observers = people.filter((p) => !orgs.some((o) => o.id === p.orgId) && p.role !== "facilitator");
  if (facilitators.length > 0) groups.push({ org: null, label: "Facilitators", people: facilitators });
  if (observers.length > 0) groups.push({ org: null, label: "Observers", people: observers });
  return groups;
}
