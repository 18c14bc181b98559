// Validation of records read from the document. Any client can write any JSON into the
// Y.Doc (the relay authorizes who writes, not what shape), so every read goes through here.
import type * as Y from "yjs";
import { z } from "zod";
import { authorsOf, metaOf, organizationsOf, sectionsOf } from "./layout.js";
import {
  CONSENT_LEVELS,
  ORGANIZATION_KINDS,
  STANCES,
  TEMPLATES,
  type Annotation,
  type AuthorRecord,
  type Consent,
  type Flag,
  type Organization,
  type Reflection,
  type Section,
  type WorkshopMeta,
} from "./types.js";

const id = z.string().min(1).max(200);
const anchor = z.object({ start: z.unknown(), end: z.unknown() });

/** Schema of an `organizations` value. */
export const organizationSchema = z.object({
  id,
  name: z.string().min(1).max(200),
  kind: z.enum(ORGANIZATION_KINDS as [string, ...string[]]),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
}) as z.ZodType<Organization>;

/** Schema of a `sections` entry. */
export const sectionSchema = z.object({
  id,
  kind: z.enum(["definition", "portrait", "org-definition"]),
  title: z.string().min(1).max(300),
  orgId: id.optional(),
}) as z.ZodType<Section>;

/** Schema of an `annotations` value. */
export const annotationSchema = z.object({
  id,
  sectionId: id,
  orgId: id,
  author: z.string().max(200),
  stance: z.enum(STANCES as [string, ...string[]]),
  dimensions: z.array(id).max(50),
  body: z.string().max(10_000),
  anchor,
  quote: z.string(),
  createdAt: z.number(),
  resolved: z.boolean().optional(),
  parentId: id.optional(),
}) as z.ZodType<Annotation>;

/** Schema of a `flags` value. */
export const flagSchema = z.object({
  id,
  sectionId: id,
  anchor,
  quote: z.string(),
  title: z.string().max(500),
  raisedBy: z.string().max(200),
  status: z.enum(["open", "in-reflection", "closed"]),
  outcome: z.enum(["aligned", "agree-to-differ", "parked"]).optional(),
  outcomeNote: z.string().max(10_000).optional(),
  createdAt: z.number(),
}) as z.ZodType<Flag>;

/** Schema of a `reflections` value. */
export const reflectionSchema = z.object({
  id,
  flagId: id,
  orgId: id,
  author: z.string().max(200),
  kind: z.enum(["perspective-making", "perspective-taking"]),
  aboutOrgId: id.optional(),
  text: z.string().max(10_000),
  createdAt: z.number(),
}) as z.ZodType<Reflection>;

/** Schema of a `consent` value. */
export const consentSchema = z.object({
  sectionId: id,
  orgId: id,
  level: z.enum(CONSENT_LEVELS as [string, ...string[]]),
  note: z.string().max(10_000).optional(),
  author: z.string().max(200),
  at: z.number(),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
}) as z.ZodType<Consent>;

/** Schema of an `authors` value. */
export const authorRecordSchema = z.object({
  orgId: id.nullable(),
  name: z.string().max(200),
}) as z.ZodType<AuthorRecord>;

/** A record that failed validation, kept so the UI can show it as invalid instead of crashing. */
export interface InvalidRecord {
  key: string;
  message: string;
}

/** The valid and invalid records of a map. */
export interface RecordRead<T> {
  valid: Map<string, T>;
  invalid: InvalidRecord[];
}

/** Reads every value of a record map through a schema. */
export function readRecords<T>(map: Y.Map<unknown>, schema: z.ZodType<T>): RecordRead<T> {
  const valid = new Map<string, T>();
  const invalid: InvalidRecord[] = [];
  map.forEach((value, key) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) valid.set(key, parsed.data);
    else invalid.push({ key, message: z.prettifyError(parsed.error) });
  });
  return { valid, invalid };
}

/** The workshop's organizations that pass validation, in the order they were added. */
export function readOrganizations(doc: Y.Doc): Organization[] {
  return [...readRecords(organizationsOf(doc), organizationSchema).valid.values()];
}

/** The workshop's sections that pass validation, in display order. */
export function readSections(doc: Y.Doc): Section[] {
  const out: Section[] = [];
  for (const value of sectionsOf(doc).toArray()) {
    const parsed = sectionSchema.safeParse(value);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** The workshop's meta fields, with safe fallbacks for a document still syncing. */
export function readMeta(doc: Y.Doc): WorkshopMeta {
  const meta = metaOf(doc);
  const title = meta.get("title");
  const createdAt = meta.get("createdAt");
  const template = meta.get("template");
  return {
    title: typeof title === "string" ? title : "",
    createdAt: typeof createdAt === "number" ? createdAt : 0,
    template: TEMPLATES.includes(template as never) ? (template as WorkshopMeta["template"]) : "full",
  };
}

/** The `authors` records that pass validation, keyed by client id. */
export function readAuthors(doc: Y.Doc): Map<number, AuthorRecord> {
  const out = new Map<number, AuthorRecord>();
  for (const [key, rec] of readRecords(authorsOf(doc), authorRecordSchema).valid) {
    const clientId = Number(key);
    if (Number.isSafeInteger(clientId)) out.set(clientId, rec);
  }
  return out;
}
