import { describe, expect, it } from "vitest";
import { groupPresence } from "./presence.js";

const orgs = [
  { id: "d", name: "District", kind: "district" as const, color: "#0072B2" },
  { id: "u", name: "University", kind: "university" as const, color: "#D55E00" },
];

describe("groupPresence", () => {
  it("groups people by organization in workshop order, then facilitators and observers", () => {
    const states = new Map<number, Record<string, unknown>>([
      [1, { user: { name: "Uma", orgId: "u", role: "participant" }, section: "definition" }],
      [2, { user: { name: "Dee", orgId: "d", role: "participant" } }],
      [3, { user: { name: "Fay", orgId: null, role: "facilitator" } }],
      [4, { user: { name: "Obi", orgId: null, role: "observer" } }],
      [5, {}],
    ]);
    const groups = groupPresence(states, orgs, 2);
    expect(groups.map((g) => [g.label, g.people.map((p) => p.name)])).toEqual([
      ["District", ["Dee"]],
      ["University", ["Uma"]],
      ["Facilitators", ["Fay"]],
      ["Observers", ["Obi"]],
    ]);
    expect(groups[0]!.people[0]!.self).toBe(true);
    expect(groups[1]!.people[0]!.sectionId).toBe("definition");
  });
});
