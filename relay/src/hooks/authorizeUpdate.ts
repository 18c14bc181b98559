// Who may change what inside the workshop document (../shared/CONTRACT.md, "Authorization
// inside the document"), decided from an update's effects before it is applied.
import { consentKey, ROOT, sectionIdOfField, type Role } from "@crosswalk/shared";
import * as Y from "yjs";
import { currentEntry, jsonValue, type Content, type Location, type UpdateEffects } from "./updateEffects.js";

/** Who is writing: read from the connection's token. */
export interface Principal {
  workshopId: string;
  role: Role;
  orgId: string | null;
  /** The invite-link generation of a participant's token (rotation closes older ones). */
  generation?: number;
}

/** The decision on one update. */
export type Verdict = { ok: true } | { ok: false; reason: string };

const OK: Verdict = { ok: true };
const deny = (reason: string): Verdict => ({ ok: false, reason });

/** Maps of per-organization records: participants write only their own organization's. */
const ORG_RECORD_ROOTS = new Set<string>([ROOT.annotations, ROOT.reflections, ROOT.consent, ROOT.authors]);
/** Top-level types only facilitators write. */
const FACILITATOR_ROOTS = new Set<string>([ROOT.meta, ROOT.organizations, ROOT.flags, ROOT.sections]);
/** Every fixed top-level type whose values are plain JSON records. */
const RECORD_ROOTS = new Set<string>([...ORG_RECORD_ROOTS, ROOT.meta, ROOT.organizations, ROOT.flags]);

function orgOf(value: unknown): unknown {
  return value !== null && typeof value === "object" ? (value as { orgId?: unknown }).orgId : undefined;
}

/** Is this record, stored under `key` in `root`, one the organization may write (or delete)? */
function ownsRecord(root: string, key: string, value: unknown, orgId: string, writerClient: number | null): boolean {
  if (orgOf(value) !== orgId) return false;
  const record = value as Record<string, unknown>;
  switch (root) {
    case ROOT.annotations:
    case ROOT.reflections:
      return record.id === key;
    case ROOT.consent:
      return typeof record.sectionId === "string" && key === consentKey(record.sectionId, orgId);
    case ROOT.authors:
      // Only its own client id: the key must be the client that writes the entry.
      return writerClient === null || key === String(writerClient);
    default:
      return false;
  }
}

function isSectionRoot(root: string): boolean {
  return sectionIdOfField(root) !== null;
}

/** Content that never belongs anywhere in a workshop document (subdocuments). */
function isForbiddenContent(content: Content): boolean {
  return content instanceof Y.ContentDoc;
}

function checkStructure(location: Location, content: Content, role: Role): Verdict {
  if (isForbiddenContent(content)) return deny("subdocuments are not allowed");
  if (location.kind === "unknown") return deny("the update refers to content the relay does not have");
  if (location.kind === "gc") return OK;
  const { root } = location;
  if (RECORD_ROOTS.has(root)) {
    if (location.kind !== "entry") return deny(`${root} holds plain records only`);
    if (!(content instanceof Y.ContentAny) && !(content instanceof Y.ContentDeleted)) return deny(`${root} values must be plain JSON`);
    return OK;
  }
  if (root === ROOT.sections) {
    if (location.kind !== "list") return deny("sections holds plain records only");
    if (!(content instanceof Y.ContentAny) && !(content instanceof Y.ContentDeleted)) return deny("section records must be plain JSON");
    return OK;
  }
  if (isSectionRoot(root)) return OK;
  return role === "facilitator" ? OK : deny(`unknown top-level type "${root}"`);
}

/** Decides whether the principal may make this update; `effects` come from updateEffects(doc, update). */
export function authorizeUpdate(doc: Y.Doc, principal: Principal, effects: UpdateEffects): Verdict {
  const hasEffect = effects.added.length > 0 || effects.removed.length > 0 || effects.unknownDeletions;
  if (!hasEffect) return OK;
  if (principal.role === "observer") return deny("observers cannot change the workshop");
  if (effects.unknownDeletions) return deny("the update deletes content the relay does not have");

  for (const item of effects.added) {
    const structural = checkStructure(item.location, item.content, principal.role);
    if (!structural.ok) return structural;
  }
  if (principal.role === "facilitator") return OK;

  const orgId = principal.orgId;
  if (orgId === null) return deny("a participant token must name an organization");
  // A participant writes text under client ids of its own organization only.
  for (const client of effects.clients) {
    const author = currentEntry(doc, ROOT.authors, String(client));
    if (author !== undefined && orgOf(jsonValue(author)) !== orgId) return deny(`client ${client} writes for another organization`);
  }
  for (const item of effects.added) {
    const loc = item.location;
    if (loc.kind === "gc" || loc.kind === "unknown") continue;
    if (FACILITATOR_ROOTS.has(loc.root)) return deny(`only facilitators write ${loc.root}`);
    if (loc.kind !== "entry" || !ORG_RECORD_ROOTS.has(loc.root)) continue; // section text
    if (!(item.content instanceof Y.ContentDeleted) && !ownsRecord(loc.root, loc.key, jsonValue(item.content), orgId, item.client)) {
      return deny(`a participant writes only its own organization's ${loc.root}`);
    }
    // Setting a key replaces its current value: that value must be the organization's own too.
    const current = currentEntry(doc, loc.root, loc.key);
    if (current !== undefined && !ownsRecord(loc.root, loc.key, jsonValue(current), orgId, null)) {
      return deny(`a participant cannot overwrite another organization's ${loc.root}`);
    }
  }
  for (const item of effects.removed) {
    const loc = item.location;
    if (loc.kind === "gc" || loc.kind === "unknown") continue;
    if (FACILITATOR_ROOTS.has(loc.root)) return deny(`only facilitators delete from ${loc.root}`);
    if (loc.kind === "entry" && ORG_RECORD_ROOTS.has(loc.root) && !ownsRecord(loc.root, loc.key, jsonValue(item.content), orgId, null)) {
      return deny(`a participant cannot delete another organization's ${loc.root}`);
    }
  }
  return OK;
}
