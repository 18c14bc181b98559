import { describe, expect, it } from "vitest";
import { initialForm, orgRow, validate } from "./createForm.js";

describe("create form", () => {
  it("opens with a district, two universities, the state agency and a community organization", () => {
    expect(initialForm().organizations.map((o) => o.kind)).toEqual(["district", "university", "university", "state", "community"]);
  });

  it("shows the relay's messages next to the right field", () => {
    const form = { ...initialForm(), title: "" };
    expect(validate(form)).toEqual({ place: { at: "title" }, message: "The title cannot be empty." });
    const dup = { ...initialForm(), title: "Retreat" };
    dup.organizations.push(orgRow("school district", "district"));
    const problem = validate(dup);
    expect(problem?.place).toEqual({ at: "row", key: dup.organizations[5]!.key, part: "name" });
    expect(validate({ ...initialForm(), title: "Retreat", organizations: [] })?.place).toEqual({ at: "organizations" });
    expect(validate({ ...initialForm(), title: "Retreat" })).toBeNull();
  });
});
