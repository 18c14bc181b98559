// The person at this keyboard: their name (asked once, remembered) and the colour they write in.
import type { Organization, Role } from "@crosswalk/shared";
import type { LocalUser } from "../collab/WorkshopSession.js";

const NAME_KEY = "crosswalk:name";
/** Caret colours of people who write for no organization. */
const ROLE_COLORS: Record<Role, string> = { facilitator: "#333333", observer: "#6B6B6B", participant: "#333333" };

/** The remembered name, if any. */
export function rememberedName(storage: Storage): string | null {
  const name = storage.getItem(NAME_KEY)?.trim();
  return name ? name : null;
}

/** Remembers a name for every workshop in this browser. */
export function rememberName(storage: Storage, name: string): void {
  storage.setItem(NAME_KEY, name.trim().slice(0, 80));
}

/** The local user: named, in their organization's colour. */
export function localUser(name: string, role: Role, orgId: string | null, organizations: readonly Organization[]): LocalUser {
  const org = organizations.find((o) => o.id === orgId);
  return { name, role, orgId, color: org?.color ?? ROLE_COLORS[role] };
}
