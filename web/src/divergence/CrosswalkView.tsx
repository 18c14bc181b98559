import { addDimension, addPhrases, organizationBadges, type Dimension, type Organization, type WorkshopAnalysis } from "@crosswalk/shared";
import { useMemo, useState } from "react";
import type * as Y from "yjs";
import { OrgBadge } from "../components/OrgBadge.js";

interface CrosswalkViewProps {
  doc: Y.Doc;
  analysis: WorkshopAnalysis | null;
  dimensions: readonly Dimension[];
  organizations: readonly Organization[];
  /** Present for facilitators: flag a divergent column for reflection. */
  onFlagColumn: ((dimension: Dimension) => string | null) | null;
  facilitator: boolean;
}

/** The dimension crosswalk: which equity dimensions each organization's definition names, against the shared draft. */
export function CrosswalkView({ doc, analysis, dimensions, organizations, onFlagColumn, facilitator }: CrosswalkViewProps) {
  const badges = useMemo(() => organizationBadges(organizations), [organizations]);
  const [label, setLabel] = useState("");
  const [phrases, setPhrases] = useState("");
  const [target, setTarget] = useState(dimensions[0]?.id ?? "");
  const [more, setMore] = useState("");
  const [message, setMessage] = useState("");
  if (!analysis) return <p>Reading the definitions…</p>;
  const rows = organizations.filter((o) => analysis.dimensions.byOrg[o.id]);
  const labelOf = (id: string) => dimensions.find((d) => d.id === id)?.label ?? id;
  const split = (s: string) => s.split(/[,\n]/);
  const callouts = analysis.dimensions.list
    .map((d) => ({ d, naming: rows.filter((o) => analysis.dimensions.byOrg[o.id]?.[d]?.named) }))
    .filter(({ d, naming }) => naming.length > 0 && !analysis.dimensions.sharedDraft[d]?.named);
  const cell = (named: boolean, evidence: string[], who: string, dim: string) =>
    named ? (
      <span className="cell cell--named" tabIndex={0} aria-label={`${who} names ${labelOf(dim)}: ${evidence.join("; ")}`}>
        <span aria-hidden="true">✓</span>
        <span className="cell__evidence" role="tooltip">
          {evidence.map((e) => `“${e}”`).join(", ")}
        </span>
      </span>
    ) : (
      <span className="cell" aria-label={`${who} does not name ${labelOf(dim)}`}>
        <span aria-hidden="true">·</span>
      </span>
    );
  return (
    <div className="crosswalk">
      <div className="crosswalk__scroll">
        <table className="crosswalk__table" data-testid="crosswalk">
          <caption className="visually-hidden">Equity dimensions named by each organization's current definition and by the shared draft</caption>
          <thead>
            <tr>
              <th scope="col">Organization</th>
              {analysis.dimensions.list.map((d) => (
                <th key={d} scope="col" className={analysis.dimensions.divergent.includes(d) ? "divergent" : undefined}>
                  <span className="crosswalk__dimension" title={labelOf(d)}>
                    {labelOf(d).replace(/\s*\(.*\)$/, "")}
                  </span>
                  {analysis.dimensions.divergent.includes(d) && <span className="crosswalk__divergent"> ◆ divergent</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((o) => (
              <tr key={o.id}>
                <th scope="row">
                  <OrgBadge color={o.color} badge={badges.get(o.id)} name={o.name} /> {o.name}
                </th>
                {analysis.dimensions.list.map((d) => {
                  const m = analysis.dimensions.byOrg[o.id]?.[d];
                  return <td key={d}>{cell(m?.named ?? false, m?.evidence ?? [], o.name, d)}</td>;
                })}
              </tr>
            ))}
            <tr className="crosswalk__shared">
              <th scope="row">Shared draft</th>
              {analysis.dimensions.list.map((d) => {
                const m = analysis.dimensions.sharedDraft[d];
                return <td key={d}>{cell(m?.named ?? false, m?.evidence ?? [], "The shared draft", d)}</td>;
              })}
            </tr>
          </tbody>
        </table>
      </div>
      {callouts.length > 0 && (
        <ul className="callouts" aria-label="Named by an organization, not by the shared draft">
          {callouts.map(({ d, naming }) => (
            <li key={d}>
              <strong>{naming.map((o) => o.name).join(", ")}</strong> {naming.length === 1 ? "names" : "name"} {labelOf(d)}; the shared draft does not.
              {onFlagColumn && (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => setMessage(onFlagColumn(dimensions.find((x) => x.id === d)!) ?? `Flagged: ${labelOf(d)}.`)}
                >
                  Flag for reflection
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <p role="status" className="hint">
        {message}
      </p>
      {facilitator && (
        <div className="crosswalk__forms">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const r = addDimension(doc, label, split(phrases));
              setMessage(r.ok ? `Added "${r.value.label}".` : r.message);
              if (r.ok) {
                setLabel("");
                setPhrases("");
              }
            }}
          >
            <h3>Add a dimension</h3>
            <div className="field">
              <label htmlFor="dim-label">Name</label>
              <input id="dim-label" value={label} onChange={(e) => setLabel(e.target.value)} placeholder="Rural students" />
            </div>
            <div className="field">
              <label htmlFor="dim-phrases">Phrases that name it (comma or line separated)</label>
              <textarea id="dim-phrases" rows={2} value={phrases} onChange={(e) => setPhrases(e.target.value)} placeholder="rural, small towns" />
            </div>
            <button type="submit">Add dimension</button>
          </form>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const r = addPhrases(doc, target, split(more));
              setMessage(r.ok ? `Added phrases to "${r.value.label}".` : r.message);
              if (r.ok) setMore("");
            }}
          >
            <h3>Add phrases to a dimension</h3>
            <div className="field">
              <label htmlFor="dim-target">Dimension</label>
              <select id="dim-target" value={target} onChange={(e) => setTarget(e.target.value)}>
                {dimensions.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="dim-more">Phrases</label>
              <textarea id="dim-more" rows={2} value={more} onChange={(e) => setMore(e.target.value)} />
            </div>
            <button type="submit">Add phrases</button>
          </form>
        </div>
      )}
    </div>
  );
}
