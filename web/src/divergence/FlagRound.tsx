import {
  closeFlag,
  flagsOf,
  readRound,
  reflectionSchema,
  reflectionsOf,
  readRecords,
  timeLeft,
  writeRound,
  organizationBadges,
  type Actor,
  type Flag,
  type FlagOutcome,
  type Organization,
} from "@crosswalk/shared";
import { useEffect, useMemo, useState } from "react";
import type * as Y from "yjs";
import { ApiError, revealStatements, statementStatus, submitStatement, type StatementStatus } from "../api/api.js";
import { useDocValue } from "../collab/hooks.js";
import { OrgBadge } from "../components/OrgBadge.js";

const OUTCOME_LABELS: Record<FlagOutcome, string> = { aligned: "Aligned", "agree-to-differ": "Agree to differ", parked: "Parked" };
const ROUND_MINUTES = 5;

/** mm:ss */
export function formatClock(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** A ticking clock value, re-rendering every second. */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

interface FlagRoundProps {
  doc: Y.Doc;
  flag: Flag;
  workshopId: string;
  token: string;
  actor: Actor;
  organizations: readonly Organization[];
  readOnly: boolean;
  onShow(flag: Flag): void;
}

/** One flag's structured reflection: statements held until revealed, a shared timer, an outcome. */
export function FlagRound({ doc, flag, workshopId, token, actor, organizations, readOnly, onShow }: FlagRoundProps) {
  const round = useDocValue(doc, readRound);
  const reflections = useDocValue(doc, (d) => [...readRecords(reflectionsOf(d), reflectionSchema).valid.values()].filter((r) => r.flagId === flag.id));
  const badges = useMemo(() => organizationBadges(organizations), [organizations]);
  const [status, setStatus] = useState<StatementStatus | null>(null);
  const [kind, setKind] = useState<"perspective-making" | "perspective-taking">("perspective-making");
  const [about, setAbout] = useState(organizations.find((o) => o.id !== actor.orgId)?.id ?? "");
  const [text, setText] = useState("");
  const [message, setMessage] = useState("");
  const [outcome, setOutcome] = useState<FlagOutcome>("agree-to-differ");
  const [note, setNote] = useState("");
  const running = round?.flagId === flag.id;
  const now = useNow(running && round.timer.endsAt !== null);
  const facilitating = actor.role === "facilitator" && !readOnly;

  // Who has submitted (never what): polled while the round is open.
  useEffect(() => {
    if (flag.status === "closed" && status) return;
    let stopped = false;
    const poll = () =>
      statementStatus(workshopId, token, flag.id).then(
        (s) => !stopped && setStatus(s),
        () => {},
      );
    void poll();
    const t = setInterval(poll, 2500);
    return () => {
      stopped = true;
      clearInterval(t);
    };
  }, [workshopId, token, flag.id, flag.status, status]);

  const setFlag = (next: Flag) => flagsOf(doc).set(next.id, next);
  const orgName = (id: string | undefined) => organizations.find((o) => o.id === id)?.name ?? "another organization";

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      await submitStatement(workshopId, token, flag.id, { kind, text, author: actor.name, ...(kind === "perspective-taking" ? { aboutOrgId: about } : {}) });
      setText("");
      setMessage(status?.revealed ? "Your statement was added." : "Your statement is held until the facilitator reveals all statements at once.");
      setStatus(await statementStatus(workshopId, token, flag.id));
    } catch (error) {
      setMessage(error instanceof ApiError ? error.message : String(error));
    }
  };

  return (
    <article className="round" aria-labelledby={`flag-${flag.id}`} data-testid="flag-round">
      <h3 id={`flag-${flag.id}`}>{flag.title}</h3>
      <p className="hint">
        Raised by {flag.raisedBy} · {flag.status === "open" ? "Open" : flag.status === "in-reflection" ? "In reflection" : "Closed"}
      </p>
      <button type="button" className="anno-card__quote" onClick={() => onShow(flag)}>
        “{flag.quote}”
      </button>
      {running && (
        <p className="round__timer" role="timer" aria-live="off">
          Time left: <strong>{formatClock(timeLeft(round, now))}</strong>
          {round.timer.endsAt === null && " (paused)"}
        </p>
      )}
      {facilitating && flag.status !== "closed" && (
        <div className="anno-card__actions">
          {flag.status === "open" && (
            <button
              type="button"
              onClick={() =>
                doc.transact(() => {
                  setFlag({ ...flag, status: "in-reflection" });
                  writeRound(doc, { flagId: flag.id, summonedAt: null, timer: { endsAt: null, remainingMs: ROUND_MINUTES * 60_000 } });
                })
              }
            >
              Start a reflection round
            </button>
          )}
          {flag.status === "in-reflection" && !running && (
            <button type="button" onClick={() => writeRound(doc, { flagId: flag.id, summonedAt: null, timer: { endsAt: null, remainingMs: ROUND_MINUTES * 60_000 } })}>
              Resume this round
            </button>
          )}
          {running && (
            <>
              <button type="button" onClick={() => writeRound(doc, { ...round, summonedAt: Date.now() })}>
                Bring everyone here
              </button>
              {round.timer.endsAt === null ? (
                <button type="button" onClick={() => writeRound(doc, { ...round, timer: { endsAt: Date.now() + round.timer.remainingMs, remainingMs: round.timer.remainingMs } })}>
                  Start the timer
                </button>
              ) : (
                <button type="button" onClick={() => writeRound(doc, { ...round, timer: { endsAt: null, remainingMs: timeLeft(round, Date.now()) } })}>
                  Pause the timer
                </button>
              )}
              <button
                type="button"
                onClick={() =>
                  writeRound(doc, {
                    ...round,
                    timer: round.timer.endsAt === null ? { endsAt: null, remainingMs: round.timer.remainingMs + 60_000 } : { endsAt: round.timer.endsAt + 60_000, remainingMs: round.timer.remainingMs },
                  })
                }
              >
                One more minute
              </button>
            </>
          )}
          {status && !status.revealed && (
            <button
              type="button"
              onClick={() =>
                revealStatements(workshopId, token, flag.id).then(
                  async () => setStatus(await statementStatus(workshopId, token, flag.id)),
                  (e: unknown) => setMessage(e instanceof ApiError ? e.message : String(e)),
                )
              }
            >
              Reveal all statements
            </button>
          )}
        </div>
      )}
      {status && (
        <div className="round__submitted" data-testid="submitted">
          <h4>Statements submitted {status.revealed ? "(revealed)" : "(hidden until the reveal)"}</h4>
          <ul>
            {organizations.map((o) => (
              <li key={o.id}>
                <OrgBadge color={o.color} badge={badges.get(o.id)} name={o.name} /> {o.name}: {status.submitted[o.id] ? `${status.submitted[o.id]} submitted` : "waiting"}
              </li>
            ))}
          </ul>
        </div>
      )}
      {!readOnly && actor.role === "participant" && flag.status === "in-reflection" && (
        <form className="round__statement" onSubmit={(e) => void submit(e)}>
          <fieldset>
            <legend>Your organization's statement</legend>
            <label className="filter-option">
              <input type="radio" name={`kind-${flag.id}`} checked={kind === "perspective-making"} onChange={() => setKind("perspective-making")} />
              What we mean by this (perspective-making)
            </label>
            <label className="filter-option">
              <input type="radio" name={`kind-${flag.id}`} checked={kind === "perspective-taking"} onChange={() => setKind("perspective-taking")} />
              What we hear another organization saying (perspective-taking)
            </label>
          </fieldset>
          {kind === "perspective-taking" && (
            <div className="field">
              <label htmlFor={`about-${flag.id}`}>Which organization?</label>
              <select id={`about-${flag.id}`} value={about} onChange={(e) => setAbout(e.target.value)}>
                {organizations
                  .filter((o) => o.id !== actor.orgId)
                  .map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor={`statement-${flag.id}`}>{kind === "perspective-making" ? "What we mean" : `What we hear ${orgName(about)} saying`}</label>
            <textarea id={`statement-${flag.id}`} rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          </div>
          <button type="submit">Submit statement</button>
        </form>
      )}
      <p role="status" className="hint">
        {message}
      </p>
      {reflections.length > 0 && (
        <div className="round__reflections" data-testid="reflections">
          <h4>Statements</h4>
          {organizations
            .filter((o) => reflections.some((r) => r.orgId === o.id))
            .map((o) => (
              <section key={o.id} className="round__org">
                <h5>
                  <OrgBadge color={o.color} badge={badges.get(o.id)} name={o.name} /> {o.name}
                </h5>
                {reflections
                  .filter((r) => r.orgId === o.id)
                  .sort((a, b) => a.createdAt - b.createdAt)
                  .map((r) => (
                    <p key={r.id}>
                      <em>{r.kind === "perspective-making" ? "What we mean: " : `What we hear ${orgName(r.aboutOrgId)} saying: `}</em>
                      {r.text} <span className="hint">— {r.author}</span>
                    </p>
                  ))}
              </section>
            ))}
        </div>
      )}
      {flag.status === "closed" && flag.outcome && (
        <p className={`round__outcome round__outcome--${flag.outcome}`} data-testid="outcome">
          <strong>{OUTCOME_LABELS[flag.outcome]}</strong>
          {flag.outcomeNote && <>: {flag.outcomeNote}</>}
        </p>
      )}
      {facilitating && flag.status === "in-reflection" && (
        <form
          className="round__close"
          onSubmit={(e) => {
            e.preventDefault();
            const closed = closeFlag(flag, outcome, note);
            if (!closed.ok) return setMessage(closed.message);
            doc.transact(() => {
              setFlag(closed.value);
              if (running) writeRound(doc, null);
            });
          }}
        >
          <fieldset>
            <legend>Close the round with an outcome</legend>
            {(Object.keys(OUTCOME_LABELS) as FlagOutcome[]).map((o) => (
              <label key={o} className="filter-option">
                <input type="radio" name={`outcome-${flag.id}`} checked={outcome === o} onChange={() => setOutcome(o)} />
                {OUTCOME_LABELS[o]}
                {o === "aligned" ? " (the text was changed)" : o === "agree-to-differ" ? " (the difference is kept, in the organizations' own words)" : " (with an owner and a note)"}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor={`note-${flag.id}`}>{outcome === "parked" ? "Owner and next step" : "Note"}</label>
            <textarea id={`note-${flag.id}`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <button type="submit">Close the round</button>
        </form>
      )}
    </article>
  );
}
