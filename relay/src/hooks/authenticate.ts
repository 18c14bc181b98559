// Who is connecting: a token checked against the workshop it claims to open. Shared by the
// HTTP API and the WebSocket upgrade, so both answer the same way (401 / close 4401, 404 / 4404).
import type { TokenSigner } from "../auth/tokens.js";
import type { Store, WorkshopRecord } from "../store/Store.js";
import type { Principal } from "./authorizeUpdate.js";

/** A caller that presented a valid token. */
export interface Authenticated {
  ok: true;
  workshop: WorkshopRecord;
  principal: Principal;
}

/** Why a caller was turned away. */
export type AuthFailure = { ok: false; reason: "unknown-workshop" | "unauthorized" };

/** Workshop ids are random, URL-safe and short; anything else is unknown without touching storage. */
export function isWorkshopId(id: string): boolean {
  return /^[A-Za-z0-9_-]{8,64}$/.test(id);
}

/** Checks a token for a workshop: unknown workshop first (404 whatever the token), then the token. */
export async function authenticate(store: Store, signer: TokenSigner, workshopId: string, token: string | null): Promise<Authenticated | AuthFailure> {
  if (!isWorkshopId(workshopId)) return { ok: false, reason: "unknown-workshop" };
  const workshop = await store.getWorkshop(workshopId);
  if (!workshop) return { ok: false, reason: "unknown-workshop" };
  const claims = await signer.verify(token);
  if (!claims || claims.workshopId !== workshopId) return { ok: false, reason: "unauthorized" };
  if (claims.role === "participant") {
    const orgId = claims.orgId!;
    if (!workshop.organizations.some((o) => o.id === orgId)) return { ok: false, reason: "unauthorized" };
    if (claims.generation !== (workshop.linkGenerations[orgId] ?? 0)) return { ok: false, reason: "unauthorized" };
  }
  return {
    ok: true,
    workshop,
    principal: { workshopId, role: claims.role, orgId: claims.orgId, generation: claims.generation },
  };
}
