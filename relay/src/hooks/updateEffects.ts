// What an incoming update would change in a document, worked out before it is applied, so
// that authorization looks at the update itself and never trusts the client
// (../shared/CONTRACT.md, "Authorization inside the document").
//
// Yjs writes an item's parent only when the item has no left or right origin; otherwise the
// parent is the origin's parent. So each new item's place is found by following origins
// through the update and the document. A map `set` on an existing key deletes the previous
// value implicitly when it integrates, so overwrites are read from the document's current
// value, not only from the update's delete set.
import * as Y from "yjs";

/** Where a struct lives in the document. */
export type Location =
  /** A value directly in a top-level map, under `key`. */
  | { kind: "entry"; root: string; key: string }
  /** An element directly in a top-level array or XML fragment. */
  | { kind: "list"; root: string }
  /** Content inside a nested type under a top-level type. */
  | { kind: "nested"; root: string }
  /** Next to garbage-collected content: Yjs discards it on integration. */
  | { kind: "gc" }
  /** Refers to structs neither the document nor the update holds. */
  | { kind: "unknown" };

/** A struct the update adds. */
export interface NewItem {
  client: number;
  location: Location;
  content: Content;
}

/** A live struct of the document that the update deletes (or overwrites). */
export interface RemovedItem {
  location: Location;
  content: Content;
  /** The deleted clocks of the struct: [clock, clock + len) of client. */
  client: number;
  clock: number;
  len: number;
}

/** The effect of an update on a document. */
export interface UpdateEffects {
  added: NewItem[];
  removed: RemovedItem[];
  /** Deletions of structs the document does not have and the update does not add. */
  unknownDeletions: boolean;
  /**
   * The update cannot be fully integrated yet: it skips clocks of a client, refers to
   * structs nobody has sent, or deletes them. A y-websocket client that reconnects sends
   * live updates before its sync step 2 fills the gap, so such an update is held, not refused.
   */
  incomplete: boolean;
  /**
   * For an incomplete update: the state (next clock) the document must reach for each client
   * before the update can be complete. Necessary, not sufficient: content that arrives may refer
   * to more that is missing. Empty for an incomplete update that nothing can ever complete.
   */
  needs: Map<number, number>;
  /** Client ids of the structs the update adds. */
  clients: Set<number>;
}

/** The update could not be decoded (close 4400). */
export class MalformedUpdate extends Error {}

type AnyStruct = Y.Item | Y.GC | Y.Skip;
/** Item content (Yjs exports the classes but not their common base type). */
export type Content = Y.Item["content"];
interface DecodedDeleteSet {
  clients: Map<number, Array<{ clock: number; len: number }>>;
}

function rootName(doc: Y.Doc, type: Y.AbstractType<unknown>): string {
  let t = type;
  while (t._item !== null) t = t._item.parent as Y.AbstractType<unknown>;
  return Y.findRootTypeKey(t);
}

/** The location of an item already integrated into the document. */
function integratedLocation(doc: Y.Doc, item: Y.Item): Location {
  const parent = item.parent as Y.AbstractType<unknown> | null;
  if (parent === null) return { kind: "gc" };
  if (parent._item !== null) return { kind: "nested", root: rootName(doc, parent) };
  const root = Y.findRootTypeKey(parent);
  return item.parentSub !== null ? { kind: "entry", root, key: item.parentSub } : { kind: "list", root };
}

function findStruct(structs: ReadonlyArray<AnyStruct> | undefined, clock: number): AnyStruct | null {
  if (!structs || structs.length === 0) return null;
  let lo = 0;
  let hi = structs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = structs[mid]!;
    if (clock < s.id.clock) hi = mid - 1;
    else if (clock >= s.id.clock + s.length) lo = mid + 1;
    else return s;
  }
  return null;
}

function findInDoc(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | null {
  if (id.clock >= Y.getState(doc.store, id.client)) return null;
  const structs = doc.store.clients.get(id.client);
  if (!structs) return null;
  return structs[Y.findIndexSS(structs, id.clock)] ?? null;
}

/** Works out what `update` would add to and remove from `doc`, without applying it. */
export function updateEffects(doc: Y.Doc, update: Uint8Array): UpdateEffects {
  let decoded: { structs: AnyStruct[]; ds: DecodedDeleteSet };
  try {
    decoded = Y.decodeUpdate(update) as { structs: AnyStruct[]; ds: DecodedDeleteSet };
  } catch (error) {
    throw new MalformedUpdate(error instanceof Error ? error.message : String(error));
  }
  const byClient = new Map<number, AnyStruct[]>();
  for (const s of decoded.structs) {
    const list = byClient.get(s.id.client);
    if (list) list.push(s);
    else byClient.set(s.id.client, [s]);
  }
  for (const list of byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock);

  const needs = new Map<number, number>();
  const need = (client: number, clock: number): void => {
    if ((needs.get(client) ?? 0) < clock) needs.set(client, clock);
  };
  const memo = new Map<AnyStruct, Location>();
  const locate = (s: AnyStruct, depth: number): Location => {
    const known = memo.get(s);
    if (known) return known;
    let loc: Location;
    if (!(s instanceof Y.Item)) loc = { kind: "gc" };
    else if (depth > 10_000) loc = { kind: "unknown" };
    else {
      const parent = s.parent as unknown;
      if (typeof parent === "string") {
        loc = s.parentSub !== null ? { kind: "entry", root: parent, key: s.parentSub } : { kind: "list", root: parent };
      } else if (parent instanceof Y.ID) {
        const holder = lookup(parent, depth + 1);
        loc = holder.kind === "gc" || holder.kind === "unknown" ? holder : { kind: "nested", root: holder.root };
      } else {
        const neighbour = s.origin ?? s.rightOrigin;
        loc = neighbour ? lookup(neighbour, depth + 1) : { kind: "unknown" };
      }
    }
    memo.set(s, loc);
    return loc;
  };
  // The location of whatever struct holds `id`: from the update first, then the document.
  const lookup = (id: Y.ID, depth: number): Location => {
    const inUpdate = findStruct(byClient.get(id.client), id.clock);
    if (inUpdate && inUpdate.id.clock + inUpdate.length > Y.getState(doc.store, id.client)) return locate(inUpdate, depth);
    const inDoc = findInDoc(doc, id);
    if (inDoc instanceof Y.Item) return integratedLocation(doc, inDoc);
    if (inDoc) return { kind: "gc" };
    if (inUpdate) return locate(inUpdate, depth);
    need(id.client, id.clock + 1);
    return { kind: "unknown" };
  };

  let gap = false;
  for (const [client, structs] of byClient) {
    let expected = Y.getState(doc.store, client);
    for (const s of structs) {
      if (s.id.clock + s.length <= expected) continue;
      if (s.id.clock > expected || s instanceof Y.Skip) {
        gap = true;
        need(client, s instanceof Y.Skip ? s.id.clock + s.length : s.id.clock);
        break;
      }
      expected = s.id.clock + s.length;
    }
  }

  const added: NewItem[] = [];
  const clients = new Set<number>();
  for (const s of decoded.structs) {
    if (!(s instanceof Y.Item)) continue; // GC and Skip structs add nothing visible
    if (s.id.clock + s.length <= Y.getState(doc.store, s.id.client)) continue; // already known
    clients.add(s.id.client);
    added.push({ client: s.id.client, location: locate(s, 0), content: s.content });
  }

  const removed: RemovedItem[] = [];
  let unknownDeletions = false;
  decoded.ds.clients.forEach((ranges, client) => {
    const state = Y.getState(doc.store, client);
    const structs = doc.store.clients.get(client);
    for (const { clock, len } of ranges) {
      const end = clock + len;
      if (structs && clock < state) {
        for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < end; i++) {
          const s = structs[i]!;
          if (s instanceof Y.Item && !s.deleted) {
            const from = Math.max(s.id.clock, clock);
            const to = Math.min(s.id.clock + s.length, end);
            removed.push({ location: integratedLocation(doc, s), content: s.content, client, clock: from, len: to - from });
          }
        }
      }
      if (end > state) {
        // Only the update's own new structs may be deleted beyond what the document holds;
        // anything else would wait as a pending deletion for structs another client makes later.
        const own = byClient.get(client) ?? [];
        let covered = Math.max(clock, state);
        for (const s of own) {
          if (s.id.clock <= covered && s.id.clock + s.length > covered) covered = s.id.clock + s.length;
        }
        if (covered < end) {
          unknownDeletions = true;
          need(client, end);
        }
      }
    }
  });
  const incomplete = gap || unknownDeletions || added.some((a) => a.location.kind === "unknown");
  if (!incomplete) needs.clear();
  return { added, removed, unknownDeletions, incomplete, needs, clients };
}

/** True when the update changes nothing (such as the empty sync step 2 every client sends). */
export function isNoop(effects: UpdateEffects): boolean {
  return effects.added.length === 0 && effects.removed.length === 0 && !effects.incomplete;
}

/** The current live value of a top-level map entry, or undefined. */
export function currentEntry(doc: Y.Doc, root: string, key: string): Content | undefined {
  const item = doc.getMap(root)._map.get(key);
  return item && !item.deleted ? item.content : undefined;
}

/** The JSON value of a plain-JSON map value's content, or undefined for any other content. */
export function jsonValue(content: Content): unknown {
  if (content instanceof Y.ContentAny) return content.arr[content.arr.length - 1];
  return undefined;
}
