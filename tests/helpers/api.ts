// The relay's HTTP API for tests and scripts (no test-runner APIs here).
import type { CreateWorkshopRequest, CreateWorkshopResponse } from "@crosswalk/shared";
import type { RelayProcess } from "./spawnRelay.js";

/** The sample body of a create request. */
export function sampleWorkshop(overrides: Partial<CreateWorkshopRequest> = {}): CreateWorkshopRequest {
  return {
    title: "Eastside retreat",
    organizations: [
      { name: "Eastside Unified School District", kind: "district" },
      { name: "Northgate University", kind: "university" },
      { name: "State Department of Education", kind: "state" },
    ],
    ...overrides,
  };
}

/** Creates a workshop through the API. */
export async function createWorkshop(relay: Pick<RelayProcess, "url">, body: unknown = sampleWorkshop()): Promise<CreateWorkshopResponse> {
  const res = await fetch(`${relay.url}/api/workshops`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreateWorkshopResponse;
}

/** Reads one Prometheus gauge or counter value from /metrics. */
export async function metric(relay: Pick<RelayProcess, "url">, name: string): Promise<number> {
  const text = await (await fetch(`${relay.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(" ").pop()) : 0;
}
