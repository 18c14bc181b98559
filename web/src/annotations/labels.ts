import type { Stance } from "@crosswalk/shared";

/** How stances read in the UI: a word and a symbol (never colour alone). */
export const STANCE_LABELS: Record<Stance, { label: string; symbol: string }> = {
  endorse: { label: "Endorse", symbol: "✓" },
  question: { label: "Question", symbol: "?" },
  concern: { label: "Concern", symbol: "!" },
  alternative: { label: "Propose an alternative", symbol: "⇄" },
  note: { label: "Note", symbol: "✎" },
};
