// Moving a SQLite store into PostgreSQL with the real command, then serving it from scale-out
// relays: links keep working, text and versions are there. Also `npm run migrate`.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { sectionText, type CreateWorkshopResponse } from "@crosswalk/shared";
import Database from "better-sqlite3";
import { describe, expect, it, onTestFinished } from "vitest";
import { connectClient } from "../helpers/client.js";
import { typeWord } from "../helpers/clusterWords.js";
import { dropClusterData, startRelay } from "../helpers/relay.js";
import { clusterEnv, TEST_SECRET } from "../helpers/spawnRelay.js";
import { tmpDir } from "../helpers/tmpDir.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

/** Runs a command; resolves with its exit code and output either way. */
async function command(file: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd: ROOT, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

const toPostgres = (file: string, env: Record<string, string>) => command(process.execPath, ["relay/dist/tools/sqliteToPostgres.js", file], env);

describe("moving to PostgreSQL", () => {
  it("npm run migrate:sqlite-to-postgres copies every workshop; relays on PostgreSQL serve them to the same links; a second run copies nothing", async () => {
    const relay = await startRelay({ cluster: false });
    const res = await fetch(`${relay.url}/api/workshops/sample`, { method: "POST" });
    const w = (await res.json()) as CreateWorkshopResponse;
    const writer = await connectClient(relay, w.id, w.tokens.participants[w.organizations[0]!.id]!);
    typeWord(writer.doc, "written-before-the-move");
    await writer.waitSaved();
    const version = await fetch(`${relay.url}/api/workshops/${w.id}/versions`, {
      method: "POST",
      headers: { authorization: `Bearer ${w.tokens.facilitator}`, "content-type": "application/json" },
      body: JSON.stringify({ label: "Before the move" }),
    });
    expect(version.status).toBe(201);
    const textBefore = sectionText(writer.doc, "definition");
    writer.destroy();
    expect(await relay.stop()).toBe(0);

    const target = tmpDir("crosswalk-pg-");
    onTestFinished(() => dropClusterData(target));
    const env = { ...clusterEnv(target), CROSSWALK_SECRET: TEST_SECRET };
    const file = path.join(relay.dataDir, "crosswalk.sqlite");
    const viaNpm = await command("npm", ["run", "--silent", "migrate:sqlite-to-postgres", "--", file], env);
    expect(viaNpm.stderr).not.toMatch(/error/i);
    expect(viaNpm.code).toBe(0);
    expect(viaNpm.stdout).toContain("Copied 1 workshops");
    expect((await toPostgres(file, env)).stdout).toContain("Copied 0 workshops");

    const onPostgres = await startRelay({ dataDir: target, cluster: true });
    const reader = await connectClient(onPostgres, w.id, w.tokens.participants[w.organizations[1]!.id]!);
    expect(sectionText(reader.doc, "definition")).toBe(textBefore);
    expect(textBefore).toContain("written-before-the-move");
    const versions = await fetch(`${onPostgres.url}/api/workshops/${w.id}/versions`, { headers: { authorization: `Bearer ${w.tokens.facilitator}` } });
    expect(((await versions.json()) as Array<{ label: string }>).map((v) => v.label)).toEqual(["Before the move"]);
  });

  it("refuses a missing file, a file that is not a Crosswalk store (leaving it untouched) and a missing DATABASE_URL, in one line each", async () => {
    const dir = tmpDir();
    const env = { ...clusterEnv(dir), CROSSWALK_SECRET: TEST_SECRET };
    onTestFinished(() => dropClusterData(dir));
    const other = path.join(dir, "other.sqlite");
    const db = new Database(other);
    db.exec("CREATE TABLE notes (body TEXT)");
    db.close();
    const bytes = fs.readFileSync(other);
    const cases = [
      { args: [path.join(dir, "missing.sqlite")], env, says: "no such file" },
      { args: [other], env, says: "not a Crosswalk SQLite store" },
      { args: [other], env: { DATABASE_URL: "", REDIS_URL: "" }, says: "DATABASE_URL" },
      { args: [], env, says: "Usage" },
    ];
    for (const c of cases) {
      const result = await command(process.execPath, ["relay/dist/tools/sqliteToPostgres.js", ...c.args], c.env);
      expect(result.code, c.says).toBe(1);
      expect(result.stderr.trim().split("\n"), c.says).toHaveLength(1);
      expect(result.stderr).toContain(c.says);
    }
    expect(fs.readFileSync(other).equals(bytes)).toBe(true);
  });

  it("npm run migrate creates the schema, says its version, and is safe to run twice", async () => {
    const dir = tmpDir();
    onTestFinished(() => dropClusterData(dir));
    const env = clusterEnv(dir);
    const first = await command("npm", ["run", "--silent", "migrate"], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/schema "cw_t_[0-9a-f]+" is at version \d+/);
    const [a, b] = await Promise.all([command(process.execPath, ["relay/dist/tools/migrate.js"], env), command(process.execPath, ["relay/dist/tools/migrate.js"], env)]);
    expect(a.stdout).toBe(first.stdout);
    expect(b.stdout).toBe(first.stdout);
    const unreachable = await command(process.execPath, ["relay/dist/tools/migrate.js"], { ...env, DATABASE_URL: "postgres://postgres@127.0.0.1:1/test" });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trim().split("\n")).toHaveLength(1);
    expect(unreachable.stderr).toContain("DATABASE_URL");
  });
});
