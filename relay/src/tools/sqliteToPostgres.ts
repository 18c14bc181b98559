// `npm run migrate:sqlite-to-postgres -- <sqlite file>`: copies every workshop of a SQLite store
// (DATA_DIR/crosswalk.sqlite, with the relay that uses it stopped, or a backup made with
// `npm run backup`) into PostgreSQL (DATABASE_URL, DATABASE_SCHEMA). Workshops already there are
// left alone, so it can be run again after an interruption. Links keep working: tokens are
// checked with CROSSWALK_SECRET, which the new relays must share with the old one.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { ConfigError, loadConfig } from "../config.js";
import { copyStore } from "../store/copyStore.js";
import { PgStore } from "../store/PgStore.js";
import { SqliteStore } from "../store/SqliteStore.js";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

// npm runs scripts from the project root; a relative path means where the command was typed.
const file = process.argv[2] ? path.resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2]) : fail("Usage: npm run migrate:sqlite-to-postgres -- <sqlite file> (with DATABASE_URL set)");
if (!fs.existsSync(file)) fail(`${file}: no such file`);
let config;
try {
  config = loadConfig(process.env, process.cwd());
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
if (!config.databaseUrl) fail("DATABASE_URL is not set: say which PostgreSQL to copy into.");
// Looked at read-only first: opening the store migrates it, which must not happen to any other file.
try {
  const probe = new Database(file, { readonly: true, fileMustExist: true });
  const tables = new Set(probe.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => r.name));
  probe.close();
  if (!tables.has("workshops") || !tables.has("schema_migrations")) fail(`${file}: not a Crosswalk SQLite store (no workshops table).`);
} catch (error) {
  fail(`${file}: not a Crosswalk SQLite store (${error instanceof Error ? error.message : String(error)}).`);
}
const source = new SqliteStore(file);
const target = await PgStore.open({ connectionString: config.databaseUrl, schema: config.databaseSchema }).catch((error: unknown) =>
  fail(`DATABASE_URL: cannot use PostgreSQL (${error instanceof Error ? error.message : String(error)}).`),
);
try {
  const report = await copyStore(source, target, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`Copied ${report.copied.length} workshops into schema "${config.databaseSchema}"; ${report.skipped.length} were already there.\n`);
} catch (error) {
  fail(`Copy stopped: ${error instanceof Error ? error.message : String(error)} (run it again to continue; copied workshops are kept).`);
} finally {
  await source.close();
  await target.close();
}
