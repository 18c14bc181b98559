// The annotations of a workshop as the page uses them: validated records from the document
// (an invalid record from another client is listed as invalid, never crashes the page), the
// organizations' colours and patterns, and which annotation is active (clicked in the editor
// or the sidebar). Plain TypeScript; React and the editor plugin subscribe to it.
import {
  annotationSchema,
  annotationsOf,
  organizationBadges,
  readRecords,
  type Annotation,
  type InvalidRecord,
  type Organization,
} from "@crosswalk/shared";
import type * as Y from "yjs";
import type { OrgStyle } from "../editor/annotationDecorations.js";

/** What subscribers read. A new object on every change. */
export interface AnnotationSnapshot {
  records: Annotation[];
  invalid: InvalidRecord[];
  orgs: ReadonlyMap<string, OrgStyle>;
  activeId: string | null;
}

/** Observable annotations of one workshop document. */
export class AnnotationStore {
  private snapshot: AnnotationSnapshot = { records: [], invalid: [], orgs: new Map(), activeId: null };
  private readonly listeners = new Set<() => void>();
  private readonly map: Y.Map<unknown>;
  private readonly onChange = (): void => this.reread();

  constructor(doc: Y.Doc) {
    this.map = annotationsOf(doc);
    this.map.observe(this.onChange);
    this.reread();
  }

  private reread(): void {
    const { valid, invalid } = readRecords(this.map, annotationSchema);
    this.set({ records: [...valid.values()], invalid });
  }

  private set(patch: Partial<AnnotationSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }

  /** Sets the organizations (colours, patterns, stacking order). */
  setOrganizations(orgs: readonly Organization[]): void {
    const badges = organizationBadges(orgs);
    const styles = new Map<string, OrgStyle>(orgs.map((o, i) => [o.id, { color: o.color, pattern: badges.get(o.id)?.pattern ?? "solid", order: i, name: o.name }]));
    const same =
      styles.size === this.snapshot.orgs.size &&
      [...styles].every(([id, s]) => {
        const old = this.snapshot.orgs.get(id);
        return old && old.color === s.color && old.pattern === s.pattern && old.order === s.order && old.name === s.name;
      });
    if (!same) this.set({ orgs: styles });
  }

  /** Marks an annotation as the one in focus (or none). */
  setActive(id: string | null): void {
    if (id !== this.snapshot.activeId) this.set({ activeId: id });
  }

  getSnapshot = (): AnnotationSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  destroy(): void {
    this.map.unobserve(this.onChange);
    this.listeners.clear();
  }
}
