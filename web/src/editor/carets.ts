// Other people's carets and selections in the editor. Built with the DOM's style properties,
// never style attributes, because the Content-Security-Policy forbids inline style markup.
import { ORGANIZATION_COLORS } from "@crosswalk/shared";

/** The caret of another person: a coloured bar with their name. */
export function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = typeof user.color === "string" ? user.color : "#555555";
  const name = typeof user.name === "string" && user.name !== "" ? user.name : "Someone";
  const caret = document.createElement("span");
  caret.className = "collab-caret";
  caret.style.borderColor = color;
  const label = document.createElement("span");
  label.className = "collab-caret__label";
  label.dataset.testid = "caret-label";
  label.style.backgroundColor = color;
  label.textContent = name;
  caret.append(label);
  return caret;
}

/** Decoration attributes of another person's selection: a class per palette colour. */
export function renderSelection(user: Record<string, unknown>): { class: string } {
  const index = ORGANIZATION_COLORS.indexOf(typeof user.color === "string" ? user.color.toUpperCase() : "");
  return { class: `collab-selection collab-selection--${index >= 0 ? index : "other"}` };
}
