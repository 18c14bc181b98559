// Request and response shapes of the HTTP API (../shared/CONTRACT.md, "HTTP API"), with the
// validation both the relay and the create form use, so the form can show the relay's
// message next to the field it names.
import { z } from "zod";
import { ORGANIZATION_KINDS, TEMPLATES, type Organization, type OrganizationKind, type Section, type Template } from "../doc/types.js";

/** Longest title or organization name accepted. */
export const MAX_NAME_LENGTH = 200;
/** Most organizations a workshop may have. */
export const MAX_ORGANIZATIONS = 30;

/** A partner organization as the create form and API take it. */
export interface OrganizationInput {
  name: string;
  kind: OrganizationKind;
}

/** The body of `POST /api/workshops`. */
export interface CreateWorkshopRequest {
  title: string;
  organizations: OrganizationInput[];
  template?: Template;
}

/** Roles a token can carry. */
export type Role = "facilitator" | "participant" | "observer";

/** Invite links of a workshop: facilitator, observer, and one per organization. */
export interface WorkshopLinks {
  facilitator: string;
  observer: string;
  participants: Record<string, string>;
}

/** The answer of `POST /api/workshops`. */
export interface CreateWorkshopResponse {
  id: string;
  title: string;
  organizations: Organization[];
  links: { facilitator: string; observer: string; participants: Record<string, string> };
  tokens: { facilitator: string; observer: string; participants: Record<string, string> };
}

/** The answer of `GET /api/workshops/:id`. */
export interface WorkshopInfo {
  id: string;
  title: string;
  organizations: Organization[];
  sections: Section[];
  role: Role;
  orgId: string | null;
}

/** The answer of `POST /api/workshops/:id/organizations`. */
export interface AddOrganizationResponse extends Organization {
  link: string;
  token: string;
}

/** The answer of `POST /api/workshops/:id/organizations/:orgId/rotate`. */
export interface RotateLinkResponse {
  link: string;
  token: string;
}

/** A validation failure: the message and the input field it concerns ("title", "organizations.2.name"). */
export interface InputProblem {
  field: string;
  message: string;
}

const nameSchema = (what: string) =>
  z
    .string({ error: `${what} must be text.` })
    .transform((s) => s.trim())
    .pipe(
      z
        .string()
        .min(1, { error: `${what} cannot be empty.` })
        .max(MAX_NAME_LENGTH, { error: `${what} can be at most ${MAX_NAME_LENGTH} characters.` }),
    );

/** Schema of one organization in a request. */
export const organizationInputSchema = z.object(
  {
    name: nameSchema("The organization's name"),
    kind: z.enum(ORGANIZATION_KINDS as [OrganizationKind, ...OrganizationKind[]], {
      error: `The kind must be one of: ${ORGANIZATION_KINDS.join(", ")}.`,
    }),
  },
  { error: "Each organization needs a name and a kind." },
);

/** Schema of `POST /api/workshops`. */
export const createWorkshopSchema = z
  .object(
    {
      title: nameSchema("The title"),
      organizations: z
        .array(organizationInputSchema, { error: "Organizations must be a list." })
        .min(1, { error: "Add at least one organization." })
        .max(MAX_ORGANIZATIONS, { error: `A workshop can have at most ${MAX_ORGANIZATIONS} organizations.` }),
      template: z.enum(TEMPLATES as [Template, ...Template[]], { error: `The template must be one of: ${TEMPLATES.join(", ")}.` }).optional(),
    },
    { error: "The body must be a JSON object." },
  )
  .superRefine((value, ctx) => {
    const seen = new Map<string, number>();
    value.organizations.forEach((org, i) => {
      const key = org.name.toLocaleLowerCase();
      if (seen.has(key)) {
        ctx.addIssue({ code: "custom", path: ["organizations", i, "name"], message: `"${org.name}" is listed twice; each organization needs its own name.` });
      } else seen.set(key, i);
    });
  });

/** Checks a create request; the first problem found, or the cleaned request. */
export function parseCreateWorkshop(body: unknown): { ok: true; value: CreateWorkshopRequest } | { ok: false; problem: InputProblem } {
  return toResult(createWorkshopSchema.safeParse(body));
}

/** Checks an add-organization request, given the workshop's current organizations. */
export function parseAddOrganization(
  body: unknown,
  existing: readonly Organization[],
): { ok: true; value: OrganizationInput } | { ok: false; problem: InputProblem } {
  const result = toResult(organizationInputSchema.safeParse(body));
  if (!result.ok) return result;
  if (existing.length >= MAX_ORGANIZATIONS) {
    return { ok: false, problem: { field: "name", message: `A workshop can have at most ${MAX_ORGANIZATIONS} organizations.` } };
  }
  const lower = result.value.name.toLocaleLowerCase();
  if (existing.some((o) => o.name.toLocaleLowerCase() === lower)) {
    return { ok: false, problem: { field: "name", message: `"${result.value.name}" is already a partner of this workshop.` } };
  }
  return result;
}

function toResult<T>(parsed: z.ZodSafeParseResult<T>): { ok: true; value: T } | { ok: false; problem: InputProblem } {
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: { field: issue ? issue.path.join(".") : "", message: issue?.message ?? "Invalid input." } };
}
