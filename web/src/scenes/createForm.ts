// The create-workshop form's state, apart from React: defaults, edits, and the same
// validation the relay runs (so messages match and show next to their fields).
import { parseCreateWorkshop, type CreateWorkshopRequest, type OrganizationKind, type Template } from "@crosswalk/shared";

/** One organization row of the form. */
export interface OrgRow {
  key: number;
  name: string;
  kind: OrganizationKind;
}

/** The whole form. */
export interface CreateForm {
  title: string;
  organizations: OrgRow[];
  template: Template;
}

let nextKey = 1;
/** A new organization row. */
export function orgRow(name = "", kind: OrganizationKind = "other"): OrgRow {
  return { key: nextKey++, name, kind };
}

/** The form as it opens: a district, two universities, the state agency and a community organization. */
export function initialForm(): CreateForm {
  return {
    title: "",
    template: "full",
    organizations: [
      orgRow("School district", "district"),
      orgRow("University partner 1", "university"),
      orgRow("University partner 2", "university"),
      orgRow("State education agency", "state"),
      orgRow("Community organization", "community"),
    ],
  };
}

/** The request body of the form. */
export function toRequest(form: CreateForm): CreateWorkshopRequest {
  return { title: form.title, template: form.template, organizations: form.organizations.map(({ name, kind }) => ({ name, kind })) };
}

/** Where a problem is shown: the title, the organizations list, or one row's name or kind. */
export type ProblemPlace = { at: "title" } | { at: "organizations" } | { at: "row"; key: number; part: "name" | "kind" } | { at: "form" };

/** Maps an API/validation field ("organizations.2.name") to its place in the form. */
export function placeOf(form: CreateForm, field: string | undefined): ProblemPlace {
  if (field === "title") return { at: "title" };
  const m = /^organizations\.(\d+)\.(name|kind)$/.exec(field ?? "");
  if (m) {
    const row = form.organizations[Number(m[1])];
    if (row) return { at: "row", key: row.key, part: m[2] as "name" | "kind" };
  }
  if (field?.startsWith("organizations")) return { at: "organizations" };
  return { at: "form" };
}

/** Validates the form as the relay will; null when it is fine. */
export function validate(form: CreateForm): { place: ProblemPlace; message: string } | null {
  const result = parseCreateWorkshop(toRequest(form));
  return result.ok ? null : { place: placeOf(form, result.problem.field), message: result.problem.message };
}
