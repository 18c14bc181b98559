import {
  organizationBadges,
  readRichText,
  sectionAnnotations,
  sectionFragment,
  type Actor,
  type AnnotationView,
  type Dimension,
  type Organization,
  type Section,
} from "@crosswalk/shared";
import { useMemo } from "react";
import type * as Y from "yjs";
import { useDocValue } from "../collab/hooks.js";
import { OrgBadge } from "../components/OrgBadge.js";
import { AnnotationCard } from "./AnnotationCard.js";
import type { AnnotationStore } from "./AnnotationStore.js";
import { useAnnotationSnapshot } from "./hooks.js";
import { RichTextView, type Highlight } from "./RichTextView.js";

interface Props {
  doc: Y.Doc;
  sections: readonly Section[];
  organizations: readonly Organization[];
  store: AnnotationStore;
  actor: Actor;
  dimensions: readonly Dimension[];
  /** Opens a section (and shows an annotation's passage in it). */
  onOpen(sectionId: string, view?: AnnotationView): void;
}

/** Every organization's current definition in columns, each with its annotations. */
export function DefinitionsSideBySide({ doc, sections, organizations, store, actor, dimensions, onOpen }: Props) {
  const snapshot = useAnnotationSnapshot(store);
  const own = sections.filter((s) => s.kind === "org-definition");
  const badges = useMemo(() => organizationBadges(organizations), [organizations]);
  const columns = useDocValue(doc, (d) =>
    own.map((section) => {
      const grouped = sectionAnnotations(d, section.id, snapshot.records);
      const highlights: Highlight[] = [];
      for (const p of grouped.passages) {
        const orgOrder = [...new Set(p.items.map((v) => v.annotation.orgId))];
        for (const v of p.items) {
          if (v.annotation.resolved) continue;
          const style = snapshot.orgs.get(v.annotation.orgId);
          highlights.push({ from: v.range!.from, to: v.range!.to, color: style?.color ?? "#555555", pattern: style?.pattern ?? "solid", level: orgOrder.indexOf(v.annotation.orgId), id: v.annotation.id });
        }
      }
      return { section, blocks: readRichText(sectionFragment(d, section.id)), grouped, highlights };
    }),
  );
  if (own.length === 0) return <p>This workshop has no organizations' definitions.</p>;
  return (
    <div className="side-by-side" data-testid="side-by-side">
      {columns.map(({ section, blocks, grouped, highlights }) => {
        const org = organizations.find((o) => o.id === section.orgId);
        return (
          <section key={section.id} className="side-by-side__column" aria-labelledby={`col-${section.id}`}>
            <h3 id={`col-${section.id}`} className="side-by-side__title">
              {org && <OrgBadge color={org.color} badge={badges.get(org.id)} name={org.name} />}
              <span>{org?.name ?? section.title}</span>
            </h3>
            <RichTextView blocks={blocks} highlights={highlights} />
            <button type="button" className="link-button" onClick={() => onOpen(section.id)}>
              Open to edit or annotate
            </button>
            {[...grouped.passages.flatMap((p) => p.items), ...grouped.detached].map((view) => (
              <AnnotationCard
                key={view.annotation.id}
                view={view}
                doc={doc}
                actor={actor}
                organizations={organizations}
                dimensions={dimensions}
                active={snapshot.activeId === view.annotation.id}
                onShow={(v) => onOpen(section.id, v)}
              />
            ))}
          </section>
        );
      })}
    </div>
  );
}
