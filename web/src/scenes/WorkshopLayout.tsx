import {
  anchorForQuote,
  anchorForRange,
  consentSummary,
  draftAnnotation,
  draftFlagAt,
  flagsOf,
  metaOf,
  orgDefinitionSectionId,
  readRound,
  timeLeft,
  readMeta,
  readOrganizations,
  readSections,
  resolveAnchor,
  annotationsOf,
  Unauthorized,
  UnknownWorkshop,
  workshopDimensions,
  type Actor,
  type Anchor,
  type AnnotationView,
  type Dimension,
  type Flag,
  type Hotspot,
  type WorkshopInfo,
} from "@crosswalk/shared";
import type { Editor } from "@tiptap/core";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { TokenInfo } from "../api/token.js";
import { AnnotateForm } from "../annotations/AnnotateForm.js";
import { AnnotationsPanel } from "../annotations/AnnotationsPanel.js";
import { AnnotationStore } from "../annotations/AnnotationStore.js";
import { DefinitionsSideBySide } from "../annotations/DefinitionsSideBySide.js";
import { useDocValue, useSessionStatus } from "../collab/hooks.js";
import type { LocalUser, WorkshopSession } from "../collab/WorkshopSession.js";
import { ConnectionStatus } from "../components/ConnectionStatus.js";
import { AuthorshipBar } from "../divergence/AuthorshipBar.js";
import { ConsentPanel } from "../divergence/ConsentPanel.js";
import { CrosswalkView } from "../divergence/CrosswalkView.js";
import { FlagsBoard } from "../divergence/FlagsBoard.js";
import { formatClock, useNow } from "../divergence/FlagRound.js";
import { HotspotList } from "../divergence/HotspotList.js";
import { useAnalysis } from "../divergence/useAnalysis.js";
import { ExportView } from "../versions/ExportView.js";
import { VersionsView } from "../versions/VersionsView.js";
import { ApiError, importFile } from "../api/api.js";
import { PresenceList } from "../components/PresenceList.js";
import { SectionEditor } from "../editor/SectionEditor.js";
import { showRange } from "../editor/selection.js";
import { rememberName } from "./identity.js";
import { InvitePanel } from "./InvitePanel.js";
import { InvalidLink, Notice } from "./Notice.js";
import { SectionNav, type View } from "./SectionNav.js";

interface WorkshopLayoutProps {
  session: WorkshopSession;
  token: TokenInfo;
  info: WorkshopInfo;
  user: LocalUser;
  onRename(name: string): void;
}

function viewFromUrl(): View {
  const params = new URLSearchParams(window.location.search);
  const view = params.get("view");
  if (view === "side-by-side" || view === "divergence" || view === "crosswalk" || view === "versions" || view === "export") return { kind: view };
  if (view === "flags") return { kind: "flags", flagId: params.get("flag") };
  return { kind: "section", id: params.get("s") };
}

function viewToUrl(view: View): void {
  const url = new URL(window.location.href);
  for (const k of ["s", "view", "flag"]) url.searchParams.delete(k);
  if (view.kind === "section") {
    if (view.id) url.searchParams.set("s", view.id);
  } else {
    url.searchParams.set("view", view.kind);
    if (view.kind === "flags" && view.flagId) url.searchParams.set("flag", view.flagId);
  }
  window.history.replaceState(null, "", url);
}

/** A range to show once the section's editor is open. */
interface PendingShow {
  from: number;
  to: number;
  annotationId?: string;
}

/** The open workshop: sections and presence, the editor (or definitions side by side), annotations. */
export function WorkshopLayout({ session, token, info, user, onRename }: WorkshopLayoutProps) {
  const status = useSessionStatus(session);
  const docSections = useDocValue(session.doc, readSections);
  const docOrgs = useDocValue(session.doc, readOrganizations);
  const meta = useDocValue(session.doc, readMeta);
  const dimensions = useDocValue(session.doc, workshopDimensions);
  const sections = docSections.length > 0 ? docSections : info.sections;
  const organizations = docOrgs.length > 0 ? docOrgs : info.organizations;
  const title = meta.title || info.title;
  const [view, setView] = useState<View>(viewFromUrl);
  const current = view.kind === "section" ? (sections.find((s) => s.id === view.id) ?? sections.find((s) => s.kind === "definition") ?? sections[0]) : undefined;
  const [renaming, setRenaming] = useState(false);
  const [tab, setTab] = useState<"annotations" | "consent" | "invite">("annotations");
  const analysis = useAnalysis(session.doc);
  const round = useDocValue(session.doc, readRound);
  const [returnTo, setReturnTo] = useState<View | null>(null);
  const [editor, setEditor] = useState<Editor | null>(null);
  const [draft, setDraft] = useState<{ sectionId: string; anchor: Anchor; quote: string } | null>(null);
  const [notice, setNotice] = useState("");
  const [store] = useState(() => new AnnotationStore(session.doc));
  useEffect(() => () => store.destroy(), [store]);
  useEffect(() => store.setOrganizations(organizations), [store, organizations]);
  const actor: Actor = useMemo(() => ({ role: token.role, orgId: token.orgId, name: user.name }), [token.role, token.orgId, user.name]);

  useEffect(() => {
    if (current) session.setSection(current.id);
  }, [session, current]);
  useEffect(() => {
    document.title = `${title} · Crosswalk`;
  }, [title]);

  const choose = (next: View) => {
    setView(next);
    setDraft(null);
    setNotice("");
    viewToUrl(next);
  };
  const show = useCallback(
    (v: AnnotationView) => {
      store.setActive(v.annotation.id);
      if (editor && v.range) showRange(editor, v.range.from, v.range.to);
    },
    [editor, store],
  );
  // A passage chosen elsewhere (side by side, divergence map, a flag) is shown once its section's editor exists.
  const pendingShow = useRef<PendingShow | null>(null);
  useEffect(() => {
    const pending = pendingShow.current;
    if (pending && editor) {
      pendingShow.current = null;
      if (pending.annotationId) store.setActive(pending.annotationId);
      showRange(editor, pending.from, pending.to);
    }
  }, [editor, store]);
  const openAt = (sectionId: string, range: { from: number; to: number } | null, annotationId?: string) => {
    if (range) pendingShow.current = { ...range, ...(annotationId ? { annotationId } : {}) };
    if (view.kind === "section" && current?.id === sectionId && editor && range) {
      pendingShow.current = null;
      if (annotationId) store.setActive(annotationId);
      showRange(editor, range.from, range.to);
    } else choose({ kind: "section", id: sectionId });
  };
  const flagRange = (flag: Flag) => resolveAnchor(session.doc, flag.sectionId, flag.anchor);
  const showFlag = (flag: Flag) => {
    const range = flagRange(flag);
    if (!range) setNotice("The flagged passage was deleted from the text.");
    openAt(flag.sectionId, range);
  };
  const raiseFlag = (sectionId: string, anchor: Anchor | null, title: string): string | null => {
    const drafted = draftFlagAt(session.doc, sectionId, anchor, title, user.name);
    if (!drafted.ok) return drafted.message;
    flagsOf(session.doc).set(drafted.value.id, drafted.value);
    choose({ kind: "flags", flagId: drafted.value.id });
    return null;
  };
  const flagHotspot = (h: Hotspot) => setNotice(raiseFlag(h.sectionId, anchorForRange(session.doc, h.sectionId, h.from, h.to), h.quote.slice(0, 80)) ?? "");
  const flagColumn = (d: Dimension): string | null => {
    const byOrg = analysis?.dimensions.byOrg ?? {};
    const namer = organizations.find((o) => byOrg[o.id]?.[d.id]?.named);
    const evidence = namer ? byOrg[namer.id]?.[d.id]?.evidence[0] : undefined;
    if (!namer || !evidence) return "No organization's definition names this dimension.";
    const sectionId = orgDefinitionSectionId(namer.id);
    return raiseFlag(sectionId, anchorForQuote(session.doc, sectionId, evidence), `${d.label}: named by ${namer.name}, not by the shared draft`);
  };

  // "Bring everyone here": a new summons moves every participant to the flagged passage, with a way back.
  const latest = useRef({ view, showFlag });
  useEffect(() => {
    latest.current = { view, showFlag };
  });
  useEffect(() => {
    if (token.role === "facilitator") return;
    let seen = readRound(session.doc)?.summonedAt ?? null;
    const meta = metaOf(session.doc);
    const onMeta = (): void => {
      const r = readRound(session.doc);
      const at = r?.summonedAt ?? null;
      if (at === null || at === seen) return;
      seen = at;
      const flag = flagsOf(session.doc).get(r!.flagId) as Flag | undefined;
      if (!flag) return;
      setReturnTo(latest.current.view);
      latest.current.showFlag(flag);
    };
    meta.observe(onMeta);
    return () => meta.unobserve(onMeta);
  }, [session.doc, token.role]);
  const roundFlag = round ? (flagsOf(session.doc).get(round.flagId) as Flag | undefined) : undefined;
  const now = useNow(round !== null && round.timer.endsAt !== null);

  if (status.refusal?.code === Unauthorized.code) return <InvalidLink />;
  if (status.refusal?.code === UnknownWorkshop.code)
    return (
      <Notice title="There is no such workshop">
        <p>Check that the link was copied whole.</p>
      </Notice>
    );

  const org = organizations.find((o) => o.id === token.orgId);
  const readOnly = token.role === "observer" || status.connection === "refused";
  const canAnnotate = !readOnly && token.orgId !== null;

  return (
    <div className="workshop">
      <a className="skip-link" href="#editor-main">
        Skip to the editor
      </a>
      <header className="workshop__header">
        <div className="workshop__title">
          <a href="/" className="brand" aria-label="Crosswalk start page">
            Crosswalk
          </a>
          <h1>{title}</h1>
        </div>
        <ConnectionStatus status={status} />
        <div className="workshop__me">
          {renaming ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                const value = new FormData(e.currentTarget).get("name");
                if (typeof value === "string" && value.trim()) {
                  rememberName(localStorage, value);
                  onRename(value.trim());
                }
                setRenaming(false);
              }}
            >
              <label htmlFor="rename">Your name</label>
              <input id="rename" name="name" defaultValue={user.name} maxLength={80} autoFocus />
              <button type="submit">Save</button>
            </form>
          ) : (
            <button type="button" className="link-button" onClick={() => setRenaming(true)}>
              {user.name}
              {org ? ` · ${org.name}` : ` · ${token.role}`} <span className="visually-hidden">(change your name)</span>
            </button>
          )}
        </div>
      </header>
      <div className={`workshop__body${view.kind !== "section" ? " workshop__body--wide" : ""}`}>
        <div className="workshop__left">
          <SectionNav
            consent={Object.fromEntries(Object.entries(analysis?.consent ?? {}).map(([id, c]) => [id, consentSummary(c)]))}
            sections={sections} organizations={organizations} view={view.kind === "section" ? { kind: "section", id: current?.id ?? null } : view} onChoose={choose} awareness={session.provider.awareness} />
          <PresenceList awareness={session.provider.awareness} organizations={organizations} sections={sections} />
        </div>
        <main className="workshop__main" id="editor-main">
          {status.connection === "refused" && status.refusal && (
            <p className="banner banner--error" role="alert">
              {status.refusal.message}
            </p>
          )}
          {round && roundFlag && (
            <div className="banner round-banner" role="status">
              Reflection round on “{roundFlag.title}” · <strong>{formatClock(timeLeft(round, now))}</strong> left
              {round.timer.endsAt === null ? " (paused)" : ""} ·{" "}
              <button type="button" className="link-button" onClick={() => choose({ kind: "flags", flagId: round.flagId })}>
                Open the round
              </button>
              {returnTo && (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    choose(returnTo);
                    setReturnTo(null);
                  }}
                >
                  Back to where you were
                </button>
              )}
            </div>
          )}
          {view.kind === "divergence" ? (
            <>
              <h2 className="section-title">Divergence map</h2>
              <p className="hint">Passages where organizations' open annotations overlap and their stances disagree, most organizations first.</p>
              <HotspotList
                analysis={analysis}
                sections={sections}
                organizations={organizations}
                onShow={(h) => openAt(h.sectionId, { from: h.from, to: h.to })}
                onFlag={token.role === "facilitator" && !readOnly ? flagHotspot : null}
              />
            </>
          ) : view.kind === "crosswalk" ? (
            <>
              <h2 className="section-title">Dimension crosswalk</h2>
              <CrosswalkView
                doc={session.doc}
                analysis={analysis}
                dimensions={dimensions}
                organizations={organizations}
                facilitator={token.role === "facilitator" && !readOnly}
                onFlagColumn={token.role === "facilitator" && !readOnly ? flagColumn : null}
              />
            </>
          ) : view.kind === "flags" ? (
            <>
              <h2 className="section-title">Flags and reflection</h2>
              <FlagsBoard
                doc={session.doc}
                sections={sections}
                organizations={organizations}
                actor={actor}
                workshopId={info.id}
                token={token.token}
                readOnly={readOnly}
                selected={view.flagId}
                onSelect={(flagId) => choose({ kind: "flags", flagId })}
                onShow={showFlag}
              />
            </>
          ) : view.kind === "versions" ? (
            <>
              <h2 className="section-title">Versions</h2>
              <VersionsView doc={session.doc} workshopId={info.id} token={token.token} facilitator={token.role === "facilitator" && !readOnly} author={user.name} organizations={organizations} />
            </>
          ) : view.kind === "export" ? (
            <>
              <h2 className="section-title">Export</h2>
              <ExportView workshopId={info.id} token={token.token} sections={sections} analysis={analysis} />
            </>
          ) : view.kind === "side-by-side" ? (
            <>
              <h2 className="section-title">Definitions side by side</h2>
              <DefinitionsSideBySide
                doc={session.doc}
                sections={sections}
                organizations={organizations}
                store={store}
                actor={actor}
                dimensions={dimensions}
                onOpen={(sectionId, v) => openAt(sectionId, v?.range ?? null, v?.annotation.id)}
              />
            </>
          ) : current ? (
            <>
              <h2 className="section-title">{current.title}</h2>
              <AuthorshipBar doc={session.doc} sectionId={current.id} organizations={organizations} facilitator={token.role === "facilitator"} />
              <SectionEditor
                key={current.id}
                session={session}
                section={current}
                user={user}
                readOnly={readOnly}
                annotations={store}
                onEditor={setEditor}
                onImport={
                  readOnly
                    ? null
                    : async (file) => {
                        const format = /\.docx$/i.test(file.name) ? "docx" : /\.(md|markdown|txt)$/i.test(file.name) ? "md" : null;
                        if (!format) return setNotice("Import a Word document (.docx) or a Markdown file (.md).");
                        if (file.size > 10 * 1024 * 1024) return setNotice("The file is larger than 10 MB.");
                        try {
                          const html = await importFile(info.id, token.token, file, format);
                          // One editor transaction: one undoable change, written by this person's organization.
                          editor?.chain().focus().insertContent(html).run();
                          setNotice(`Imported ${file.name}.`);
                        } catch (error) {
                          setNotice(error instanceof ApiError ? error.message : String(error));
                        }
                      }
                }
                onFlag={token.role === "facilitator" && !readOnly ? (passage) => setNotice(passage.ok ? (raiseFlag(current.id, passage.anchor, passage.quote.slice(0, 80)) ?? "") : passage.message) : null}
                onAnnotate={
                  canAnnotate
                    ? (passage) => {
                        setTab("annotations");
                        if (passage.ok) {
                          setDraft({ sectionId: current.id, anchor: passage.anchor, quote: passage.quote });
                          setNotice("");
                        } else {
                          setDraft(null);
                          setNotice(passage.message);
                        }
                      }
                    : null
                }
              />
            </>
          ) : (
            <p>{status.ready ? "This workshop has no sections." : "Loading the workshop…"}</p>
          )}
        </main>
        {view.kind === "section" && current && (
          <aside className="workshop__aside" aria-label="Annotations and links">
            <div className="tabs" role="tablist" aria-label="Side panel">
              <button type="button" role="tab" aria-selected={tab === "annotations"} onClick={() => setTab("annotations")}>
                Annotations
              </button>
              <button type="button" role="tab" aria-selected={tab === "consent"} onClick={() => setTab("consent")}>
                Consent
              </button>
              {token.role === "facilitator" && (
                <button type="button" role="tab" aria-selected={tab === "invite"} onClick={() => setTab("invite")}>
                  Invite links
                </button>
              )}
            </div>
            {tab === "invite" && token.role === "facilitator" ? (
              <InvitePanel workshopId={info.id} token={token.token} organizations={organizations} />
            ) : tab === "consent" ? (
              <ConsentPanel doc={session.doc} section={current} state={analysis?.consent[current.id] ?? null} organizations={organizations} actor={actor} readOnly={readOnly} />
            ) : (
              <AnnotationsPanel doc={session.doc} sectionId={current.id} store={store} actor={actor} organizations={organizations} dimensions={dimensions} onShow={show}>
                <p role="status" className="annotations__notice">
                  {notice}
                </p>
                {draft && draft.sectionId === current.id && token.orgId && (
                  <AnnotateForm
                    quote={draft.quote}
                    dimensions={dimensions}
                    submitLabel={`Annotate as ${org?.name ?? "your organization"}`}
                    onCancel={() => setDraft(null)}
                    onSubmit={(input) => {
                      const range = resolveAnchor(session.doc, draft.sectionId, draft.anchor);
                      if (!range) return "That passage was deleted meanwhile; select the text again.";
                      const drafted = draftAnnotation(
                        session.doc,
                        draft.sectionId,
                        range.from,
                        range.to,
                        input,
                        { orgId: token.orgId!, author: user.name },
                        dimensions.map((d) => d.id),
                      );
                      if (!drafted.ok) return drafted.message;
                      annotationsOf(session.doc).set(drafted.annotation.id, drafted.annotation);
                      setDraft(null);
                      setNotice("Annotation added.");
                      store.setActive(drafted.annotation.id);
                      return null;
                    }}
                  />
                )}
              </AnnotationsPanel>
            )}
          </aside>
        )}
      </div>
    </div>
  );
}
