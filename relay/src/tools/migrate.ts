// `npm run migrate`: creates or upgrades the PostgreSQL schema (DATABASE_URL, DATABASE_SCHEMA)
// and exits. Relays also migrate at start; this is for deploy pipelines that migrate first.
// Several runs at once are safe (an advisory lock serializes them).
import { ConfigError, loadConfig } from "../config.js";
import { PgStore } from "../store/PgStore.js";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let config;
try {
  config = loadConfig(process.env, process.cwd());
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
if (!config.databaseUrl) fail("DATABASE_URL is not set: nothing to migrate (the default SQLite store migrates itself at start).");
const store = await PgStore.open({ connectionString: config.databaseUrl, schema: config.databaseSchema }).catch((error: unknown) =>
  fail(`DATABASE_URL: cannot use PostgreSQL (${error instanceof Error ? error.message : String(error)}).`),
);
process.stdout.write(`PostgreSQL schema "${config.databaseSchema}" is at version ${await store.schemaVersion()}.\n`);
await store.close();
