// Work around our relay's heartbeat, which (as of this writing) terminates EVERY connection at
// each 30 s tick: relay/src/server.ts fills its `alive` set from the WebSocketServer's
// 'connection' event, which `ws` never emits for `handleUpgrade` with a callback in noServer
// mode (relay/src/ws/acceptSocket.ts does not emit it), so at the tick no socket counts as
// alive. idle-memory shows it (its clients stay past a tick and are counted); the other
// benchmarks time their work between ticks so that it measures what they are about.
import { setTimeout as sleep } from "node:timers/promises";

/** The relay's heartbeat period, counted from its start (relay/src/server.ts). */
export const RELAY_HEARTBEAT_MS = 30_000;
/** Slack on both sides of a tick: the ready line comes a few ms after the timer starts. */
const MARGIN_MS = 500;

/**
 * Waits, when `needMs` of work starting now would cross the relay's next tick, until just
 * after that tick. Returns how long it waited.
 */
export async function clearOfHeartbeat(startedAt: number, needMs: number): Promise<number> {
  const untilTick = RELAY_HEARTBEAT_MS - ((performance.now() - startedAt) % RELAY_HEARTBEAT_MS);
  if (untilTick > needMs + MARGIN_MS) return 0;
  await sleep(untilTick + MARGIN_MS);
  return untilTick + MARGIN_MS;
}
