// How many workshops a relay holds in memory (its crosswalk_rooms_in_memory gauge), so a
// benchmark can wait for a workshop to be unloaded and measure what reads it from storage.
import { setTimeout as sleep } from "node:timers/promises";

/** The relay's crosswalk_rooms_in_memory. */
export async function roomsInMemory(relayUrl: string): Promise<number> {
  const text = await (await fetch(`${relayUrl}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith("crosswalk_rooms_in_memory "));
  if (!line) throw new Error("the relay's /metrics has no crosswalk_rooms_in_memory");
  return Number(line.split(" ")[1]);
}

/**
 * Resolves once the relay holds no workshop in memory (UNLOAD_DELAY_MS after its last client
 * left). The state is another process's, so it is polled (as until.ts polls a predicate).
 */
export async function untilNoRoomsInMemory(relayUrl: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rooms = await roomsInMemory(relayUrl);
    if (rooms === 0) return;
    if (Date.now() > deadline) throw new Error(`the relay still held ${rooms} workshops in memory after ${timeoutMs} ms`);
    await sleep(50);
  }
}
