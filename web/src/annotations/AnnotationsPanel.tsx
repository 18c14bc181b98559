import { NO_FILTER, STANCES, type Actor, type AnnotationFilter, type AnnotationView, type Dimension, type Organization, type Stance } from "@crosswalk/shared";
import { useMemo, useState } from "react";
import type * as Y from "yjs";
import { AnnotationCard } from "./AnnotationCard.js";
import type { AnnotationStore } from "./AnnotationStore.js";
import { useAnnotationSnapshot, useSectionAnnotations } from "./hooks.js";
import { STANCE_LABELS } from "./labels.js";

interface AnnotationsPanelProps {
  doc: Y.Doc;
  sectionId: string;
  store: AnnotationStore;
  actor: Actor;
  organizations: readonly Organization[];
  dimensions: readonly Dimension[];
  /** Shows an annotation's passage in the editor. */
  onShow(view: AnnotationView): void;
  /** The form of a new annotation, when one is being written. */
  children?: React.ReactNode;
}

function toggle<T>(set: ReadonlySet<T>, value: T): Set<T> {
  const next = new Set(set);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
}

/** The sidebar: annotations next to their passages, grouped by passage, filterable. */
export function AnnotationsPanel({ doc, sectionId, store, actor, organizations, dimensions, onShow, children }: AnnotationsPanelProps) {
  const snapshot = useAnnotationSnapshot(store);
  const [filter, setFilter] = useState<AnnotationFilter>(NO_FILTER);
  const { all, shown } = useSectionAnnotations(doc, sectionId, snapshot, filter);
  const total = all.passages.reduce((n, p) => n + p.items.length, 0) + all.detached.length;
  const count = shown.passages.reduce((n, p) => n + p.items.length, 0) + shown.detached.length;
  const invalid = useMemo(() => snapshot.invalid, [snapshot.invalid]);
  const card = (view: AnnotationView) => (
    <AnnotationCard
      key={view.annotation.id}
      view={view}
      doc={doc}
      actor={actor}
      organizations={organizations}
      dimensions={dimensions}
      active={snapshot.activeId === view.annotation.id}
      onShow={onShow}
    />
  );
  return (
    <section className="annotations" aria-labelledby="annotations-heading">
      <h2 id="annotations-heading">Annotations</h2>
      {children}
      <details className="filters">
        <summary>
          Filter{" "}
          <span className="hint">
            (showing {count} of {total})
          </span>
        </summary>
        <fieldset>
          <legend>Organization</legend>
          {organizations.map((o) => (
            <label key={o.id} className="filter-option">
              <input type="checkbox" checked={filter.orgIds.has(o.id)} onChange={() => setFilter({ ...filter, orgIds: toggle(filter.orgIds, o.id) })} />
              {o.name}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Stance</legend>
          {STANCES.map((s) => (
            <label key={s} className="filter-option">
              <input type="checkbox" checked={filter.stances.has(s)} onChange={() => setFilter({ ...filter, stances: toggle<Stance>(filter.stances, s) })} />
              {STANCE_LABELS[s].label}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="filter-dimension">Equity dimension</label>
          <select
            id="filter-dimension"
            value={[...filter.dimensions][0] ?? ""}
            onChange={(e) => setFilter({ ...filter, dimensions: new Set(e.target.value ? [e.target.value] : []) })}
          >
            <option value="">Any</option>
            {dimensions.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend>Status</legend>
          {(["all", "open", "resolved"] as const).map((s) => (
            <label key={s} className="filter-option">
              <input type="radio" name="annotation-status" checked={filter.status === s} onChange={() => setFilter({ ...filter, status: s })} />
              {s === "all" ? "All" : s === "open" ? "Open" : "Resolved"}
            </label>
          ))}
        </fieldset>
        <button type="button" onClick={() => setFilter(NO_FILTER)}>
          Clear filters
        </button>
      </details>
      {total === 0 && !children && <p className="hint">No annotations yet. Select a passage and choose Annotate.</p>}
      <ol className="passages">
        {shown.passages.map((p) => (
          <li key={p.items[0]!.annotation.id} className="passage" data-testid="passage">
            {p.items.length > 1 && <p className="passage__count">{p.items.length} annotations on this passage</p>}
            {p.items.map(card)}
          </li>
        ))}
      </ol>
      {shown.detached.length > 0 && (
        <>
          <h3>Detached</h3>
          <ol className="passages">{shown.detached.map((v) => <li key={v.annotation.id}>{card(v)}</li>)}</ol>
        </>
      )}
      {invalid.length > 0 && (
        <>
          <h3>Records that could not be read</h3>
          <ul className="invalid-records">
            {invalid.map((r) => (
              <li key={r.key}>
                <code>{r.key}</code>: this annotation record is invalid and is not shown.
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
