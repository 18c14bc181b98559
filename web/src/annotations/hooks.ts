import { filterAnnotations, NO_FILTER, sectionAnnotations, type AnnotationFilter, type SectionAnnotations } from "@crosswalk/shared";
import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import type * as Y from "yjs";
import type { AnnotationSnapshot, AnnotationStore } from "./AnnotationStore.js";

/** The store's snapshot, re-rendering on change. */
export function useAnnotationSnapshot(store: AnnotationStore): AnnotationSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** A counter bumped (at most once a frame) after document changes, to recompute ranges. */
function useDocTick(doc: Y.Doc): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let frame: number | null = null;
    const bump = (): void => {
      if (frame === null) frame = requestAnimationFrame(() => ((frame = null), setTick((t) => t + 1)));
    };
    doc.on("update", bump);
    return () => {
      doc.off("update", bump);
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [doc]);
  return tick;
}

/** A section's annotations grouped into passages and filtered, kept current as the text changes. */
export function useSectionAnnotations(doc: Y.Doc, sectionId: string, snapshot: AnnotationSnapshot, filter: AnnotationFilter = NO_FILTER): { all: SectionAnnotations; shown: SectionAnnotations } {
  const tick = useDocTick(doc);
  const all = useMemo(
    () => sectionAnnotations(doc, sectionId, snapshot.records),
    // `tick` is the signal that ranges may have moved.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [doc, sectionId, snapshot.records, tick],
  );
  const shown = useMemo(() => filterAnnotations(all, filter), [all, filter]);
  return { all, shown };
}
