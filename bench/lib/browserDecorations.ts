// The page side of the annotations benchmark: the built web app in Debian's Chromium, served
// by our relay, showing the annotated section. Another participant edits from a y-websocket
// client in Node; the page records when its editor first shows the new text, and when its
// highlights and gutter counts match what a full recomputation gives (for a deleted sentence
// that holds annotations, only the once-a-frame recomputation can get there).
import fs from "node:fs";
import path from "node:path";
import {
  annotationSchema,
  annotationsOf,
  buildTextMap,
  DEFINITION_SECTION_ID,
  readRecords,
  sectionAnnotations,
  sectionFragment,
  sectionText,
  type Annotation,
  type CreateWorkshopResponse,
  type OrganizationKind,
} from "@crosswalk/shared";
import { chromium, type Browser } from "playwright-core";
import * as Y from "yjs";
import type { BenchContext, Json, Row } from "./Benchmark.js";
import { writeAnnotatedSection, type SectionShape } from "./annotatedSection.js";
import { connectClient, type BenchClient } from "./client.js";
import { percentiles, type Percentiles } from "./percentiles.js";
import { percentilesJson } from "./report.js";
import {
  clockOffset,
  describeDifference,
  epochNow,
  installWatch,
  readView,
  sideEffects,
  spanCensus,
  startWatch,
  waitForCalm,
  waitForView,
  watchResult,
  type EditorView,
  type SpanCensus,
} from "./editorWatch.js";
import { nthRemoteEdit } from "./remoteEdits.js";
import { seededRandom } from "./seededRandom.js";
import { until } from "./until.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const WEB_INDEX = path.join(ROOT, "web/dist/index.html");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** As tests/e2e/playwright.config.ts: this machine's closed network refuses Chromium's background connections. */
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];
/** Edits measured in the page (alternating insert / sentence delete), after WARMUP uncounted ones. */
const EDITS = 20;
const WARMUP = 2;
const EDIT_TIMEOUT_MS = 15_000;
const OPEN_TIMEOUT_MS = 30_000;
/** Set to a file path to record a CPU profile of the page during the measured edits (it slows the page). */
const PROFILE_FILE = process.env.BENCH_ANNOTATIONS_PROFILE;

/** What the benchmark asks for. */
export interface BrowserOptions {
  seed: number;
  shape: SectionShape;
  organizations: ReadonlyArray<{ name: string; kind: OrganizationKind }>;
}

/** Rows, notes and JSON of the browser part. */
export interface BrowserFigures {
  rows: Row[];
  notes: string[];
  summary: { [key: string]: Json };
}

/** The view a full recomputation gives for `doc`: what the page must end up showing. */
function expectedView(doc: Y.Doc, records: readonly Annotation[]): EditorView {
  const map = buildTextMap(sectionFragment(doc, DEFINITION_SECTION_ID));
  const { passages } = sectionAnnotations(doc, DEFINITION_SECTION_ID, records.filter((a) => !a.resolved), map);
  return {
    // The editor's DOM has no characters between blocks.
    text: map.text.replaceAll("\n", ""),
    gutters: passages.map((p) => p.items.length).join(","),
    highlighted: passages.reduce((n, p) => n + p.items.length, 0),
  };
}

/** True when any file under `dir` changed after `time` (files vanishing meanwhile are skipped). */
function changedSince(dir: string, time: number): boolean {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).some((e) => {
    try {
      return e.isFile() && fs.statSync(path.join(e.parentPath, e.name)).mtimeMs > time;
    } catch {
      return false;
    }
  });
}

async function createWorkshop(url: string, organizations: BrowserOptions["organizations"]): Promise<CreateWorkshopResponse> {
  const res = await fetch(`${url}/api/workshops`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title: "Annotations benchmark", organizations, template: "equity-definition" }),
  });
  if (res.status !== 201) throw new Error(`creating a workshop failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreateWorkshopResponse;
}

/** Throws (and the benchmark reports the browser part as skipped) when Chromium or the built app is missing. */
export async function measureBrowserDecorations(ctx: BenchContext, options: BrowserOptions): Promise<BrowserFigures> {
  if (!fs.existsSync(WEB_INDEX)) throw new Error(`${WEB_INDEX} is missing: build the web app first (npm run build)`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
  const notes: string[] = [];
  if (changedSince(path.join(ROOT, "web/src"), fs.statSync(WEB_INDEX).mtimeMs)) notes.push("web/src changed after the last build of web/dist: the browser figures are of that build (npm run bench rebuilds first).");

  const started = performance.now();
  const log = (line: string): void => ctx.log(`browser: ${line} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const relay = await ctx.startOurs();
  const workshop = await createWorkshop(relay.url, options.organizations);
  const firstOrg = workshop.organizations[0]!;
  const clients: BenchClient[] = [];
  let browser: Browser | null = null;
  try {
    // The facilitator's token may write every organization's annotations, so one client writes all.
    const writer = await connectClient(relay.wsUrl, workshop.id, { params: { token: workshop.tokens.facilitator } });
    clients.push(writer);
    const remote = await connectClient(relay.wsUrl, workshop.id, { params: { token: workshop.tokens.participants[firstOrg.id]! } });
    clients.push(remote);
    const random = seededRandom(options.seed);
    const section = writeAnnotatedSection(writer.doc, DEFINITION_SECTION_ID, workshop.organizations, random, options.shape);
    const text = sectionText(writer.doc, DEFINITION_SECTION_ID);
    await until(() => annotationsOf(remote.doc).size >= section.annotations.length && sectionText(remote.doc, DEFINITION_SECTION_ID) === text, "the remote client to receive the section", 30_000);
    const records = [...readRecords(annotationsOf(remote.doc), annotationSchema).valid.values()];
    log(`workshop filled through the relay: ${section.words} words, ${records.length} annotations`);

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    log("Chromium started");
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    await installWatch(page);
    await page.goto(workshop.links.facilitator);
    await page.getByLabel("Your name").fill("Bench facilitator");
    const opened = expectedView(remote.doc, records);
    const joinAt = performance.now();
    await page.getByRole("button", { name: "Join" }).click();
    await waitForView(page, opened, OPEN_TIMEOUT_MS);
    const openMs = performance.now() - joinAt;
    log(`section shown ${(openMs / 1000).toFixed(1)} s after Join`);
    const shown = (await readView(page))!.highlighted;
    const census = await spanCensus(page);
    const clock = await clockOffset(page);

    const samples: Samples = { insertText: [], insertView: [], deleteText: [], deleteView: [], longTaskSum: [], longTaskMax: [], watchMs: [], passagesRemoved: [], guttersAtText: [], guttersNextFrame: [] };
    let timeouts = 0;
    const editRandom = seededRandom(options.seed + 1);
    const cdp = PROFILE_FILE ? await page.context().newCDPSession(page) : null;
    for (let i = 0; i < WARMUP + EDITS; i++) {
      if (cdp && i === WARMUP) await cdp.send("Profiler.enable").then(() => cdp.send("Profiler.start"));
      // The same edit on a scratch copy first, to know what the page must end up showing.
      const scratch = new Y.Doc();
      Y.applyUpdate(scratch, Y.encodeStateAsUpdate(remote.doc));
      nthRemoteEdit(scratch, DEFINITION_SECTION_ID, records, editRandom.fork(), i);
      const expected = expectedView(scratch, records);
      scratch.destroy();
      await startWatch(page, expected, EDIT_TIMEOUT_MS);

      const editAt = epochNow() + clock.offset;
      const edit = nthRemoteEdit(remote.doc, DEFINITION_SECTION_ID, records, editRandom, i);
      const result = await watchResult(page);
      if (expectedView(remote.doc, records).text !== expected.text) throw new Error(`edit ${i} differed from its rehearsal on the scratch copy`);
      if (!(await waitForCalm(page, EDIT_TIMEOUT_MS))) notes.push(`the page was still busy ${EDIT_TIMEOUT_MS / 1000} s after edit ${i}`);
      const { longTasks, passagesRemoved } = await sideEffects(page);
      if (result.viewAt === null) {
        timeouts++;
        const relayState = relay.process.child.exitCode ?? relay.process.child.signalCode;
        notes.push(
          `edit ${i} (${edit.kind}) not shown within ${EDIT_TIMEOUT_MS} ms: ${describeDifference(result.last, expected)}; relay ${relayState === null ? "running" : `exited (${relayState})`}, remote client closes [${remote.closes.join(", ")}]`,
        );
        if (relayState !== null) notes.push(`relay output: ${relay.process.output().slice(-1500)}`);
        continue;
      }
      if (i < WARMUP) continue;
      const inWindow = longTasks.filter((t) => t.start + t.duration >= editAt);
      samples.passagesRemoved.push(passagesRemoved);
      samples.longTaskSum.push(inWindow.reduce((n, t) => n + t.duration, 0));
      samples.longTaskMax.push(Math.max(0, ...inWindow.map((t) => t.duration)));
      samples.watchMs.push(result.checkMs);
      samples.guttersAtText.push(result.guttersAtText ?? 0);
      samples.guttersNextFrame.push(result.guttersNextFrame ?? 0);
      samples[edit.kind === "insert" ? "insertText" : "deleteText"].push(result.textAt! - editAt);
      samples[edit.kind === "insert" ? "insertView" : "deleteView"].push(result.viewAt - editAt);
    }
    log(`${EDITS} remote edits measured`);
    if (cdp && PROFILE_FILE) {
      fs.writeFileSync(PROFILE_FILE, JSON.stringify((await cdp.send("Profiler.stop")).profile));
      notes.push(`CPU profile of the page during the edits written to ${PROFILE_FILE}; the profiler slowed the page, so these browser figures are not comparable.`);
    }
    if (problems.length > 0) notes.push(`the page logged ${problems.length} errors, first: ${problems[0]}`);
    if (clock.uncertainty > 2) notes.push(`the page's clock offset is known to ±${clock.uncertainty.toFixed(1)} ms only.`);
    return report({ openMs, highlighted: opened.highlighted, gutters: opened.gutters.split(",").length, shown, census, samples, timeouts, clock }, notes);
  } finally {
    await browser?.close();
    for (const c of clients) c.destroy();
    await relay.stop();
  }
}

/** Per-edit samples, in ms. */
interface Samples {
  /** Edit to the page showing the new text. */
  insertText: number[];
  /** Edit to text and gutter counts both as a full recomputation gives them. */
  insertView: number[];
  deleteText: number[];
  deleteView: number[];
  /** Long main-thread tasks (>= 50 ms) from the edit until frames came smoothly again. */
  longTaskSum: number[];
  longTaskMax: number[];
  /** The watch's own reading of the editor (included in the above). */
  watchMs: number[];
  /** Sidebar passages unmounted and mounted again (a count, not ms). */
  passagesRemoved: number[];
  /** Gutter markers in the DOM when the new text first showed (a count, not ms). */
  guttersAtText: number[];
  guttersNextFrame: number[];
}

interface Measured {
  openMs: number;
  highlighted: number;
  /** Gutter markers (passages) once the section was shown. */
  gutters: number;
  /** Annotations with an element of their own once the section was shown. */
  shown: number;
  census: SpanCensus;
  samples: Samples;
  timeouts: number;
  clock: { offset: number; uncertainty: number };
}

const ms = (v: number | undefined): string => (v === undefined ? "n/a" : `${v.toFixed(1)} ms`);
const spread = (p: Percentiles | null): string => `${ms(p?.p50)} / ${ms(p?.p95)} / ${ms(p?.max)}`;
const countSpread = (counts: readonly number[]): string => {
  const p = percentiles(counts);
  return p === null ? "n/a" : `${Math.min(...counts)} / ${p.p50} / ${p.max}`;
};

function report(m: Measured, notes: string[]): BrowserFigures {
  const p = Object.fromEntries(Object.entries(m.samples).map(([k, v]) => [k, percentiles(v)])) as Record<keyof Samples, Percentiles | null>;
  const n = (k: keyof Samples): number => m.samples[k].length;
  return {
    rows: [
      ["browser: open the section", `Join -> text and all gutter counts shown (${m.highlighted} open annotations)`, ms(m.openMs)],
      ["browser: open the section", "open annotations with a highlight element of their own", `${m.shown} of ${m.highlighted}`],
      ["browser: open the section", "highlight spans / spans where 2+ organizations overlap (one colour drawn)", `${m.census.spans} / ${m.census.merged}`],
      ["browser: remote insert", `edit -> words shown p50 / p95 / max (n=${n("insertText")})`, spread(p.insertText)],
      ["browser: remote insert", "edit -> words and gutter counts as recomputed p50 / p95 / max", spread(p.insertView)],
      ["browser: remote sentence delete", `edit -> text gone p50 / p95 / max (n=${n("deleteText")})`, spread(p.deleteText)],
      ["browser: remote sentence delete", "edit -> highlights + gutter counts recomputed p50 / p95 / max", spread(p.deleteView)],
      ["browser: remote edit", "gutter markers in the DOM when the new text shows: min / p50 / max", `${countSpread(m.samples.guttersAtText)} (of ~${m.gutters})`],
      ["browser: remote edit", "gutter markers before the next frame is painted: min / p50 / max", countSpread(m.samples.guttersNextFrame)],
      ["browser: remote edit", "sidebar passages unmounted per edit: min / p50 / max", `${countSpread(m.samples.passagesRemoved)} (of ~${m.gutters})`],
      ["browser: remote edit", "main-thread long tasks per edit, until idle: total p50 / max", `${ms(p.longTaskSum?.p50)} / ${ms(p.longTaskSum?.max)}`],
      ["browser: remote edit", "longest task per edit p50 / max", `${ms(p.longTaskMax?.p50)} / ${ms(p.longTaskMax?.max)}`],
      ["browser: remote edit", "(bench only) the watch's own DOM reads per edit p50 / max", `${ms(p.watchMs?.p50)} / ${ms(p.watchMs?.max)}`],
      ["browser: remote edit", `edits not shown within ${EDIT_TIMEOUT_MS / 1000} s`, String(m.timeouts)],
    ],
    notes: [
      ...notes,
      `browser: times run from the Node client's edit (sent through our relay, which commits before relaying) to the page's DOM, across processes (clock offset ${m.clock.offset.toFixed(1)} ms ± ${m.clock.uncertainty.toFixed(1)} ms, corrected).`,
    ],
    summary: {
      openMs: Math.round(m.openMs),
      openAnnotations: m.highlighted,
      annotationsWithOwnElement: m.shown,
      highlightSpans: m.census.spans,
      mergedHighlightSpans: m.census.merged,
      insertTextMs: percentilesJson(p.insertText),
      insertRecomputedMs: percentilesJson(p.insertView),
      deleteTextGoneMs: percentilesJson(p.deleteText),
      deleteRecomputedMs: percentilesJson(p.deleteView),
      longTasksPerEditMs: percentilesJson(p.longTaskSum),
      longestTaskPerEditMs: percentilesJson(p.longTaskMax),
      watchOverheadPerEditMs: percentilesJson(p.watchMs),
      sidebarPassagesUnmounted: m.samples.passagesRemoved,
      guttersWhenTextShows: m.samples.guttersAtText,
      guttersBeforeNextPaint: m.samples.guttersNextFrame,
      timeouts: m.timeouts,
      clockOffsetMs: Math.round(m.clock.offset * 10) / 10,
    },
  };
}
