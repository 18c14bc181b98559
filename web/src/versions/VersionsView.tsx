import { compareSection, deletionLookup, readRichText, readSections, sectionFragment, type Organization } from "@crosswalk/shared";
import { useCallback, useEffect, useState } from "react";
import * as Y from "yjs";
import { ApiError, deletionLog, listVersions, saveVersion, versionState, type VersionInfo } from "../api/api.js";
import { RichTextView } from "../annotations/RichTextView.js";
import { ChangesView } from "./ChangesView.js";

interface VersionsViewProps {
  doc: Y.Doc;
  workshopId: string;
  token: string;
  facilitator: boolean;
  author: string;
  organizations: readonly Organization[];
}

const CURRENT = "current";

async function load(workshopId: string, token: string, id: string, live: Y.Doc): Promise<Y.Doc> {
  if (id === CURRENT) {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(live));
    return copy;
  }
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await versionState(workshopId, token, id));
  return doc;
}

/** Named versions: save one (facilitators), open one read-only, compare two (or one with now). */
export function VersionsView({ doc, workshopId, token, facilitator, author, organizations }: VersionsViewProps) {
  const [versions, setVersions] = useState<VersionInfo[] | null>(null);
  const [label, setLabel] = useState("");
  const [message, setMessage] = useState("");
  const [older, setOlder] = useState("");
  const [newer, setNewer] = useState(CURRENT);
  const [shown, setShown] = useState<{ title: string; doc: Y.Doc } | null>(null);
  const [comparison, setComparison] = useState<{ title: string; older: Y.Doc; newer: Y.Doc; log: Array<[number, number, number, string | null]> } | null>(null);
  const refresh = useCallback(() => {
    listVersions(workshopId, token).then(
      (list) => {
        setVersions(list);
        setOlder((o) => o || (list[list.length - 1]?.id ?? ""));
      },
      (e: unknown) => setMessage(e instanceof ApiError ? e.message : String(e)),
    );
  }, [workshopId, token]);
  useEffect(refresh, [refresh]);
  const labelOf = (id: string) => (id === CURRENT ? "the current text" : `“${versions?.find((v) => v.id === id)?.label ?? id}”`);

  return (
    <div className="versions">
      {facilitator && (
        <form
          className="versions__save"
          onSubmit={(e) => {
            e.preventDefault();
            saveVersion(workshopId, token, label, author).then(
              (v) => {
                setMessage(`Saved “${v.label}”.`);
                setLabel("");
                refresh();
              },
              (err: unknown) => setMessage(err instanceof ApiError ? err.message : String(err)),
            );
          }}
        >
          <div className="field">
            <label htmlFor="version-label">Name of the version</label>
            <input id="version-label" value={label} maxLength={250} onChange={(e) => setLabel(e.target.value)} placeholder="After morning session, 26 January" />
          </div>
          <button type="submit">Save a version</button>
        </form>
      )}
      <p role="status" className="hint">
        {message}
      </p>
      {versions && versions.length === 0 && <p>No version saved yet.</p>}
      {versions && versions.length > 0 && (
        <>
          <ul className="versions__list" data-testid="versions">
            {versions.map((v) => (
              <li key={v.id}>
                <strong>{v.label}</strong> <span className="hint">— {new Date(v.createdAt).toLocaleString()} by {v.author}</span>{" "}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => void load(workshopId, token, v.id, doc).then((d) => (setComparison(null), setShown({ title: v.label, doc: d })))}
                >
                  Open
                </button>
              </li>
            ))}
          </ul>
          <form
            className="versions__compare"
            onSubmit={(e) => {
              e.preventDefault();
              void Promise.all([load(workshopId, token, older, doc), load(workshopId, token, newer, doc), deletionLog(workshopId, token)]).then(
                ([o, n, log]) => {
                  setShown(null);
                  setComparison({ title: `Changes from ${labelOf(older)} to ${labelOf(newer)}`, older: o, newer: n, log });
                },
                (err: unknown) => setMessage(err instanceof ApiError ? err.message : String(err)),
              );
            }}
          >
            <div className="field field--inline">
              <label htmlFor="compare-older">Compare</label>
              <select id="compare-older" value={older} onChange={(e) => setOlder(e.target.value)}>
                {versions.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field field--inline">
              <label htmlFor="compare-newer">with</label>
              <select id="compare-newer" value={newer} onChange={(e) => setNewer(e.target.value)}>
                <option value={CURRENT}>The current text</option>
                {versions.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.label}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit">Compare</button>
          </form>
        </>
      )}
      {shown && (
        <section className="versions__open" aria-label={`Version ${shown.title} (read only)`}>
          <h3>“{shown.title}” (read only)</h3>
          {readSections(shown.doc).map((s) => (
            <section key={s.id}>
              <h4>{s.title}</h4>
              <RichTextView blocks={readRichText(sectionFragment(shown.doc, s.id))} highlights={[]} />
            </section>
          ))}
        </section>
      )}
      {comparison && (
        <section className="versions__comparison" aria-label={comparison.title}>
          <h3>{comparison.title}</h3>
          {readSections(comparison.newer).map((s) => (
            <section key={s.id} data-testid="section-changes">
              <h4>{s.title}</h4>
              <ChangesView pieces={compareSection(comparison.older, comparison.newer, s.id, deletionLookup(comparison.log))} organizations={organizations} />
            </section>
          ))}
        </section>
      )}
    </div>
  );
}
