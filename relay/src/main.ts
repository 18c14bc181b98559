// The relay's entry point: the only place that reads process.env (STYLE.md §6).
import { pino } from "pino";
import { ConfigError, loadConfig } from "./config.js";
import { startRelay } from "./server.js";

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
// Logs go to stderr; stdout carries the one "listening on" line scripts wait for.
const log = pino({ level: config.logLevel, redact: ["req.headers.authorization", "token"] }, pino.destination(2));

/** Exits with one line naming the variable, never a stack trace. */
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let options: Parameters<typeof startRelay>[2] = {};
if (config.databaseUrl && config.redisUrl) {
  // Loaded only for several relays: `npm start` alone needs neither driver.
  const [{ PgStore }, { RedisBus }] = await Promise.all([import("./store/PgStore.js"), import("./cluster/RedisBus.js")]);
  const secret = config.secret ?? fail("CROSSWALK_SECRET must be set when several relays share DATABASE_URL and REDIS_URL (they must sign tokens alike).");
  const store = await PgStore.open({ connectionString: config.databaseUrl, schema: config.databaseSchema }).catch((error: unknown) =>
    fail(`DATABASE_URL: cannot use PostgreSQL (${error instanceof Error ? error.message : String(error)}).`),
  );
  const bus = await RedisBus.open({ url: config.redisUrl, prefix: config.redisPrefix, secret }).catch((error: unknown) =>
    fail(`REDIS_URL: cannot reach Redis (${error instanceof Error ? error.message : String(error)}).`),
  );
  options = { store, cluster: { bus, pingStore: () => store.ping() } };
}

const relay = await startRelay(config, log, options);
process.stdout.write(`listening on ${relay.url}\n`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping");
    relay.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "unclean stop");
        process.exit(1);
      },
    );
  });
}
