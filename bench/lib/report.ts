// Rows and summary fields every workload run reports, so benchmarks differ only in what they add.
import type { Json, Row } from "./Benchmark.js";
import { ms, round, type Percentiles } from "./percentiles.js";
import type { WorkloadResult } from "./workload.js";

/** Percentiles as JSON (ms, two decimals), or null without samples. */
export function percentilesJson(p: Percentiles | null): Json {
  if (p === null) return null;
  return { count: p.count, mean: round(p.mean), p50: round(p.p50), p95: round(p.p95), p99: round(p.p99), max: round(p.max) };
}

/** Derived figures of a run; CPU in % of one core over the measured window. */
function derived(r: WorkloadResult) {
  const pct = (seconds: number | null): number | null => (seconds === null ? null : (seconds / r.windowSeconds) * 100);
  const commits = r.storage?.commits ?? 0;
  return {
    meanUpdateBytes: r.updates === 0 ? 0 : r.updateBytes / r.updates,
    serverCpu: pct(r.cpu.server),
    benchCpu: pct(r.cpu.self),
    othersCpu: pct(r.cpu.others),
    steal: pct(r.cpu.steal),
    storage: r.storage && {
      commits,
      meanCommitMs: commits === 0 ? 0 : (r.storage.commitSeconds / commits) * 1000,
      updatesPerCommit: commits === 0 ? 0 : r.storage.updates / commits,
    },
  };
}

const percent = (value: number | null): string => (value === null ? "n/a" : `${value.toFixed(0)}%`);

/** The context of a run: sample counts and anything that makes its figures less trustworthy. */
export function runRows(subject: string, r: WorkloadResult): Row[] {
  const d = derived(r);
  const rows: Row[] = [
    [subject, "changes typed (made/planned)", `${r.measuredChanges}/${r.plannedChanges}`],
    [subject, "fan-out deliveries (got/expected)", `${r.fanoutMs.length}/${r.expectedFanout}`],
    [subject, "mean update size", `${d.meanUpdateBytes.toFixed(0)} B`],
    [subject, "CPU: server / bench clients / other procs (user)", `${percent(d.serverCpu)} / ${percent(d.benchCpu)} / ${percent(d.othersCpu)}`],
    [subject, "bench client loop delay p99", ms(r.clientLoopDelayP99Ms)],
    [subject, "unexpected disconnects", String(r.unexpectedCloses)],
  ];
  if (d.storage) rows.push([subject, "storage commits / mean time / updates each", `${d.storage.commits} / ${ms(d.storage.meanCommitMs)} / ${d.storage.updatesPerCommit.toFixed(1)}`]);
  return rows;
}

/** The same context for the JSON summary. */
export function runJson(r: WorkloadResult): { [key: string]: Json } {
  const d = derived(r);
  const opt = (v: number | null): number | null => (v === null ? null : round(v, 1));
  return {
    plannedChanges: r.plannedChanges,
    measuredChanges: r.measuredChanges,
    fanoutSamples: r.fanoutMs.length,
    expectedFanoutSamples: r.expectedFanout,
    meanUpdateBytes: round(d.meanUpdateBytes, 1),
    cpuPercentOfOneCore: { server: opt(d.serverCpu), benchClients: opt(d.benchCpu), otherProcesses: opt(d.othersCpu), steal: opt(d.steal) },
    clientLoopDelayP99Ms: round(r.clientLoopDelayP99Ms),
    unexpectedCloses: r.unexpectedCloses,
    storage: d.storage && { commits: d.storage.commits, meanCommitMs: round(d.storage.meanCommitMs), updatesPerCommit: round(d.storage.updatesPerCommit) },
  };
}

/** Warnings for a run whose samples are incomplete or whose machine was not quiet. */
export function runNotes(subject: string, r: WorkloadResult): string[] {
  const d = derived(r);
  const notes: string[] = [];
  if (r.fanoutMs.length < r.expectedFanout) notes.push(`${subject}: ${r.expectedFanout - r.fanoutMs.length} fan-out deliveries never arrived (not counted in the percentiles).`);
  if (r.savedMs.length < r.expectedSaved) notes.push(`${subject}: ${r.expectedSaved - r.savedMs.length} changes were never acknowledged as saved.`);
  if (r.unexpectedCloses > 0) notes.push(`${subject}: clients were disconnected ${r.unexpectedCloses} times during the run.`);
  if (r.measuredChanges < 0.95 * r.plannedChanges) notes.push(`${subject}: the bench fell behind its typing schedule (${r.measuredChanges} of ${r.plannedChanges} changes).`);
  if (r.clientLoopDelayP99Ms > 50) notes.push(`${subject}: the bench's own event loop lagged (p99 ${ms(r.clientLoopDelayP99Ms)}), so part of the latency is client-side.`);
  if (d.othersCpu !== null && d.othersCpu > 20) notes.push(`${subject}: OTHER processes used ${percent(d.othersCpu)} of a core (user time) during the measurement; figures are disturbed, rerun on a quiet machine.`);
  if (d.steal !== null && d.steal > 5) notes.push(`${subject}: the hypervisor stole ${percent(d.steal)} of a core (noisy VM neighbours).`);
  return notes;
}
