// Moves every workshop from one store to another (SQLite to PostgreSQL when a host grows past one
// relay): the record, the document as one merged state, named versions, deletion records, held
// reflection statements and which flags are revealed. Workshops already in the target are left
// alone, so an interrupted copy can simply be run again.
import { flagsOf } from "@crosswalk/shared";
import * as Y from "yjs";
import type { Store } from "./Store.js";

/** What a copy did, per workshop. */
export interface CopyReport {
  copied: string[];
  skipped: string[];
}

/** Copies every workshop of `from` that `to` does not have. */
export async function copyStore(from: Store, to: Store, progress: (line: string) => void = () => {}): Promise<CopyReport> {
  const report: CopyReport = { copied: [], skipped: [] };
  for (const id of await from.listWorkshopIds()) {
    const record = await from.getWorkshop(id);
    if (!record) continue;
    if (await to.getWorkshop(id)) {
      report.skipped.push(id);
      progress(`${id} "${record.title}": already there, left alone`);
      continue;
    }
    const stored = await from.loadDocument(id);
    const state = Y.mergeUpdates([...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates]);
    const versions = await from.listVersions(id);
    const deletions = await from.listDeletions(id);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const flagIds = [...flagsOf(doc).keys()];
    doc.destroy();
    // Everything but the workshop itself first: the workshop appears in the target only once it
    // is complete. What an interrupted run already wrote is recognised and not written twice.
    for (const flagId of flagIds) {
      const there = new Set((await to.listStatements(id, flagId)).map((s) => s.id));
      for (const statement of await from.listStatements(id, flagId)) if (!there.has(statement.id)) await to.addStatement(id, statement);
      if ((await from.isRevealed(id, flagId)) && !(await to.isRevealed(id, flagId))) await to.markRevealed(id, flagId);
    }
    const versionsThere = new Set((await to.listVersions(id)).map((v) => v.id));
    for (const version of versions) {
      if (versionsThere.has(version.id)) continue;
      const versionState = await from.getVersionState(id, version.id);
      if (versionState) await to.createVersion(id, version, versionState);
    }
    const deletionsThere = (await to.listDeletions(id)).length;
    if (deletions.length > deletionsThere) await to.appendDeletions(id, deletions.slice(deletionsThere));
    await to.createWorkshop(record, state);
    report.copied.push(id);
    progress(`${id} "${record.title}": copied (${state.length} bytes, ${versions.length} versions)`);
  }
  return report;
}
