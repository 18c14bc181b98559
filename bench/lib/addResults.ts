// Rounds of one benchmark add up into one result, so ours and stock can alternate
// (ours, stock, ours, stock) and a passing disturbance hits both rather than one.
import { addCpu } from "./cpuSample.js";
import type { WorkloadResult } from "./workload.js";

/** The sum of two runs of the same load against the same kind of server. */
export function addResults(a: WorkloadResult, b: WorkloadResult): WorkloadResult {
  return {
    plannedChanges: a.plannedChanges + b.plannedChanges,
    measuredChanges: a.measuredChanges + b.measuredChanges,
    fanoutMs: a.fanoutMs.concat(b.fanoutMs),
    expectedFanout: a.expectedFanout + b.expectedFanout,
    savedMs: a.savedMs.concat(b.savedMs),
    expectedSaved: a.expectedSaved + b.expectedSaved,
    updateBytes: a.updateBytes + b.updateBytes,
    updates: a.updates + b.updates,
    windowSeconds: a.windowSeconds + b.windowSeconds,
    cpu: addCpu(a.cpu, b.cpu),
    clientLoopDelayP99Ms: Math.max(a.clientLoopDelayP99Ms, b.clientLoopDelayP99Ms),
    unexpectedCloses: a.unexpectedCloses + b.unexpectedCloses,
    storage:
      a.storage && b.storage
        ? { commits: a.storage.commits + b.storage.commits, commitSeconds: a.storage.commitSeconds + b.storage.commitSeconds, updates: a.storage.updates + b.storage.updates }
        : null,
    rooms: a.rooms.concat(b.rooms),
    finalTexts: new Map([...a.finalTexts, ...b.finalTexts]),
  };
}
