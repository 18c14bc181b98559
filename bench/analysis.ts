// Divergence analysis at scale (issue 6): a workshop of 6 organizations, about 40 pages
// (20,000 words) and 2,000 annotations over all its sections, with consent recorded. Measures
// analyzeWorkshop in Node, whole and by part, as the relay runs it and as the web app reruns it
// after each change (useAnalysis: section hashes from its cache); then GET
// /api/workshops/:id/analysis end to end against our relay holding that workshop, loaded
// through a real y-websocket client, both with the workshop in memory (during a retreat) and
// read from storage (after it).
import { isDeepStrictEqual } from "node:util";
import {
  analyzeWorkshop,
  annotationSchema,
  annotationsOf,
  buildTextMap,
  compileLexicon,
  consentOf,
  consentSchema,
  rankHotspots,
  readAuthors,
  readOrganizations,
  readRecords,
  readSections,
  sectionAuthorship,
  sectionConsent,
  sectionFragment,
  sectionHotspots,
  sha256Hex,
  workshopDimensions,
  type Hotspot,
  type WorkshopAnalysis,
} from "@crosswalk/shared";
import * as Y from "yjs";
import type { Benchmark, Json, Outcome, Row } from "./lib/Benchmark.js";
import type { SectionShape } from "./lib/annotatedSection.js";
import { cpuBetween, sampleCpu, type CpuUse } from "./lib/cpuSample.js";
import { loadAnnotatedWorkshop, type LoadedWorkshop } from "./lib/loadAnnotatedWorkshop.js";
import type { OurRelay } from "./lib/ourRelay.js";
import { percentiles, round, type Percentiles } from "./lib/percentiles.js";
import { percentilesJson } from "./lib/report.js";
import { untilNoRoomsInMemory } from "./lib/roomsInMemory.js";
import { seededRandom } from "./lib/seededRandom.js";
import { bodyStart, timedGet } from "./lib/timedGet.js";

const SEED = 20_250_613;
/** About 40 pages (500 words a page) and 2,000 annotations, a third of them inside another. */
const SHAPE: SectionShape = { words: 20_000, annotations: 2_000, overlapShare: 0.35, resolvedShare: 0.15 };
const WARMUP = 3;
const RUNS = 20;
/** Fewer from storage: each one decodes the whole stored document. */
const STORED_RUNS = 10;
/** The web app reruns the analysis this long after the last change (web/src/divergence/useAnalysis.ts). */
const WEB_DEBOUNCE_MS = 250;

/** Milliseconds with enough digits for sub-millisecond figures. */
function msFine(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "n/a";
  return `${value < 1 ? value.toFixed(3) : value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}
const p50p95max = (p: Percentiles | null): string => `${msFine(p?.p50)} / ${msFine(p?.p95)} / ${msFine(p?.max)}`;

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
}

/** The steps of analyzeWorkshop, each timed over all sections (shared/src/divergence/analyze.ts). */
const PARTS = ["read and validate records", "section text maps", "hotspots (resolve anchors, cluster)", "authorship", "section hashes (SHA-256)", "consent state", "dimension matching", "rank hotspots"] as const;
type Part = (typeof PARTS)[number];

/** analyzeWorkshop's work, step by step; returns each step's time in ms. */
async function analyzeByPart(doc: Y.Doc): Promise<Record<Part, number>> {
  const t: Record<Part, number> = Object.fromEntries(PARTS.map((p) => [p, 0])) as Record<Part, number>;
  const add = async <T>(part: Part, fn: () => Promise<T> | T): Promise<T> => {
    const [value, ms] = await timed(fn);
    t[part] += ms;
    return value;
  };
  const { sections, orgIds, annotations, consents, authors, lexicon } = await add("read and validate records", () => ({
    sections: readSections(doc),
    orgIds: readOrganizations(doc).map((o) => o.id),
    annotations: [...readRecords(annotationsOf(doc), annotationSchema).valid.values()],
    consents: [...readRecords(consentOf(doc), consentSchema).valid.values()],
    authors: readAuthors(doc),
    lexicon: compileLexicon(workshopDimensions(doc)),
  }));
  const hotspots: Hotspot[] = [];
  for (const section of sections) {
    const map = await add("section text maps", () => buildTextMap(sectionFragment(doc, section.id)));
    hotspots.push(...(await add("hotspots (resolve anchors, cluster)", () => sectionHotspots(doc, section.id, annotations, map))));
    await add("authorship", () => sectionAuthorship(doc, section.id, authors));
    const hash = await add("section hashes (SHA-256)", () => sha256Hex(map.text));
    await add("consent state", () => sectionConsent(section.id, hash, orgIds, consents));
    if (section.kind !== "portrait") await add("dimension matching", () => lexicon.match(map.text));
  }
  await add("rank hotspots", () => rankHotspots(hotspots, sections.map((s) => s.id)));
  return t;
}

/** The Node figures. */
interface NodeFigures {
  result: WorkshopAnalysis;
  /** analyzeWorkshop(doc), as the relay's endpoint calls it. */
  relayPath: Percentiles | null;
  /** useAnalysis's rerun: text maps for the hash cache, then analyzeWorkshop(doc, hashes). */
  webPath: Percentiles | null;
  parts: Array<{ part: Part; ms: Percentiles | null }>;
  jsonBytes: number;
  othersCpu: number | null;
}

async function measureInNode(source: Y.Doc): Promise<NodeFigures> {
  // A replica, so nothing the provider does to its document meanwhile lands in the timings.
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  const cpuBefore = sampleCpu(process.pid);
  const started = performance.now();
  // The web app keeps hashes by section text, so after its first run it hashes nothing.
  const cache = new Map<string, string>();
  for (const s of readSections(doc)) {
    const text = buildTextMap(sectionFragment(doc, s.id)).text;
    cache.set(text, await sha256Hex(text));
  }
  const webRerun = (): Promise<WorkshopAnalysis> => {
    const hashes = new Map(readSections(doc).map((s) => [s.id, cache.get(buildTextMap(sectionFragment(doc, s.id)).text)!]));
    return analyzeWorkshop(doc, hashes);
  };
  // The three are interleaved, so garbage left by loading the workshop and any passing
  // disturbance fall on all of them alike.
  const relayPath: number[] = [];
  const webPath: number[] = [];
  const partSamples = new Map<Part, number[]>(PARTS.map((p) => [p, []]));
  let result: WorkshopAnalysis | null = null;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const [r, relayMs] = await timed(() => analyzeWorkshop(doc));
    const [, webMs] = await timed(webRerun);
    const t = await analyzeByPart(doc);
    result = r;
    if (i < WARMUP) continue;
    relayPath.push(relayMs);
    webPath.push(webMs);
    for (const p of PARTS) partSamples.get(p)!.push(t[p]);
  }
  const cpuAfter = sampleCpu(process.pid);
  const seconds = (performance.now() - started) / 1000;
  const othersUser = cpuBefore.machineUser === null || cpuAfter.machineUser === null ? null : cpuAfter.machineUser - cpuBefore.machineUser - (cpuAfter.selfUser - cpuBefore.selfUser);
  doc.destroy();
  return {
    result: result!,
    relayPath: percentiles(relayPath),
    webPath: percentiles(webPath),
    parts: PARTS.map((part) => ({ part, ms: percentiles(partSamples.get(part)!) })),
    jsonBytes: new TextEncoder().encode(JSON.stringify(result)).byteLength,
    othersCpu: othersUser === null ? null : Math.max(0, (othersUser / seconds) * 100),
  };
}

/** The endpoint's figures in one state of the relay. */
interface EndpointFigures {
  ms: Percentiles | null;
  bytes: number;
  /** Relay CPU per request, ms. */
  serverCpuMs: number | null;
  cpu: CpuUse;
  seconds: number;
}

/** GETs the analysis `warmup + runs` times; every answer must be 200 and equal `expected`. */
async function measureEndpoint(relay: OurRelay, loaded: LoadedWorkshop, expected: WorkshopAnalysis, runs: number): Promise<EndpointFigures> {
  const url = `${relay.url}/api/workshops/${loaded.workshop.id}/analysis`;
  // The relay answers JSON; the comparison is of the JSON both sides would send.
  const want: unknown = JSON.parse(JSON.stringify(expected));
  const samples: number[] = [];
  let bytes = 0;
  let before = sampleCpu(relay.process.pid);
  let started = performance.now();
  for (let i = 0; i < WARMUP + runs; i++) {
    if (i === WARMUP) {
      before = sampleCpu(relay.process.pid);
      started = performance.now();
    }
    const res = await timedGet(url, loaded.workshop.tokens.facilitator);
    if (res.status !== 200) throw new Error(`GET …/analysis answered ${res.status}: ${bodyStart(res)}`);
    const got: unknown = JSON.parse(new TextDecoder().decode(res.body));
    if (!isDeepStrictEqual(got, want)) throw new Error("the relay's analysis differs from analyzeWorkshop's of the same document in Node");
    bytes = res.body.byteLength;
    if (i >= WARMUP) samples.push(res.ms);
  }
  const cpu = cpuBetween(before, sampleCpu(relay.process.pid));
  return { ms: percentiles(samples), bytes, serverCpuMs: cpu.server === null ? null : (cpu.server * 1000) / runs, cpu, seconds: (performance.now() - started) / 1000 };
}

export const analysis: Benchmark = {
  name: "analysis",
  description: "divergence analysis of a workshop of 6 organizations, ~40 pages, 2,000 annotations: analyzeWorkshop in Node, and GET /api/workshops/:id/analysis on our relay",
  async run(ctx): Promise<Outcome> {
    const relay = await ctx.startOurs();
    const loaded = await loadAnnotatedWorkshop(relay, "Analysis benchmark", seededRandom(SEED), SHAPE);
    let connected = true;
    try {
      const w = loaded.written;
      ctx.log(`workshop loaded through the relay in ${loaded.loadSeconds.toFixed(1)} s: ${w.sections} sections, ${w.words} words, ${w.annotations} annotations, ${loaded.consent.records} consents`);
      const node = await measureInNode(loaded.client.doc);
      ctx.log(`node: analyzeWorkshop p50 ${msFine(node.relayPath?.p50)}, ${node.result.hotspots.length} hotspots`);
      const live = await measureEndpoint(relay, loaded, node.result, RUNS);
      ctx.log(`endpoint, workshop in memory: p50 ${msFine(live.ms?.p50)}`);
      loaded.client.destroy();
      connected = false;
      await untilNoRoomsInMemory(relay.url);
      const stored = await measureEndpoint(relay, loaded, node.result, STORED_RUNS);
      ctx.log(`endpoint, workshop read from storage: p50 ${msFine(stored.ms?.p50)}`);
      return report(loaded, node, live, stored);
    } finally {
      if (connected) loaded.client.destroy();
    }
  },
};

const percent = (value: number | null): string => (value === null ? "n/a" : `${value.toFixed(0)}%`);
const othersPercent = (e: EndpointFigures): number | null => (e.cpu.others === null ? null : (e.cpu.others / e.seconds) * 100);

function report(loaded: LoadedWorkshop, node: NodeFigures, live: EndpointFigures, stored: EndpointFigures): Outcome {
  const w = loaded.written;
  const a = node.result;
  const orgs = loaded.workshop.organizations.length;
  const named = Object.values(a.dimensions.byOrg).map((m) => Object.values(m).filter((d) => d.named).length);
  const rows: Row[] = [
    ["workshop", "sections / words / textblocks", `${w.sections} / ${w.words} / ${w.textblocks}`],
    ["workshop", "annotations / organizations / consents", `${w.annotations} / ${orgs} / ${loaded.consent.records}`],
    ["workshop", "document size / loaded through the relay in", `${(loaded.documentBytes / 1024).toFixed(0)} KiB / ${loaded.loadSeconds.toFixed(1)} s`],
    ["analysis", "hotspots / divergent dimensions / agreed sections", `${a.hotspots.length} / ${a.dimensions.divergent.length} / ${Object.values(a.consent).filter((c) => c.agreed).length}`],
    ["analysis", "dimensions named per organization (min-max)", `${Math.min(...named)}-${Math.max(...named)} of ${a.dimensions.list.length}`],
    ["analysis", "JSON size", `${(node.jsonBytes / 1024).toFixed(0)} KiB`],
    ["node", "analyzeWorkshop (relay's call) p50 / p95 / max", p50p95max(node.relayPath)],
    ["node", "web app rerun (cached hashes) p50 / p95 / max", p50p95max(node.webPath)],
    ...node.parts.map((p): Row => ["node", `  part: ${p.part} p50 / p95`, `${msFine(p.ms?.p50)} / ${msFine(p.ms?.p95)}`]),
    ["node", "other processes' CPU meanwhile (user, % of one core)", percent(node.othersCpu)],
    ["relay: workshop in memory", "GET …/analysis p50 / p95 / max", p50p95max(live.ms)],
    ["relay: workshop in memory", "relay CPU per request", msFine(live.serverCpuMs ?? undefined)],
    ["relay: read from storage", "GET …/analysis p50 / p95 / max", p50p95max(stored.ms)],
    ["relay: read from storage", "relay CPU per request", msFine(stored.serverCpuMs ?? undefined)],
    ["relay", "other processes' CPU meanwhile (user, % of one core)", `${percent(othersPercent(live))} / ${percent(othersPercent(stored))}`],
  ];
  const notes = ["No ratio: the stock y-websocket server has no divergence analysis to compare with."];
  if ((node.webPath?.p50 ?? 0) > WEB_DEBOUNCE_MS) {
    notes.push(`The web app's rerun (p50 ${msFine(node.webPath?.p50)}) takes longer than its ${WEB_DEBOUNCE_MS} ms debounce: while people type, every open page keeps its main thread busy analyzing.`);
  }
  for (const [label, value] of [["Node", node.othersCpu], ["endpoint (in memory)", othersPercent(live)], ["endpoint (storage)", othersPercent(stored)]] as const) {
    if (value !== null && value > 20) notes.push(`OTHER processes used ${value.toFixed(0)}% of a core (user time) during the ${label} measurements; figures are disturbed, rerun on a quiet machine.`);
  }
  const endpointJson = (e: EndpointFigures): Json => ({ ms: percentilesJson(e.ms), bytes: e.bytes, serverCpuMsPerRequest: e.serverCpuMs === null ? null : round(e.serverCpuMs), othersCpuPercent: othersPercent(e) === null ? null : round(othersPercent(e)!, 1) });
  return {
    rows,
    notes,
    summary: {
      workshop: { sections: w.sections, words: w.words, textblocks: w.textblocks, characters: w.characters, annotations: w.annotations, organizations: orgs, consents: loaded.consent.records, documentBytes: loaded.documentBytes, loadSeconds: round(loaded.loadSeconds, 1) },
      analysis: { hotspots: a.hotspots.length, divergentDimensions: a.dimensions.divergent.length, jsonBytes: node.jsonBytes },
      node: {
        analyzeWorkshopMs: percentilesJson(node.relayPath),
        webRerunMs: percentilesJson(node.webPath),
        partsMs: Object.fromEntries(node.parts.map((p) => [p.part, percentilesJson(p.ms)])),
        othersCpuPercent: node.othersCpu === null ? null : round(node.othersCpu, 1),
      },
      endpoint: { inMemory: endpointJson(live), fromStorage: endpointJson(stored) },
    },
  };
}
