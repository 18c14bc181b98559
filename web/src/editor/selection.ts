// Between the editor's selection and annotation anchors, through the shared text offsets.
import { anchorForRange, resolveAnchor, type Anchor } from "@crosswalk/shared";
import type { Editor } from "@tiptap/core";
import type * as Y from "yjs";
import { buildPmTextMap, offsetToPos, posToOffset } from "./pmTextMap.js";

/** The passage the person selected, anchored, or why it cannot be annotated. */
export type SelectedPassage = { ok: true; anchor: Anchor; quote: string } | { ok: false; message: string };

/** Anchors the editor's current selection in the shared document. */
export function selectedPassage(editor: Editor, ydoc: Y.Doc, sectionId: string): SelectedPassage {
  const { from, to, empty } = editor.state.selection;
  if (empty) return { ok: false, message: "Select the passage you want to annotate first." };
  const map = buildPmTextMap(editor.state.doc);
  const start = posToOffset(map, from);
  const end = posToOffset(map, to);
  const anchor = anchorForRange(ydoc, sectionId, start, end);
  const resolved = anchor ? resolveAnchor(ydoc, sectionId, anchor) : null;
  if (!anchor || !resolved) return { ok: false, message: "Select the passage you want to annotate first." };
  if (resolved.text.trim() === "") return { ok: false, message: "Select some words, not only spaces or line breaks." };
  return { ok: true, anchor, quote: resolved.text };
}

/** Scrolls the editor to a text range and selects it, without taking focus from where the person is. */
export function showRange(editor: Editor, from: number, to: number): void {
  const map = buildPmTextMap(editor.state.doc);
  const start = offsetToPos(map, from);
  const end = offsetToPos(map, to);
  if (start === null || end === null) return;
  editor.commands.setTextSelection({ from: start, to: end });
  const { node } = editor.view.domAtPos(start);
  const element = node instanceof Element ? node : node.parentElement;
  element?.scrollIntoView({ block: "center", behavior: "smooth" });
}
