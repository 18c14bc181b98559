// The divergence analysis, live: recomputed shortly after the document changes (not on every
// keystroke), with section hashes cached by text so unchanged sections are not rehashed.
import { analyzeWorkshop, buildTextMap, readSections, sectionFragment, sha256Hex, type WorkshopAnalysis } from "@crosswalk/shared";
import { useEffect, useState } from "react";
import type * as Y from "yjs";

const DEBOUNCE_MS = 250;

async function hashes(doc: Y.Doc, cache: Map<string, string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const s of readSections(doc)) {
    const text = buildTextMap(sectionFragment(doc, s.id)).text;
    let hash = cache.get(text);
    if (!hash) {
      hash = await sha256Hex(text);
      if (cache.size > 500) cache.clear();
      cache.set(text, hash);
    }
    out.set(s.id, hash);
  }
  return out;
}

/** The workshop's analysis, or null until the first one is ready. */
export function useAnalysis(doc: Y.Doc): WorkshopAnalysis | null {
  const [analysis, setAnalysis] = useState<WorkshopAnalysis | null>(null);
  useEffect(() => {
    const cache = new Map<string, string>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    let running = false;
    let again = false;
    let stopped = false;
    const run = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        const result = await analyzeWorkshop(doc, await hashes(doc, cache));
        if (!stopped) setAnalysis(result);
      } finally {
        running = false;
        if (again && !stopped) {
          again = false;
          void run();
        }
      }
    };
    const schedule = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void run(), DEBOUNCE_MS);
    };
    // "update" fires only when something changed (empty transactions, such as the editor's
    // no-op syncs, must not keep postponing the analysis).
    doc.on("update", schedule);
    void run();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      doc.off("update", schedule);
    };
  }, [doc]);
  return analysis;
}
