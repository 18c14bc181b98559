// The highest rate of changes a second that one workshop sustains with its writers and readers
// placed on chosen servers (placedLoad.ts), found in short steps: from FIRST_RATE the rate is
// multiplied (or divided) by four until a step passes and the next fails, then bisected
// (geometrically) between the two. Each step is a fresh workshop, so each starts from the same
// document; a step passes when every change reached every reader, p99 stayed under a bound,
// the bench kept to its schedule and latency did not keep growing through the step.
import { percentiles, type Percentiles } from "./percentiles.js";
import { runPlacedLoad, type Placement, type PlacedResult, type PlacedServers } from "./placedLoad.js";
import { waitForIdle } from "./waitForIdle.js";

/** How the ramp steps and judges. */
export interface RampRules {
  firstRate: number;
  maxRate: number;
  minRate: number;
  stepMs: number;
  /** How long after the last change the readers have to receive everything. */
  drainMs: number;
  maxP99Ms: number;
  /** The bench may fall this far behind its schedule (p99) before a step counts as failed. */
  maxSendLagMs: number;
  /** A last fifth slower than three times the first counts as a growing backlog, above this floor. */
  growthFloorMs: number;
  bisections: number;
  /** Rate of the unjudged warm-up step. */
  warmupRate: number;
}

/** One step: the total rate (all writers) and what it measured. */
export interface RampStep {
  rate: number;
  result: PlacedResult;
  latency: Percentiles | null;
  failure: string | null;
}

/** What the ramp found on one set of servers. */
export interface Ramp {
  /** The highest rate that passed (null if none did). */
  sustained: RampStep | null;
  /** The lowest rate that failed above it (null if even maxRate passed). */
  failed: RampStep | null;
  steps: RampStep[];
}

const FACTOR = 4;

function judge(r: PlacedResult, latency: Percentiles | null, rules: RampRules): string | null {
  if (r.closes.length > 0) return `clients were disconnected (codes ${r.closes.join(", ")})`;
  if (r.latencies.length < r.expected) return `${r.expected - r.latencies.length} of ${r.expected} deliveries missing ${rules.drainMs} ms after the last change`;
  if (!latency || latency.p99 > rules.maxP99Ms) return `p99 ${latency?.p99.toFixed(0)} ms > ${rules.maxP99Ms} ms`;
  if (r.sendLagP99Ms > rules.maxSendLagMs) return `the bench could not send at this rate (p99 ${r.sendLagP99Ms.toFixed(0)} ms behind schedule)`;
  if (r.lastFifthP50 > rules.growthFloorMs && r.lastFifthP50 > 3 * r.firstFifthP50) {
    return `latency kept growing (p50 ${r.firstFifthP50.toFixed(0)} -> ${r.lastFifthP50.toFixed(0)} ms)`;
  }
  return null;
}

/** One line for the log. */
export function describeStep(s: RampStep): string {
  return `${s.rate}/s for ${s.result.windowSeconds.toFixed(1)} s: p50 ${s.latency?.p50.toFixed(1) ?? "n/a"} ms, p99 ${s.latency?.p99.toFixed(1) ?? "n/a"} ms, ${s.failure === null ? "ok" : `FAIL: ${s.failure}`}`;
}

/** Ramps `servers` with one workshop laid out as `placement`; the total rate is split evenly over its writers. */
export async function rampPlaced(servers: PlacedServers, placement: Placement, rules: RampRules, log: (line: string) => void): Promise<Ramp> {
  const steps: RampStep[] = [];
  const run = async (rate: number, durationMs: number): Promise<RampStep> => {
    const result = await runPlacedLoad(servers, { rooms: 1, placement, writerRate: rate / placement.writers.length, warmupMs: 0, durationMs, drainMs: rules.drainMs });
    // What a server still has to do must not slow the next step.
    await Promise.all(servers.pids.map((pid) => waitForIdle(pid, 5_000, 250)));
    const latency = percentiles(result.latencies);
    return { rate, result, latency, failure: judge(result, latency, rules) };
  };
  const step = async (rate: number): Promise<RampStep> => {
    const s = await run(rate, rules.stepMs);
    steps.push(s);
    log(`${servers.label}: ${describeStep(s)}`);
    return s;
  };

  // A fresh server runs unoptimized code for its first thousands of changes; a short step warms it.
  log(`${servers.label}: warm-up ${describeStep(await run(rules.warmupRate, 1_000))}`);

  let sustained: RampStep | null = null;
  let failed: RampStep | null = null;
  const first = await step(rules.firstRate);
  if (first.failure === null) {
    sustained = first;
    for (let rate = first.rate * FACTOR; rate <= rules.maxRate; rate *= FACTOR) {
      const s = await step(rate);
      if (s.failure !== null) {
        failed = s;
        break;
      }
      sustained = s;
    }
  } else {
    failed = first;
    for (let rate = Math.round(first.rate / FACTOR); rate >= rules.minRate; rate = Math.round(rate / FACTOR)) {
      const s = await step(rate);
      if (s.failure === null) {
        sustained = s;
        break;
      }
      failed = s;
    }
  }
  for (let i = 0; i < rules.bisections && sustained && failed; i++) {
    const mid = Math.round(Math.sqrt(sustained.rate * failed.rate) / 10) * 10;
    if (mid <= sustained.rate || mid >= failed.rate) break;
    const s = await step(mid);
    if (s.failure === null) sustained = s;
    else failed = s;
  }
  return { sustained, failed, steps };
}
