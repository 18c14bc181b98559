import {
  annotationsOf,
  canAnnotate,
  canEditOrDelete,
  canResolve,
  draftReply,
  editAnnotation,
  organizationBadges,
  type Actor,
  type Annotation,
  type AnnotationView,
  type Dimension,
  type Organization,
} from "@crosswalk/shared";
import { memo, useEffect, useMemo, useRef, useState } from "react";
import type * as Y from "yjs";
import { OrgBadge } from "../components/OrgBadge.js";
import { AnnotateForm } from "./AnnotateForm.js";
import { STANCE_LABELS } from "./labels.js";

interface AnnotationCardProps {
  view: AnnotationView;
  doc: Y.Doc;
  actor: Actor;
  organizations: readonly Organization[];
  dimensions: readonly Dimension[];
  active: boolean;
  onShow(view: AnnotationView): void;
}

function write(doc: Y.Doc, record: Annotation): void {
  annotationsOf(doc).set(record.id, record);
}

/** Same annotation, same place, same replies: the card need not re-render when other text moves. */
function sameCard(a: AnnotationCardProps, b: AnnotationCardProps): boolean {
  const ra = a.view.range;
  const rb = b.view.range;
  return (
    a.view.annotation === b.view.annotation &&
    (ra === rb || (ra !== null && rb !== null && ra.text === rb.text)) &&
    a.view.replies.length === b.view.replies.length &&
    a.view.replies.every((r, i) => r === b.view.replies[i]) &&
    a.active === b.active &&
    a.doc === b.doc &&
    a.actor === b.actor &&
    a.organizations === b.organizations &&
    a.dimensions === b.dimensions &&
    a.onShow === b.onShow
  );
}

/** One annotation in the sidebar: who, stance, dimensions, comment, replies and what you may do with it. */
export const AnnotationCard = memo(AnnotationCardView, sameCard);

function AnnotationCardView({ view, doc, actor, organizations, dimensions, active, onShow }: AnnotationCardProps) {
  const a = view.annotation;
  const ref = useRef<HTMLElement>(null);
  const [mode, setMode] = useState<"view" | "edit" | "reply">("view");
  const [reply, setReply] = useState("");
  const [replyError, setReplyError] = useState<string | null>(null);
  const badges = useMemo(() => organizationBadges(organizations), [organizations]);
  const orgOf = (id: string) => organizations.find((o) => o.id === id);
  const org = orgOf(a.orgId);
  const labelOf = (d: string) => dimensions.find((x) => x.id === d)?.label ?? d;
  useEffect(() => {
    if (active) ref.current?.scrollIntoView({ block: "nearest" });
  }, [active]);
  const me = actor.orgId ? { orgId: actor.orgId, author: actor.name } : null;

  return (
    <article ref={ref} className={`anno-card${active ? " anno-card--active" : ""}${a.resolved ? " anno-card--resolved" : ""}`} aria-current={active ? "true" : undefined} data-testid="annotation">
      <header className="anno-card__header">
        {org && <OrgBadge color={org.color} badge={badges.get(org.id)} name={org.name} />}
        <span className="anno-card__who">
          <strong>{org?.name ?? "Unknown organization"}</strong> · {a.author}
        </span>
        <span className={`stance stance--${a.stance}`}>
          <span aria-hidden="true">{STANCE_LABELS[a.stance].symbol}</span> {STANCE_LABELS[a.stance].label}
        </span>
        {a.resolved && <span className="tag">Resolved</span>}
      </header>
      {view.range ? (
        <button type="button" className="anno-card__quote" onClick={() => onShow(view)} aria-label={`Show in the text: ${view.range.text}`}>
          “{view.range.text}”
        </button>
      ) : (
        <p className="anno-card__quote anno-card__quote--detached">
          <span className="tag">Detached</span> The annotated text was deleted. It read: “{a.quote}”
        </p>
      )}
      {a.dimensions.length > 0 && (
        <ul className="chips chips--static" aria-label="Equity dimensions">
          {a.dimensions.map((d) => (
            <li key={d} className="chip">
              {labelOf(d)}
            </li>
          ))}
        </ul>
      )}
      {mode === "edit" ? (
        <AnnotateForm
          quote={view.range?.text ?? a.quote}
          dimensions={dimensions}
          initial={{ stance: a.stance, dimensions: a.dimensions, body: a.body }}
          submitLabel="Save changes"
          onCancel={() => setMode("view")}
          onSubmit={(input) => {
            const edited = editAnnotation(a, input, dimensions.map((d) => d.id));
            if (!edited.ok) return edited.message;
            write(doc, edited.annotation);
            setMode("view");
            return null;
          }}
        />
      ) : (
        a.body && <p className="anno-card__body">{a.body}</p>
      )}
      {view.replies.length > 0 && (
        <ol className="anno-card__replies" aria-label="Replies">
          {view.replies.map((r) => {
            const rOrg = orgOf(r.orgId);
            return (
              <li key={r.id}>
                {rOrg && <OrgBadge color={rOrg.color} badge={badges.get(rOrg.id)} name={rOrg.name} />}
                <span>
                  <strong>{rOrg?.name ?? "Unknown organization"}</strong> · {r.author}: {r.body}
                </span>
                {canEditOrDelete(actor, r) && (
                  <button type="button" className="link-button" onClick={() => annotationsOf(doc).delete(r.id)}>
                    Delete <span className="visually-hidden">reply</span>
                  </button>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {mode === "reply" && me && (
        <form
          className="anno-card__reply"
          onSubmit={(e) => {
            e.preventDefault();
            const drafted = draftReply(a, reply, me);
            if (!drafted.ok) return setReplyError(drafted.message);
            write(doc, drafted.annotation);
            setReply("");
            setReplyError(null);
            setMode("view");
          }}
        >
          <label htmlFor={`reply-${a.id}`}>Reply as {orgOf(me.orgId)?.name ?? "your organization"}</label>
          <textarea id={`reply-${a.id}`} value={reply} rows={2} onChange={(e) => setReply(e.target.value)} autoFocus />
          {replyError && (
            <p className="field-error" role="alert">
              {replyError}
            </p>
          )}
          <div className="annotate-form__actions">
            <button type="submit">Send reply</button>
            <button type="button" onClick={() => setMode("view")}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {mode === "view" && (
        <div className="anno-card__actions">
          {canAnnotate(actor) && (
            <button type="button" onClick={() => setMode("reply")}>
              Reply
            </button>
          )}
          {canResolve(actor, a) && (
            <button type="button" onClick={() => write(doc, { ...a, resolved: !a.resolved })}>
              {a.resolved ? "Reopen" : "Resolve"}
            </button>
          )}
          {canEditOrDelete(actor, a) && (
            <>
              <button type="button" onClick={() => setMode("edit")}>
                Edit
              </button>
              <button
                type="button"
                onClick={() => {
                  if (window.confirm("Delete this annotation and its replies?")) {
                    doc.transact(() => {
                      annotationsOf(doc).delete(a.id);
                      for (const r of view.replies) if (r.orgId === actor.orgId) annotationsOf(doc).delete(r.id);
                    });
                  }
                }}
              >
                Delete
              </button>
            </>
          )}
        </div>
      )}
    </article>
  );
}
