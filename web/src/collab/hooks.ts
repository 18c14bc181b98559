// React bindings for a session: thin subscriptions, the logic lives in plain modules.
import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import type { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";
import type { SessionStatus, WorkshopSession } from "./WorkshopSession.js";

/** The session's status, re-rendering on change. */
export function useSessionStatus(session: WorkshopSession): SessionStatus {
  return useSyncExternalStore(session.subscribe, session.getStatus);
}

/**
 * A value derived from the document, recomputed after every document update. While the value
 * stays equal (as JSON) the same object is returned, so components memoized on it do not
 * re-render when unrelated text changes.
 */
export function useDocValue<T>(doc: Y.Doc, read: (doc: Y.Doc) => T): T {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = (): void => setVersion((v) => v + 1);
    doc.on("update", bump);
    return () => doc.off("update", bump);
  }, [doc]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` is the change signal
  const fresh = useMemo(() => read(doc), [doc, read, version]);
  const json = useMemo(() => contentKey(fresh), [fresh]);
  // Keyed by content: the same JSON keeps the object of the first render that produced it.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => fresh, [json]);
}

/** A value's content as a string: JSON, with Maps and Sets spelled out (JSON.stringify writes both as "{}"). */
export function contentKey(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Map ? { map: [...v] } : v instanceof Set ? { set: [...v] } : v)) ?? "undefined";
}

/** Every presence state (client id → state), re-rendering on change. */
export function useAwarenessStates(awareness: Awareness): Map<number, Record<string, unknown>> {
  const [states, setStates] = useState(() => new Map(awareness.getStates()));
  useEffect(() => {
    const refresh = (): void => setStates(new Map(awareness.getStates()));
    awareness.on("change", refresh);
    refresh();
    return () => awareness.off("change", refresh);
  }, [awareness]);
  return states;
}
