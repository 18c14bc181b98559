import { flagSchema, flagsOf, readRecords, type Actor, type Flag, type Organization, type Section } from "@crosswalk/shared";
import type * as Y from "yjs";
import { useDocValue } from "../collab/hooks.js";
import { FlagRound } from "./FlagRound.js";

interface FlagsBoardProps {
  doc: Y.Doc;
  sections: readonly Section[];
  organizations: readonly Organization[];
  actor: Actor;
  workshopId: string;
  token: string;
  readOnly: boolean;
  selected: string | null;
  onSelect(flagId: string): void;
  onShow(flag: Flag): void;
}

const STATUS_LABELS: Record<Flag["status"], string> = { open: "Open", "in-reflection": "In reflection", closed: "Closed" };

/** Every flag with its status; the selected one's reflection round below. */
export function FlagsBoard({ doc, sections, organizations, actor, workshopId, token, readOnly, selected, onSelect, onShow }: FlagsBoardProps) {
  const flags = useDocValue(doc, (d) => [...readRecords(flagsOf(d), flagSchema).valid.values()].sort((a, b) => a.createdAt - b.createdAt));
  const current = flags.find((f) => f.id === selected) ?? null;
  if (flags.length === 0)
    return <p>No flags yet. A facilitator flags a passage (select it and choose “Flag”), a hotspot of the divergence map, or a column of the dimension crosswalk.</p>;
  return (
    <div className="flags">
      <table className="flags__table" data-testid="flags-board">
        <thead>
          <tr>
            <th scope="col">Flag</th>
            <th scope="col">Section</th>
            <th scope="col">Status</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {flags.map((f) => (
            <tr key={f.id} aria-current={f.id === selected ? "true" : undefined}>
              <td>
                <button type="button" className="link-button" onClick={() => onSelect(f.id)}>
                  {f.title}
                </button>
              </td>
              <td>{sections.find((s) => s.id === f.sectionId)?.title ?? "—"}</td>
              <td>{STATUS_LABELS[f.status]}</td>
              <td>{f.outcome ? { aligned: "Aligned", "agree-to-differ": "Agree to differ", parked: "Parked" }[f.outcome] : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {current && (
        <FlagRound key={current.id} doc={doc} flag={current} workshopId={workshopId} token={token} actor={actor} organizations={organizations} readOnly={readOnly} onShow={onShow} />
      )}
    </div>
  );
}
