// Awareness (presence) updates are relayed to everyone, so the relay reads them first:
// they must decode, and a participant may not present itself as another organization.
// y-websocket clients echo every awareness change they receive, others' included, so only
// entries newer than what the relay knows are the sender's own words.
import * as decoding from "lib0/decoding";
import type { Principal } from "./authorizeUpdate.js";

/** One client's entry in an awareness update. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: unknown;
}

/** The outcome of reading an awareness update. */
export type AwarenessCheck = { ok: true; entries: AwarenessEntry[] } | { ok: false; malformed: boolean; reason: string };

const MAX_ENTRIES = 1000;

/** What the relay knows of a client's presence: its latest clock and who speaks for it. */
export interface KnownPresence {
  clock(clientId: number): number | undefined;
  /** True when another connection speaks for this client id. */
  ownedByOther(clientId: number): boolean;
}

/** Decodes an awareness update (y-protocols layout) and checks its new entries against the principal. */
export function checkAwareness(update: Uint8Array, principal: Principal, known: KnownPresence): AwarenessCheck {
  const entries: AwarenessEntry[] = [];
  try {
    const d = decoding.createDecoder(update);
    const count = decoding.readVarUint(d);
    if (count > MAX_ENTRIES) return { ok: false, malformed: true, reason: "too many awareness entries" };
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const state: unknown = JSON.parse(decoding.readVarString(d));
      if (state !== null && (typeof state !== "object" || Array.isArray(state))) {
        return { ok: false, malformed: true, reason: "an awareness state must be an object or null" };
      }
      entries.push({ clientId, clock, state });
    }
    if (decoding.hasContent(d)) return { ok: false, malformed: true, reason: "trailing bytes after the awareness update" };
  } catch (error) {
    return { ok: false, malformed: true, reason: `undecodable awareness update: ${error instanceof Error ? error.message : String(error)}` };
  }
  for (const { clientId, clock, state } of entries) {
    const current = known.clock(clientId);
    if (current !== undefined && clock <= current) continue; // an echo or stale: Yjs ignores it
    if (known.ownedByOther(clientId)) return { ok: false, malformed: false, reason: "another connection speaks for this client id" };
    if (principal.role === "participant") {
      const user = state && (state as { user?: unknown }).user;
      const orgId = user && typeof user === "object" ? (user as { orgId?: unknown }).orgId : undefined;
      if (orgId !== undefined && orgId !== principal.orgId) {
        return { ok: false, malformed: false, reason: "a participant cannot present itself as another organization" };
      }
    }
  }
  return { ok: true, entries };
}

/** The display name in an awareness state (`user.name`), if any. */
export function awarenessName(state: unknown): string | null {
  const user = state && typeof state === "object" ? (state as { user?: unknown }).user : undefined;
  const name = user && typeof user === "object" ? (user as { name?: unknown }).name : undefined;
  return typeof name === "string" && name.trim() !== "" ? name.trim().slice(0, 200) : null;
}
