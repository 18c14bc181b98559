import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { DEFINITION_SECTION_ID, sectionFragment, sectionText } from "@crosswalk/shared";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { connectClient } from "../helpers/client.js";
import { createWorkshop, startRelay } from "../helpers/relay.js";
import { tmpDir } from "../helpers/tmpDir.js";

const run = promisify(execFile);
const SCRIPT = path.resolve(import.meta.dirname, "../../scripts/backup.mjs");

// The backup command copies the SQLite store; on PostgreSQL, backups are the database's own (pg_dump).
describe.skipIf(process.env.STORE === "postgres")("npm run backup", () => {
  it("copies the store consistently while the relay runs and keeps writing; the copy restores into a working relay", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const writer = await connectClient(relay, w.id, Object.values(w.tokens.participants)[0]!);
    const text = () => (sectionFragment(writer.doc, DEFINITION_SECTION_ID).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    (sectionFragment(writer.doc, DEFINITION_SECTION_ID).get(0) as Y.XmlElement).insert(0, [new Y.XmlText("before the backup. ")]);
    await writer.waitSaved();
    // Keep typing while the backup runs.
    let typing = true;
    const typist = (async () => {
      for (let i = 0; typing; i++) {
        text().insert(text().length, `${i} `);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const file = path.join(tmpDir(), "backup.sqlite");
    const { stdout } = await run(process.execPath, [SCRIPT, file], { env: { ...process.env, DATA_DIR: relay.dataDir } });
    typing = false;
    await typist;
    expect(stdout).toMatch(/Backed up .* pages/);
    const restoredDir = tmpDir();
    fs.copyFileSync(file, path.join(restoredDir, "crosswalk.sqlite"));
    const restored = await startRelay({ dataDir: restoredDir });
    const reader = await connectClient(restored, w.id, w.tokens.observer);
    expect(sectionText(reader.doc, DEFINITION_SECTION_ID)).toMatch(/^before the backup\. /);
    // Refuses to overwrite, and explains a wrong data directory.
    await expect(run(process.execPath, [SCRIPT, file], { env: { ...process.env, DATA_DIR: relay.dataDir } })).rejects.toThrow(/exists/);
    await expect(run(process.execPath, [SCRIPT, `${file}.2`], { env: { ...process.env, DATA_DIR: tmpDir() } })).rejects.toThrow(/No store/);
  });
});
