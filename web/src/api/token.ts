// The invite token: read from the link's fragment, remembered per workshop so a reload (or
// an offline reload) keeps working, and decoded without verification for the offline case:
// the relay verifies it on every request and connection.
import type { Role } from "@crosswalk/shared";

/** What the page needs to know about its token before the relay answers. */
export interface TokenInfo {
  token: string;
  workshopId: string;
  role: Role;
  orgId: string | null;
}

const key = (workshopId: string) => `crosswalk:token:${workshopId}`;

/** Decodes a token's claims (unverified). */
export function decodeToken(token: string): TokenInfo | null {
  const part = token.split(".")[1];
  if (!part) return null;
  try {
    const json = JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
    const role = json.role;
    if (typeof json.wid !== "string" || (role !== "facilitator" && role !== "participant" && role !== "observer")) return null;
    return { token, workshopId: json.wid, role, orgId: typeof json.org === "string" ? json.org : null };
  } catch {
    return null;
  }
}

/** The token for a workshop page: the link's `#token=` (then removed from the address bar), or the remembered one. */
export function takeToken(workshopId: string, location: Location, history: History, storage: Storage): TokenInfo | null {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, "")).get("token");
  if (fromHash) {
    storage.setItem(key(workshopId), fromHash);
    // Keep the token out of screenshots and shoulder-surfing; it stays in this browser's storage.
    history.replaceState(null, "", location.pathname + location.search);
  }
  const token = fromHash ?? storage.getItem(key(workshopId));
  const info = token ? decodeToken(token) : null;
  return info && info.workshopId === workshopId ? info : null;
}

/** Forgets a workshop's token (after the relay said it is no longer valid). */
export function forgetToken(workshopId: string, storage: Storage): void {
  storage.removeItem(key(workshopId));
}
