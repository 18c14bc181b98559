// Prometheus metrics (`GET /metrics`), one registry per relay so in-process relays in tests
// do not share counters.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Values sampled when metrics are read. */
export interface MetricSources {
  rooms(): number;
  connections(): number;
}

/** The relay's metrics. */
export class Metrics {
  readonly registry = new Registry();
  /** Set by the relay once its room registry exists. */
  sources: MetricSources = { rooms: () => 0, connections: () => 0 };
  readonly connections: Gauge;
  readonly rooms: Gauge;
  readonly updatesIn = new Counter({ name: "crosswalk_updates_in_total", help: "Document updates received and accepted", registers: [this.registry] });
  readonly bytesIn = new Counter({ name: "crosswalk_bytes_in_total", help: "WebSocket bytes received", registers: [this.registry] });
  readonly bytesOut = new Counter({ name: "crosswalk_bytes_out_total", help: "WebSocket bytes sent", registers: [this.registry] });
  readonly refusals = new Counter({
    name: "crosswalk_refusals_total",
    help: "Connections closed by the relay, by close code",
    labelNames: ["code"],
    registers: [this.registry],
  });
  readonly foreignMessages = new Counter({
    name: "crosswalk_bus_foreign_messages_total",
    help: "Messages on the relays' Redis keys that are not ours (ignored)",
    registers: [this.registry],
  });
  readonly storageWrite = new Histogram({
    name: "crosswalk_storage_write_seconds",
    help: "Time to commit one batch of updates (SQLite: to the WAL, before its fsync; PostgreSQL: durably)",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly storageSync = new Histogram({
    name: "crosswalk_storage_sync_seconds",
    help: "Time of one fsync making committed updates durable (SQLite only; saved acknowledgements wait for it)",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  constructor() {
    const sources = (): MetricSources => this.sources;
    this.connections = new Gauge({
      name: "crosswalk_connections",
      help: "Open WebSocket connections in rooms",
      registers: [this.registry],
      collect() {
        this.set(sources().connections());
      },
    });
    this.rooms = new Gauge({
      name: "crosswalk_rooms_in_memory",
      help: "Workshops whose document is in memory",
      registers: [this.registry],
      collect() {
        this.set(sources().rooms());
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** The metrics in Prometheus text format. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
