// The DOM lib, for web/src/editor/annotationDecorations.ts measured here: it types its gutter
// markers with HTMLElement and builds them with `document` (only when a view draws them, never
// in Node). A reference here rather than "DOM" in bench/tsconfig.json's lib, because
// tsconfig.check.json (npm run typecheck) compiles bench/ too and needs it as much.
/// <reference lib="dom" />

// Annotations at scale: a section of about 20 pages with 1,000 annotations from 6 organizations.
// Measures, in Node with the web app's own modules, what the editor recomputes once a frame
// after another participant's edit (annotationDecorations) and what the sidebar computes
// (sectionAnnotations, filterAnnotations); then, when the web app is built, the same edits
// from a y-websocket client to a real Chromium page, until its highlights show the new state.
import {
  annotationSchema,
  annotationsOf,
  buildTextMap,
  colorForIndex,
  DEFAULT_DIMENSIONS,
  DEFINITION_SECTION_ID,
  filterAnnotations,
  initializeWorkshop,
  NO_FILTER,
  readRecords,
  sectionAnnotations,
  sectionFragment,
  type AnnotationFilter,
  type Organization,
  type OrganizationKind,
} from "@crosswalk/shared";
import { getSchema } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { DecorationSet } from "@tiptap/pm/view";
import { initProseMirrorDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { AnnotationStore } from "../web/src/annotations/AnnotationStore.js";
import { annotationDecorations } from "../web/src/editor/annotationDecorations.js";
import { buildPmTextMap } from "../web/src/editor/pmTextMap.js";
import type { BenchContext, Benchmark, Json, Outcome, Row } from "./lib/Benchmark.js";
import { writeAnnotatedSection, type AnnotatedSection, type SectionShape } from "./lib/annotatedSection.js";
import { measureBrowserDecorations, type BrowserFigures } from "./lib/browserDecorations.js";
import { sampleCpu } from "./lib/cpuSample.js";
import { percentiles, round, type Percentiles } from "./lib/percentiles.js";
import { percentilesJson } from "./lib/report.js";
import { nthRemoteEdit } from "./lib/remoteEdits.js";
import { seededRandom } from "./lib/seededRandom.js";

const SEED = 20_250_612;
/** About 20 pages (500 words a page); 1,000 annotations, a third of them started inside another. */
const SHAPE: SectionShape = { words: 10_000, annotations: 1_000, overlapShare: 0.35, resolvedShare: 0.15 };
/** Remote edits measured, alternating "insert a few words" and "delete an annotated sentence"; the first WARMUP are not counted. */
const EDITS = 50;
const WARMUP = 6;
const SIDEBAR_RUNS = 30;
const FILTER_ONLY_RUNS = 200;

/** The six partners of the scenario, as POST /api/workshops would name and colour them. */
const BENCH_ORGANIZATIONS: ReadonlyArray<{ name: string; kind: OrganizationKind }> = [
  { name: "Eastside Unified School District", kind: "district" },
  { name: "Northgate University", kind: "university" },
  { name: "State Department of Education", kind: "state" },
  { name: "Riverside Community Alliance", kind: "community" },
  { name: "Harbor Foundation", kind: "funder" },
  { name: "Teachers Association", kind: "other" },
];

/** Milliseconds with enough digits for sub-millisecond figures. */
function msFine(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "n/a";
  return `${value < 1 ? value.toFixed(3) : value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}
const p50p95 = (p: Percentiles | null): string => `${msFine(p?.p50)} / ${msFine(p?.p95)}`;
const p50p95max = (p: Percentiles | null): string => `${msFine(p?.p50)} / ${msFine(p?.p95)} / ${msFine(p?.max)}`;

/** Runs `fn` and returns how long it took, in ms. */
function timed<T>(fn: () => T): [T, number] {
  const started = performance.now();
  const value = fn();
  return [value, performance.now() - started];
}

/** The figures of the Node part. */
interface NodeFigures {
  section: AnnotatedSection;
  open: number;
  edits: { inserts: number; deletes: number; detached: number };
  decorations: Percentiles | null;
  decorationCount: number;
  passages: number;
  pmTextMap: Percentiles | null;
  yTextMap: Percentiles | null;
  resolve: Percentiles | null;
  setCreate: Percentiles | null;
  pmDocBuild: Percentiles | null;
  regroup: Percentiles | null;
  filters: Array<{ label: string; shown: number; passages: number; regroupAndFilter: Percentiles | null; filterOnly: Percentiles | null }>;
  storeReread: Percentiles | null;
  /** User CPU of other processes during the Node part, in % of one core (null off Linux). */
  othersCpu: number | null;
}

function measureInNode(ctx: BenchContext): NodeFigures {
  const started = performance.now();
  const cpuBefore = sampleCpu(process.pid);
  const random = seededRandom(SEED);
  const organizations: Organization[] = BENCH_ORGANIZATIONS.map((o, i) => ({ id: `org-${i + 1}`, ...o, color: colorForIndex(i) }));
  const local = new Y.Doc();
  initializeWorkshop(local, { title: "Annotations benchmark", template: "equity-definition", createdAt: 0, organizations });
  const [section, writeMs] = timed(() => writeAnnotatedSection(local, DEFINITION_SECTION_ID, organizations, random, SHAPE));
  ctx.log(`node: ${section.words} words, ${section.textblocks} textblocks, ${section.annotations.length} annotations drafted in ${(writeMs / 1000).toFixed(1)} s`);

  // The editor's page: the store the web app keeps (validated records, organization styles).
  const store = new AnnotationStore(local);
  store.setOrganizations(organizations);
  const { records, orgs } = store.getSnapshot();
  const open = records.filter((a) => !a.resolved);
  const fragment = sectionFragment(local, DEFINITION_SECTION_ID);
  const schema = getSchema([StarterKit]);

  // The other participant: their own replica, edits sent as Yjs updates.
  const remote = new Y.Doc();
  Y.applyUpdate(remote, Y.encodeStateAsUpdate(local));
  let pending: Uint8Array[] = [];
  remote.on("update", (update: Uint8Array) => pending.push(update));

  const samples = { decorations: [] as number[], pmTextMap: [] as number[], yTextMap: [] as number[], resolve: [] as number[], setCreate: [] as number[], pmDocBuild: [] as number[] };
  const edits = { inserts: 0, deletes: 0, detached: 0 };
  let decorationCount = 0;
  let passages = 0;
  for (let i = 0; i < WARMUP + EDITS; i++) {
    const edit = nthRemoteEdit(remote, DEFINITION_SECTION_ID, records, random, i);
    for (const update of pending) Y.applyUpdate(local, update, "remote");
    pending = [];
    // The editor holds this document already (y-prosemirror applies remote changes to it);
    // rebuilding it here is the bench's cost, reported apart.
    const [pm, pmMs] = timed(() => initProseMirrorDoc(fragment, schema).doc);
    const [set, decorationsMs] = timed(() => annotationDecorations({ pmDoc: pm, ydoc: local, sectionId: DEFINITION_SECTION_ID, annotations: records, orgs, activeId: null }));
    if (set === null) throw new Error("annotationDecorations found the editor and Yjs texts different");
    // The pieces, each timed on its own: the text maps and anchor resolution it starts with, the
    // DecorationSet it ends with.
    const [, pmMapMs] = timed(() => buildPmTextMap(pm));
    const [yMap, yMapMs] = timed(() => buildTextMap(fragment));
    const [grouped, resolveMs] = timed(() => sectionAnnotations(local, DEFINITION_SECTION_ID, open, yMap));
    const made = set.find();
    const [, createMs] = timed(() => DecorationSet.create(pm, made));
    if (i < WARMUP) continue;
    samples.pmDocBuild.push(pmMs);
    samples.decorations.push(decorationsMs);
    samples.pmTextMap.push(pmMapMs);
    samples.yTextMap.push(yMapMs);
    samples.resolve.push(resolveMs);
    samples.setCreate.push(createMs);
    if (edit.kind === "insert") edits.inserts++;
    else edits.deletes++;
    edits.detached += edit.detached;
    decorationCount = made.length;
    passages = grouped.passages.length;
  }
  ctx.log(`node: ${EDITS} remote edits measured`);

  // The sidebar: grouping after a text change, then each filter.
  const regroup: number[] = [];
  for (let i = 0; i < SIDEBAR_RUNS; i++) regroup.push(timed(() => sectionAnnotations(local, DEFINITION_SECTION_ID, records))[1]);
  const dimension = DEFAULT_DIMENSIONS[0]!.id;
  const filters: Array<{ label: string; filter: AnnotationFilter }> = [
    { label: "one organization", filter: { ...NO_FILTER, orgIds: new Set([organizations[0]!.id]) } },
    { label: "one stance (concern)", filter: { ...NO_FILTER, stances: new Set(["concern"]) } },
    { label: `one dimension (${dimension})`, filter: { ...NO_FILTER, dimensions: new Set([dimension]) } },
    { label: "open only", filter: { ...NO_FILTER, status: "open" } },
    {
      label: "2 orgs + concern/question + open",
      filter: { orgIds: new Set([organizations[1]!.id, organizations[3]!.id]), stances: new Set(["concern", "question"]), dimensions: new Set(), status: "open" },
    },
  ];
  const filterFigures = filters.map(({ label, filter }) => {
    const both: number[] = [];
    for (let i = 0; i < SIDEBAR_RUNS; i++) both.push(timed(() => filterAnnotations(sectionAnnotations(local, DEFINITION_SECTION_ID, records), filter))[1]);
    const all = sectionAnnotations(local, DEFINITION_SECTION_ID, records);
    const only: number[] = [];
    let shown = all;
    for (let i = 0; i < FILTER_ONLY_RUNS; i++) {
      const [result, t] = timed(() => filterAnnotations(all, filter));
      only.push(t);
      shown = result;
    }
    const count = shown.passages.reduce((n, p) => n + p.items.length, 0) + shown.detached.length;
    return { label, shown: count, passages: shown.passages.length, regroupAndFilter: percentiles(both), filterOnly: percentiles(only) };
  });

  // Any annotation added, edited or resolved makes the page's store re-validate every record.
  const storeReread: number[] = [];
  for (let i = 0; i < SIDEBAR_RUNS; i++) {
    const a = records[i]!;
    storeReread.push(timed(() => annotationsOf(local).set(a.id, { ...a, body: `${a.body} (edited)` }))[1]);
  }
  if (readRecords(annotationsOf(local), annotationSchema).invalid.length > 0) throw new Error("the bench wrote invalid annotation records");
  store.destroy();

  const cpuAfter = sampleCpu(process.pid);
  const seconds = (performance.now() - started) / 1000;
  const othersUser = cpuBefore.machineUser === null || cpuAfter.machineUser === null ? null : cpuAfter.machineUser - cpuBefore.machineUser - (cpuAfter.selfUser - cpuBefore.selfUser);
  return {
    section,
    open: open.length,
    edits,
    decorations: percentiles(samples.decorations),
    decorationCount,
    passages,
    pmTextMap: percentiles(samples.pmTextMap),
    yTextMap: percentiles(samples.yTextMap),
    resolve: percentiles(samples.resolve),
    setCreate: percentiles(samples.setCreate),
    pmDocBuild: percentiles(samples.pmDocBuild),
    regroup: percentiles(regroup),
    filters: filterFigures,
    storeReread: percentiles(storeReread),
    othersCpu: othersUser === null ? null : Math.max(0, (othersUser / seconds) * 100),
  };
}

export const annotations: Benchmark = {
  name: "annotations",
  description: "a ~20-page section with 1,000 annotations from 6 organizations: decorations after a remote edit, sidebar filtering (Node), and edit-to-highlight in Chromium",
  async run(ctx): Promise<Outcome> {
    const node = measureInNode(ctx);
    let browser: BrowserFigures | null = null;
    let browserSkipped: string | null = null;
    try {
      browser = await measureBrowserDecorations(ctx, { seed: SEED, shape: SHAPE, organizations: BENCH_ORGANIZATIONS });
    } catch (error) {
      browserSkipped = error instanceof Error ? error.message : String(error);
    }
    return report(node, browser, browserSkipped);
  },
};

function report(node: NodeFigures, browser: BrowserFigures | null, browserSkipped: string | null): Outcome {
  const s = node.section;
  const rows: Row[] = [
    ["section", "text", `${s.words} words, ${s.textblocks} textblocks, ${s.characters} characters`],
    ["section", "annotations (open) / orgs", `${s.annotations.length} (${node.open}) / ${BENCH_ORGANIZATIONS.length}`],
    ["section", "passages / decorations after the edits", `${node.passages} / ${node.decorationCount}`],
    ["node: remote edit", "edits: inserts / sentence deletes (annotations detached)", `${node.edits.inserts} / ${node.edits.deletes} (${node.edits.detached})`],
    ["node: remote edit", "annotationDecorations p50 / p95 / max", p50p95max(node.decorations)],
    ["node: remote edit", "  part: ProseMirror text map p50 / p95", p50p95(node.pmTextMap)],
    ["node: remote edit", "  part: Yjs text map p50 / p95", p50p95(node.yTextMap)],
    ["node: remote edit", "  part: sectionAnnotations (resolve open anchors) p50 / p95", p50p95(node.resolve)],
    ["node: remote edit", "  part: DecorationSet.create of the result p50 / p95", p50p95(node.setCreate)],
    ["node: remote edit", "(bench only) ProseMirror doc from Yjs p50 / p95", p50p95(node.pmDocBuild)],
    ["node: sidebar", "regroup: sectionAnnotations (all 1,000) p50 / p95", p50p95(node.regroup)],
    ...node.filters.flatMap((f): Row[] => [
      [`node: sidebar filter: ${f.label}`, "sectionAnnotations + filterAnnotations p50 / p95", p50p95(f.regroupAndFilter)],
      [`node: sidebar filter: ${f.label}`, "filterAnnotations alone p50 / p95 (filter change)", p50p95(f.filterOnly)],
      [`node: sidebar filter: ${f.label}`, "shown annotations / passages", `${f.shown} / ${f.passages}`],
    ]),
    ["node: annotation store", "re-read of all records after one changes p50 / p95", p50p95(node.storeReread)],
    ["node", "other processes' CPU meanwhile (user, % of one core)", node.othersCpu === null ? "n/a" : `${node.othersCpu.toFixed(0)}%`],
  ];
  const notes: string[] = [];
  if (node.othersCpu !== null && node.othersCpu > 20) notes.push(`OTHER processes used ${node.othersCpu.toFixed(0)}% of a core (user time) during the Node measurements; figures are disturbed, rerun on a quiet machine.`);
  const summary: { [key: string]: Json } = {
    othersCpuPercentDuringNode: node.othersCpu === null ? null : round(node.othersCpu, 1),
    section: { words: s.words, textblocks: s.textblocks, characters: s.characters, annotations: s.annotations.length, open: node.open, organizations: BENCH_ORGANIZATIONS.length },
    node: {
      edits: { ...node.edits },
      passages: node.passages,
      decorations: node.decorationCount,
      annotationDecorationsMs: percentilesJson(node.decorations),
      pmTextMapMs: percentilesJson(node.pmTextMap),
      yTextMapMs: percentilesJson(node.yTextMap),
      sectionAnnotationsOpenMs: percentilesJson(node.resolve),
      decorationSetCreateMs: percentilesJson(node.setCreate),
      pmDocFromYjsMs: percentilesJson(node.pmDocBuild),
      sidebarRegroupMs: percentilesJson(node.regroup),
      sidebarFilters: node.filters.map((f) => ({ filter: f.label, shown: f.shown, passages: f.passages, regroupAndFilterMs: percentilesJson(f.regroupAndFilter), filterOnlyMs: percentilesJson(f.filterOnly) })),
      storeRereadMs: percentilesJson(node.storeReread),
    },
    browser: null,
  };
  if (browser) {
    rows.push(...browser.rows);
    notes.push(...browser.notes);
    summary.browser = browser.summary;
  } else {
    rows.push(["browser", "edit-to-highlight in Chromium", "SKIPPED"]);
    notes.push(`browser part skipped: ${browserSkipped}`);
    summary.browser = { skipped: browserSkipped };
  }
  return { rows, notes, summary };
}
