// Comparing a section between two versions (or a version and now). Both are states of one
// CRDT document, so characters keep their Yjs identity across versions: a character in both is
// unchanged, one only in the newer was inserted, one only in the older was deleted — exact, no
// text-diff guesswork. Insertions are attributed by the item that holds the character (through
// `authors`), deletions by the relay's deletion log (Yjs records who inserted, not who deleted).
import type * as Y from "yjs";
import { sectionFragment } from "../doc/layout.js";
import { readAuthors } from "../doc/records.js";
import { buildTextMap, charIds, type CharId } from "../text/textMap.js";

/** A run of the comparison: unchanged, inserted or deleted text, and who did it. */
export interface ChangePiece {
  kind: "same" | "insert" | "delete";
  text: string;
  /** The organization that inserted or deleted it (null: unknown or no organization). */
  orgId: string | null;
}

/** Who deleted which characters: rows of [client, clock, len, orgId] as the relay serves them. */
export type DeletionLog = ReadonlyArray<readonly [number, number, number, string | null]>;

/** Looks up who deleted a character. */
export function deletionLookup(log: DeletionLog): (id: CharId) => string | null {
  const byClient = new Map<number, Array<readonly [number, number, string | null]>>();
  for (const [client, clock, len, orgId] of log) {
    const list = byClient.get(client) ?? [];
    list.push([clock, len, orgId]);
    byClient.set(client, list);
  }
  return ({ client, clock }) => {
    const list = byClient.get(client);
    if (!list) return null;
    // The latest deletion covering the character wins (an undone deletion may be deleted again).
    for (let i = list.length - 1; i >= 0; i--) {
      const [from, len, orgId] = list[i]!;
      if (clock >= from && clock < from + len) return orgId;
    }
    return null;
  };
}

/** The changes of one section from `older` to `newer`. */
export function compareSection(older: Y.Doc, newer: Y.Doc, sectionId: string, deletedBy: (id: CharId) => string | null): ChangePiece[] {
  const oldMap = buildTextMap(sectionFragment(older, sectionId));
  const newMap = buildTextMap(sectionFragment(newer, sectionId));
  const oldIds = charIds(oldMap);
  const newIds = charIds(newMap);
  const key = (id: CharId) => `${id.client}:${id.clock}`;
  const inOld = new Set(oldIds.flatMap((id) => (id ? [key(id)] : [])));
  const inNew = new Set(newIds.flatMap((id) => (id ? [key(id)] : [])));
  const authors = readAuthors(newer);
  const kinds: Array<{ kind: ChangePiece["kind"]; ch: string; orgId: string | null }> = [];
  let i = 0;
  let j = 0;
  while (i < oldIds.length || j < newIds.length) {
    const o = i < oldIds.length ? oldIds[i] : undefined;
    const n = j < newIds.length ? newIds[j] : undefined;
    if (o !== undefined && o !== null && !inNew.has(key(o))) {
      kinds.push({ kind: "delete", ch: oldMap.text[i]!, orgId: deletedBy(o) });
      i++;
    } else if (n !== undefined && n !== null && !inOld.has(key(n))) {
      kinds.push({ kind: "insert", ch: newMap.text[j]!, orgId: authors.get(n.client)?.orgId ?? null });
      j++;
    } else if (o === null && n === null) {
      kinds.push({ kind: "same", ch: "\n", orgId: null });
      i++;
      j++;
    } else if (o === null || n === undefined) {
      // A line break only the older text has (blocks joined), or the older text goes on.
      kinds.push({ kind: "delete", ch: oldMap.text[i]!, orgId: null });
      i++;
    } else if (n === null || o === undefined) {
      kinds.push({ kind: "insert", ch: newMap.text[j]!, orgId: null });
      j++;
    } else {
      // The same character in both (Yjs keeps the order of what both hold).
      kinds.push({ kind: "same", ch: newMap.text[j]!, orgId: null });
      i++;
      j++;
    }
  }
  const out: ChangePiece[] = [];
  for (const k of kinds) {
    const last = out[out.length - 1];
    if (last && last.kind === k.kind && last.orgId === k.orgId) last.text += k.ch;
    else out.push({ kind: k.kind, text: k.ch, orgId: k.orgId });
  }
  return out;
}
