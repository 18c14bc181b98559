// How organizations are told apart: a colour, and a non-colour cue (initials and a pattern)
// so that colour-blind participants can tell them apart too.
import type { Organization } from "../doc/types.js";

/**
 * Organization colours: the Okabe–Ito palette (distinguishable with the common colour
 * vision deficiencies) without yellow and black, then Paul Tol's "muted" colours.
 */
export const ORGANIZATION_COLORS: readonly string[] = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#882255",
  "#117733",
  "#332288",
  "#999933",
  "#AA4499",
  "#44AA99",
];

/** The colour for the n-th organization of a workshop (0-based). */
export function colorForIndex(n: number): string {
  return ORGANIZATION_COLORS[((n % ORGANIZATION_COLORS.length) + ORGANIZATION_COLORS.length) % ORGANIZATION_COLORS.length]!;
}

/** Fill patterns used beside colour; CSS renders them (see web/src/styles). */
export const ORGANIZATION_PATTERNS = ["solid", "stripes", "dots", "cross", "waves", "grid"] as const;

/** One of the organization patterns. */
export type OrganizationPattern = (typeof ORGANIZATION_PATTERNS)[number];

/** The non-colour cue of an organization. */
export interface OrganizationBadge {
  initials: string;
  pattern: OrganizationPattern;
}

const MINOR_WORDS = new Set(["of", "the", "and", "for", "at", "in", "on", "a", "an", "&"]);

function baseInitials(name: string): string {
  const words = name
    .split(/[\s\-–—/]+/u)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ""))
    .filter((w) => w.length > 0 && !MINOR_WORDS.has(w.toLowerCase()));
  if (words.length === 0) return "?";
  if (words.length === 1) return Array.from(words[0]!).slice(0, 2).join("").toUpperCase();
  return words
    .slice(0, 3)
    .map((w) => Array.from(w)[0]!)
    .join("")
    .toUpperCase();
}

/** Initials (unique within the workshop, a digit added on a clash) and a pattern for each organization, in order. */
export function organizationBadges(orgs: readonly Organization[]): Map<string, OrganizationBadge> {
  const out = new Map<string, OrganizationBadge>();
  const used = new Map<string, number>();
  orgs.forEach((org, i) => {
    const base = baseInitials(org.name);
    const count = (used.get(base) ?? 0) + 1;
    used.set(base, count);
    out.set(org.id, {
      initials: count === 1 ? base : `${base}${count}`,
      pattern: ORGANIZATION_PATTERNS[i % ORGANIZATION_PATTERNS.length]!,
    });
  });
  return out;
}
