// The records of the workshop document, as ../shared/CONTRACT.md ("The workshop document") defines them.

/** The kind of a partner organization. */
export type OrganizationKind = "district" | "university" | "state" | "community" | "funder" | "other";

/** Every organization kind, in the order the create form offers them. */
export const ORGANIZATION_KINDS: readonly OrganizationKind[] = [
  "district",
  "university",
  "state",
  "community",
  "funder",
  "other",
];

/** A partner organization of a workshop (`organizations` map). */
export interface Organization {
  id: string;
  name: string;
  kind: OrganizationKind;
  color: string;
}

/** The kind of a section: the shared definition, the leader portrait, or one organization's own definition. */
export type SectionKind = "definition" | "portrait" | "org-definition";

/** One entry of the `sections` array; its content is the Y.XmlFragment `section:<id>`. */
export interface Section {
  id: string;
  kind: SectionKind;
  title: string;
  orgId?: string;
}

/** The workshop templates of `POST /api/workshops`. */
export type Template = "equity-definition" | "leader-portrait" | "full";

/** Every template, `full` (the default) first. */
export const TEMPLATES: readonly Template[] = ["full", "equity-definition", "leader-portrait"];

/** An organization's stance on a passage. `question` and `note` are neutral. */
export type Stance = "endorse" | "question" | "concern" | "alternative" | "note";

/** Every stance. */
export const STANCES: readonly Stance[] = ["endorse", "question", "concern", "alternative", "note"];

/** Two relative positions within `section:S`, as `Y.relativePositionToJSON` makes them. */
export interface Anchor {
  start: unknown;
  end: unknown;
}

/** An organization's stance on a passage (`annotations` map); `parentId` marks a reply. */
export interface Annotation {
  id: string;
  sectionId: string;
  orgId: string;
  author: string;
  stance: Stance;
  dimensions: string[];
  body: string;
  anchor: Anchor;
  quote: string;
  createdAt: number;
  resolved?: boolean;
  parentId?: string;
}

/** The state of a facilitator flag. */
export type FlagStatus = "open" | "in-reflection" | "closed";

/** How a reflection round ended. */
export type FlagOutcome = "aligned" | "agree-to-differ" | "parked";

/** A facilitator's mark that a passage needs structured reflection (`flags` map). */
export interface Flag {
  id: string;
  sectionId: string;
  anchor: Anchor;
  quote: string;
  title: string;
  raisedBy: string;
  status: FlagStatus;
  outcome?: FlagOutcome;
  outcomeNote?: string;
  createdAt: number;
}

/** The two kinds of reflection statement. */
export type ReflectionKind = "perspective-making" | "perspective-taking";

/** One organization's statement on a flag (`reflections` map). */
export interface Reflection {
  id: string;
  flagId: string;
  orgId: string;
  author: string;
  kind: ReflectionKind;
  aboutOrgId?: string;
  text: string;
  createdAt: number;
}

/** An organization's level of agreement with a section's text. */
export type ConsentLevel = "endorse" | "endorse-with-reservations" | "can-live-with" | "needs-discussion" | "block";

/** Every consent level, strongest agreement first. */
export const CONSENT_LEVELS: readonly ConsentLevel[] = [
  "endorse",
  "endorse-with-reservations",
  "can-live-with",
  "needs-discussion",
  "block",
];

/** An organization's consent to a section (`consent` map, key `${sectionId}|${orgId}`). */
export interface Consent {
  sectionId: string;
  orgId: string;
  level: ConsentLevel;
  note?: string;
  author: string;
  at: number;
  contentHash: string;
}

/** Which organization a Yjs client id writes for (`authors` map, key `String(clientID)`). */
export interface AuthorRecord {
  orgId: string | null;
  name: string;
}

/** The `meta` map's fields. */
export interface WorkshopMeta {
  title: string;
  createdAt: number;
  template: Template;
}
