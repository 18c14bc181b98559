#!/usr/bin/env node
// `npm run backup -- <file>`: a consistent copy of the SQLite store while the relay runs
// (SQLite's online backup API, through better-sqlite3). DATA_DIR as for the relay.
// Restore: stop the relay, replace DATA_DIR/crosswalk.sqlite by the copy (and delete
// crosswalk.sqlite-wal and crosswalk.sqlite-shm), start the relay.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

const target = process.argv[2];
if (!target) {
  console.error("Usage: npm run backup -- <file>");
  process.exit(2);
}
const source = path.join(path.resolve(process.env.DATA_DIR ?? "data"), "crosswalk.sqlite");
if (!fs.existsSync(source)) {
  console.error(`No store at ${source}. Set DATA_DIR to the relay's data directory.`);
  process.exit(1);
}
const destination = path.resolve(target);
if (fs.existsSync(destination)) {
  console.error(`${destination} exists; choose a new file name.`);
  process.exit(1);
}
const db = new Database(source, { readonly: true, fileMustExist: true });
try {
  const { totalPages } = await db.backup(destination);
  console.log(`Backed up ${source} to ${destination} (${totalPages} pages).`);
} finally {
  db.close();
}
