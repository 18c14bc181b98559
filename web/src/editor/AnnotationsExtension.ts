// The editor side of annotations: a ProseMirror plugin holding the decorations. They are
// recomputed from the shared document when annotations or the text change (at most once a
// frame), and mapped through edits in between; a click on a highlight activates it.
import { annotationsOf, sectionFragment } from "@crosswalk/shared";
import { Extension } from "@tiptap/core";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { DecorationSet } from "@tiptap/pm/view";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import type { AnnotationStore } from "../annotations/AnnotationStore.js";
import { annotationDecorations, annotationsAt } from "./annotationDecorations.js";

/** Options of the annotations extension. */
export interface AnnotationsOptions {
  ydoc: Y.Doc | null;
  sectionId: string;
  store: AnnotationStore | null;
}

/** The plugin's key, also its "refresh" meta. */
export const annotationsKey = new PluginKey<DecorationSet>("crosswalkAnnotations");

/** TipTap extension drawing a section's annotations. */
export const Annotations = Extension.create<AnnotationsOptions>({
  name: "crosswalkAnnotations",
  addOptions() {
    return { ydoc: null, sectionId: "", store: null };
  },
  addProseMirrorPlugins() {
    const { ydoc, sectionId, store } = this.options;
    if (!ydoc || !store) return [];
    const compute = (pmDoc: Parameters<typeof annotationDecorations>[0]["pmDoc"]) => {
      const { records, orgs, activeId } = store.getSnapshot();
      return annotationDecorations({ pmDoc, ydoc, sectionId, annotations: records, orgs, activeId });
    };
    return [
      new Plugin<DecorationSet>({
        key: annotationsKey,
        state: {
          init: (_config, state) => compute(state.doc) ?? DecorationSet.empty,
          apply: (tr, old, _oldState, newState) => {
            // A remote change (or undo) arrives as a whole-document replacement from the Yjs
            // binding, through which mapping would drop every decoration: Yjs already holds the
            // new text, so recompute at once instead of leaving a frame without highlights.
            const fromYjs = (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true;
            if (tr.getMeta(annotationsKey) === "refresh" || (fromYjs && tr.docChanged)) {
              const fresh = compute(newState.doc);
              if (fresh) return fresh;
            }
            return tr.docChanged ? old.map(tr.mapping, tr.doc) : old;
          },
        },
        props: {
          decorations: (state) => annotationsKey.getState(state),
          handleClick: (view, pos) => {
            const set = annotationsKey.getState(view.state);
            const ids = set ? annotationsAt(set, pos) : [];
            if (ids.length > 0) store.setActive(ids[ids.length - 1]!);
            return false;
          },
        },
        view: (view) => {
          let frame: number | null = null;
          const refresh = (): void => {
            if (frame !== null) return;
            frame = requestAnimationFrame(() => {
              frame = null;
              if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(annotationsKey, "refresh").setMeta("addToHistory", false));
            });
          };
          const unsubscribe = store.subscribe(refresh);
          // Local typing reaches Yjs after the editor's transaction: recompute after Yjs
          // transactions that changed this section's text or the annotations. (Empty ones, like
          // the binding's own no-op sync after our refresh, must not start a refresh loop.)
          const fragment = sectionFragment(ydoc, sectionId);
          const annotations = annotationsOf(ydoc);
          const relevant = (tr: Y.Transaction): void => {
            for (const type of tr.changed.keys()) {
              let root = type as Y.AbstractType<unknown>;
              while (root._item !== null) root = root._item.parent as Y.AbstractType<unknown>;
              if (root === (fragment as unknown) || root === (annotations as unknown)) return refresh();
            }
          };
          ydoc.on("afterTransaction", relevant);
          return {
            destroy: () => {
              if (frame !== null) cancelAnimationFrame(frame);
              unsubscribe();
              ydoc.off("afterTransaction", relevant);
            },
          };
        },
      }),
    ];
  },
});
