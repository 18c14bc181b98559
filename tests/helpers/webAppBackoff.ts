// Gives a Node y-websocket client the web app's reconnection: the stock provider retries after
// 2^n × 100 ms (capped by maxBackoffTime) with no jitter, so every client of a restarted relay
// knocks at the same instants; WorkshopSession (web/src/collab/WorkshopSession.ts) takes
// reconnection over with "full jitter" from web/src/collab/backoff.ts. Mirrored here so that a
// reconnect test measures what browsers do.
import { DEFAULT_BACKOFF, reconnectDelay, type BackoffOptions } from "../../web/src/collab/backoff.js";
import type { Client } from "./client.js";

/** Reconnection attempts a client made (the times a socket started connecting, performance.now()). */
export interface ReconnectLog {
  attempts: number[];
}

/** Makes `client` reconnect as the web app does; returns a log of its connection attempts. */
export function useWebAppBackoff(client: Client, options: BackoffOptions = DEFAULT_BACKOFF): ReconnectLog {
  const { provider } = client;
  const log: ReconnectLog = { attempts: [] };
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  provider.on("status", ({ status }: { status: string }) => {
    if (status === "connecting") log.attempts.push(performance.now());
  });
  provider.on("sync", (synced: boolean) => {
    if (synced) attempt = 0;
  });
  provider.on("connection-close", () => {
    if (!provider.shouldConnect) return; // closed on purpose
    provider.shouldConnect = false; // the provider's own un-jittered retry becomes a no-op
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      provider.connect();
    }, reconnectDelay(attempt++, Math.random(), options));
  });
  // A pending retry must not reconnect a destroyed client.
  const destroy = client.destroy;
  client.destroy = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    destroy();
  };
  return log;
}
