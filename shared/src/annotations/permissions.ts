// Who may do what to an annotation, as the UI offers it. The relay enforces the organization
// rules (../shared/CONTRACT.md, "Authorization inside the document"); these add the person.
import type { Role } from "../api/workshopApi.js";
import type { Annotation } from "../doc/types.js";

/** The person acting. */
export interface Actor {
  role: Role;
  orgId: string | null;
  name: string;
}

/** Anyone who writes for an organization can annotate and reply; observers cannot. */
export function canAnnotate(actor: Actor): boolean {
  return actor.role !== "observer" && actor.orgId !== null;
}

/** The annotating organization, or a facilitator, resolves and reopens. */
export function canResolve(actor: Actor, a: Annotation): boolean {
  return actor.role === "facilitator" || (actor.role === "participant" && actor.orgId === a.orgId);
}

/** Authors edit and delete their own (same organization, same name). */
export function canEditOrDelete(actor: Actor, a: Annotation): boolean {
  return actor.role !== "observer" && actor.orgId === a.orgId && actor.name === a.author;
}
