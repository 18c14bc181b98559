// Exports at scale (issue 7): a 50-page workshop (about 25,000 words over every section, 6
// organizations, annotations, consent and four closed reflection rounds) loaded into our relay
// through a real y-websocket client, then GET /api/workshops/:id/export in each format with
// every section and every appendix: time per export, file size, and how far the relay's
// resident memory rises above its level after a full garbage collection while it exports
// (the kernel's high-water mark, peakRss.ts), and how long the relay answers nobody else
// meanwhile (a /healthz probe). Each answer is checked (status, type, the file's signature, text
// of a section), so a broken exporter fails the benchmark.
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { EXPORT_FORMATS, type ExportFormat } from "@crosswalk/shared";
import type { Benchmark, Json, Outcome, Row } from "./lib/Benchmark.js";
import type { SectionShape } from "./lib/annotatedSection.js";
import { RETREAT_ORGANIZATIONS } from "./lib/annotatedWorkshop.js";
import { collectGarbage, gcNodeOptions } from "./lib/collectGarbage.js";
import { cpuBetween, sampleCpu } from "./lib/cpuSample.js";
import { loadAnnotatedWorkshop, type LoadedWorkshop } from "./lib/loadAnnotatedWorkshop.js";
import type { OurRelay } from "./lib/ourRelay.js";
import { watchPeakRss, type PeakRss } from "./lib/peakRss.js";
import { ms, percentiles, round, type Percentiles } from "./lib/percentiles.js";
import { mib, processMemory } from "./lib/processMemory.js";
import { runReflectionRounds, type ReflectionFigures } from "./lib/reflectionRounds.js";
import { percentilesJson } from "./lib/report.js";
import { seededRandom } from "./lib/seededRandom.js";
import { bodyStart, timedGet, type TimedResponse } from "./lib/timedGet.js";

const SEED = 20_250_614;
const TITLE = "Export benchmark: Eastside Year 1 retreat";
/** About 50 pages (500 words a page), with as many annotations as a long retreat day leaves. */
const SHAPE: SectionShape = { words: 25_000, annotations: 800, overlapShare: 0.35, resolvedShare: 0.15 };
/** Reflection rounds on the top hotspots, so the reflections appendix has statements to print. */
const FLAGS = 4;
const FORMATS: readonly ExportFormat[] = ["md", "html", "docx", "pdf"];
const WARMUP = 1;
const RUNS = 5;
/** Everything: every section (marked with its consent state) and every appendix. */
const QUERY = "scope=all&appendices=consent,reflections,annotations,crosswalk";
/** Pause between two /healthz probes while exporting. */
const PROBE_GAP_MS = 10;

/** The start of the last organization's definition: only its section's body holds it (it is never annotated). */
const LAST_DEFINITION = RETREAT_ORGANIZATIONS.at(-1)!.definition.slice(0, 60);

/** One format's figures. */
interface FormatFigures {
  format: ExportFormat;
  ms: Percentiles | null;
  bytes: number;
  /** PDF pages (null for other formats). */
  pages: number | null;
  /** VmRSS after a full collection, before the exports. */
  baselineRss: number;
  /** Peak while the warm-up exports ran (the first from a collected heap), and while the measured ones ran back to back. */
  firstPeak: PeakRss;
  peak: PeakRss;
  /** VmRSS and live heap after a full collection, after the exports, minus before. */
  retainedRss: number;
  retainedHeap: number;
  serverCpuMs: number | null;
  othersCpuPercent: number | null;
  /** Longest /healthz answer while exporting: how long the relay's one thread answered nobody. */
  longestStallMs: number;
}

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const ascii = (bytes: Uint8Array, from: number, to: number): string => Buffer.from(bytes.subarray(from, to)).toString("latin1");

/** Throws unless `res` is a complete export in `format` with sections and appendices; returns the PDF's page count. */
function check(format: ExportFormat, res: TimedResponse): number | null {
  const fail = (why: string): never => {
    throw new Error(`the ${format} export ${why} (status ${res.status}, ${res.body.byteLength} bytes: ${JSON.stringify(bodyStart(res, 200))})`);
  };
  if (res.status !== 200) fail("failed");
  if (res.contentType !== EXPORT_FORMATS[format].contentType) fail(`came as ${res.contentType}`);
  if (res.body.byteLength < 20_000) fail("is too small to hold 50 pages");
  switch (format) {
    case "md":
    case "html": {
      const text = decode(res.body);
      if (!text.includes(TITLE)) fail("lacks the workshop's title");
      if (!text.includes(LAST_DEFINITION)) fail("lacks the last organization's definition");
      if (!text.includes("Appendix")) fail("has no appendix");
      return null;
    }
    case "docx":
      // A zip whose directory names the main part.
      if (ascii(res.body, 0, 4) !== "PK\x03\x04" || !ascii(res.body, 0, res.body.byteLength).includes("word/document.xml")) fail("is not a Word document");
      return null;
    case "pdf": {
      const text = ascii(res.body, 0, res.body.byteLength);
      if (!text.startsWith("%PDF-") || !text.trimEnd().endsWith("%%EOF")) fail("is not a complete PDF");
      return (text.match(/\/Type \/Page\b/g) ?? []).length;
    }
  }
}

/** One GET /healthz on a connection of its own, timed to the end of the answer. */
function healthz(relayUrl: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // Not a kept-alive connection: when the relay's thread is blocked for seconds, its
    // keep-alive timer fires before it reads a request sent on an idle socket, and resets it.
    http
      .get(`${relayUrl}/healthz`, { agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(performance.now() - started));
      })
      .on("error", reject);
  });
}

/**
 * Asks /healthz over and over until `done` settles; returns the longest wait. The relay renders
 * an export on its one thread, so every workshop's updates wait as long as this probe does.
 */
async function longestStall(relayUrl: string, done: Promise<unknown>): Promise<number> {
  let finished = false;
  void done.finally(() => (finished = true)).catch(() => {});
  let longest = 0;
  while (!finished) {
    longest = Math.max(longest, await healthz(relayUrl));
    await sleep(PROBE_GAP_MS);
  }
  return longest;
}

async function measureFormat(relay: OurRelay, loaded: LoadedWorkshop, format: ExportFormat): Promise<FormatFigures> {
  const pid = relay.process.pid;
  const url = `${relay.url}/api/workshops/${loaded.workshop.id}/export?format=${format}&${QUERY}`;
  const before = await collectGarbage(relay.process);
  const baselineRss = processMemory(pid).rss;
  const first = watchPeakRss(pid);
  for (let i = 0; i < WARMUP; i++) check(format, await timedGet(url, loaded.workshop.tokens.facilitator));
  const firstPeak = first.stop();
  const watch = watchPeakRss(pid);
  const cpuBefore = sampleCpu(pid);
  const started = performance.now();
  const exports = (async () => {
    const samples: number[] = [];
    let last: { bytes: number; pages: number | null } = { bytes: 0, pages: null };
    for (let i = 0; i < RUNS; i++) {
      const res = await timedGet(url, loaded.workshop.tokens.facilitator);
      last = { bytes: res.body.byteLength, pages: check(format, res) };
      samples.push(res.ms);
    }
    return { samples, ...last };
  })();
  const [{ samples, bytes, pages }, stall] = await Promise.all([exports, longestStall(relay.url, exports)]);
  const cpu = cpuBetween(cpuBefore, sampleCpu(pid));
  const seconds = (performance.now() - started) / 1000;
  const peak = watch.stop();
  const after = await collectGarbage(relay.process);
  return {
    format,
    ms: percentiles(samples),
    bytes,
    pages,
    baselineRss,
    firstPeak,
    peak,
    retainedRss: processMemory(pid).rss - baselineRss,
    retainedHeap: after.heapUsed - before.heapUsed,
    serverCpuMs: cpu.server === null ? null : (cpu.server * 1000) / RUNS,
    othersCpuPercent: cpu.others === null ? null : (cpu.others / seconds) * 100,
    longestStallMs: stall,
  };
}

export const exportDocs: Benchmark = {
  name: "exportDocs",
  description: "export of a 50-page workshop (every section and appendix) as md, html, docx, pdf from our relay: time, size and the relay's peak memory",
  async run(ctx): Promise<Outcome> {
    // The relay collects garbage on a signal (gcOnSignal.mjs), so each format starts from its live memory.
    const relay = await ctx.startOurs(undefined, { NODE_OPTIONS: gcNodeOptions() });
    const loaded = await loadAnnotatedWorkshop(relay, TITLE, seededRandom(SEED), SHAPE);
    try {
      const reflections = await runReflectionRounds(relay, loaded, FLAGS);
      const w = loaded.written;
      ctx.log(`workshop loaded through the relay in ${loaded.loadSeconds.toFixed(1)} s: ${w.words} words, ${w.annotations} annotations, ${loaded.consent.records} consents, ${reflections.statements} reflection statements`);
      const figures: FormatFigures[] = [];
      for (const format of FORMATS) {
        const f = await measureFormat(relay, loaded, format);
        ctx.log(`${format}: p50 ${ms(f.ms?.p50)}, ${(f.bytes / 1024).toFixed(0)} KiB, peak +${mib(Math.max(f.firstPeak.peak, f.peak.peak) - f.baselineRss)}`);
        figures.push(f);
      }
      return report(loaded, reflections, figures);
    } finally {
      loaded.client.destroy();
    }
  },
};

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
const signedMib = (bytes: number): string => `${bytes < 0 ? "-" : "+"}${mib(Math.abs(bytes))}`;

function report(loaded: LoadedWorkshop, reflections: ReflectionFigures, figures: readonly FormatFigures[]): Outcome {
  const w = loaded.written;
  const rows: Row[] = [
    ["workshop", "sections / words / textblocks", `${w.sections} / ${w.words} / ${w.textblocks}`],
    ["workshop", "annotations / consents / reflection statements (flags)", `${w.annotations} / ${loaded.consent.records} / ${reflections.statements} (${reflections.flags})`],
    ["workshop", "document size / loaded through the relay in", `${kib(loaded.documentBytes)} / ${loaded.loadSeconds.toFixed(1)} s`],
    ...figures.flatMap((f): Row[] => [
      [f.format, `time p50 / max (${RUNS} after ${WARMUP} warm-up)`, `${ms(f.ms?.p50)} / ${ms(f.ms?.max)}`],
      [f.format, "file size" + (f.pages === null ? "" : " / pages"), kib(f.bytes) + (f.pages === null ? "" : ` / ${f.pages}`)],
      [f.format, `peak RSS over ${mib(f.baselineRss)} after GC: warm-up / ${RUNS} in a row${f.peak.exact ? "" : " (sampled)"}`, `${signedMib(f.firstPeak.peak - f.baselineRss)} / ${signedMib(f.peak.peak - f.baselineRss)}`],
      [f.format, "retained after GC: RSS / live heap", `${signedMib(f.retainedRss)} / ${signedMib(f.retainedHeap)}`],
      [f.format, "relay CPU per export / other processes' CPU (user)", `${ms(f.serverCpuMs)} / ${f.othersCpuPercent === null ? "n/a" : `${f.othersCpuPercent.toFixed(0)}%`}`],
      [f.format, "longest /healthz wait while exporting (relay thread busy)", ms(f.longestStallMs)],
    ]),
  ];
  const notes = [
    "No ratio: the stock y-websocket server has no export. Exports ran with the workshop in memory (its facilitator still connected); every section and every appendix was asked for.",
  ];
  for (const f of figures) {
    if (f.othersCpuPercent !== null && f.othersCpuPercent > 20) notes.push(`OTHER processes used ${f.othersCpuPercent.toFixed(0)}% of a core (user time) during the ${f.format} exports; figures are disturbed, rerun on a quiet machine.`);
  }
  const formatJson = (f: FormatFigures): Json => ({
    ms: percentilesJson(f.ms),
    bytes: f.bytes,
    pages: f.pages,
    baselineRssBytes: f.baselineRss,
    warmupPeakRssGrowthBytes: f.firstPeak.peak - f.baselineRss,
    peakRssGrowthBytes: f.peak.peak - f.baselineRss,
    peakExact: f.peak.exact,
    retainedRssBytes: f.retainedRss,
    retainedHeapBytes: f.retainedHeap,
    serverCpuMsPerExport: f.serverCpuMs === null ? null : round(f.serverCpuMs),
    othersCpuPercent: f.othersCpuPercent === null ? null : round(f.othersCpuPercent, 1),
    longestStallMs: round(f.longestStallMs),
  });
  return {
    rows,
    notes,
    summary: {
      workshop: {
        sections: w.sections,
        words: w.words,
        textblocks: w.textblocks,
        annotations: w.annotations,
        consents: loaded.consent.records,
        reflectionStatements: reflections.statements,
        documentBytes: loaded.documentBytes,
        loadSeconds: round(loaded.loadSeconds, 1),
      },
      runsPerFormat: RUNS,
      formats: Object.fromEntries(figures.map((f) => [f.format, formatJson(f)])),
    },
  };
}
