import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { consentKey, consentOf, DEFINITION_SECTION_ID, draftConsent, type CreateWorkshopResponse } from "@crosswalk/shared";
import mammoth from "mammoth";
import { describe, expect, it } from "vitest";
import { connectClient } from "../helpers/client.js";
import { startRelay } from "../helpers/relay.js";
import { tmpDir } from "../helpers/tmpDir.js";

const run = promisify(execFile);

async function sample(url: string): Promise<CreateWorkshopResponse> {
  const res = await fetch(`${url}/api/workshops/sample`, { method: "POST" });
  return (await res.json()) as CreateWorkshopResponse;
}

describe("GET /api/workshops/:id/export", () => {
  it("downloads every format with the right type and a file name from the title and date; readers open them", async () => {
    const relay = await startRelay();
    const w = await sample(relay.url);
    const get = (q: string) => fetch(`${relay.url}/api/workshops/${w.id}/export?${q}&token=${w.tokens.observer}`);

    const docx = await get("format=docx&scope=all&appendices=consent,crosswalk");
    expect(docx.status).toBe(200);
    expect(docx.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(docx.headers.get("content-disposition")).toMatch(/^attachment; filename="eastside-unified-equity-centered-leader-pathway-\d{4}-\d{2}-\d{2}\.docx"$/);
    const html = (await mammoth.convertToHtml({ buffer: Buffer.from(await docx.arrayBuffer()) })).value;
    // Sections are Word's Heading 1 (the title page uses the Title style), portrait domains Heading 2.
    expect(html).toContain("<h1>Equity definition</h1>");
    expect(html).toContain("<h2>Reflective practice</h2>");
    expect(html).toContain("<h3>Look-fors</h3>");
    expect(html).toContain("Examines own beliefs and role in sustaining privilege");

    const pdf = await get("format=pdf&scope=all");
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const file = path.join(tmpDir(), "export.pdf");
    fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const { stdout } = await run("pdftotext", [file, "-"]);
    expect(stdout).toContain("Portrait of an Equity-Centered Leader");
    expect(stdout).toContain("Eastside Families United");

    const md = await (await get("format=md&scope=all")).text();
    expect(md).toMatch(/^## Equity definition/m);
    const page = await (await get("format=html&scope=all")).text();
    expect(page).toMatch(/<h2[^>]*>Equity definition<\/h2>/);
    expect(page).not.toMatch(/<script/i);
  });

  it("scope=agreed holds only agreed sections, and says so in words when nothing is agreed yet", async () => {
    const relay = await startRelay();
    const w = await sample(relay.url);
    const nothing = await (await fetch(`${relay.url}/api/workshops/${w.id}/export?format=md&token=${w.tokens.observer}`)).text();
    expect(nothing).toMatch(/Nothing has been agreed yet/);
    expect(nothing).not.toMatch(/^## Equity definition/m);
    // Every organization endorses the shared definition: it becomes agreed and alone is exported.
    for (const org of w.organizations) {
      const c = await connectClient(relay, w.id, w.tokens.participants[org.id]!);
      const drafted = await draftConsent(c.doc, DEFINITION_SECTION_ID, org.id, "endorse", "", "x");
      if (!drafted.ok) throw new Error(drafted.message);
      consentOf(c.doc).set(consentKey(DEFINITION_SECTION_ID, org.id), drafted.value);
      await c.waitSaved();
      c.destroy();
    }
    const agreed = await (await fetch(`${relay.url}/api/workshops/${w.id}/export?format=md&scope=agreed&token=${w.tokens.observer}`)).text();
    expect(agreed).toMatch(/^## Equity definition/m);
    expect(agreed).not.toMatch(/^## Portrait of an Equity-Centered Leader/m);
  });

  it("400 for an unknown format, scope or appendix; 404 for an unknown version; a version's label on its title page", async () => {
    const relay = await startRelay();
    const w = await sample(relay.url);
    const q = (s: string) => fetch(`${relay.url}/api/workshops/${w.id}/export?${s}&token=${w.tokens.facilitator}`);
    for (const bad of ["format=rtf", "format=md&scope=some", "format=md&appendices=gossip"]) {
      const res = await q(bad);
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("bad_request");
    }
    expect((await q("format=md&version=nope")).status).toBe(404);
    const saved = await fetch(`${relay.url}/api/workshops/${w.id}/versions`, {
      method: "POST",
      headers: { authorization: `Bearer ${w.tokens.facilitator}`, "content-type": "application/json" },
      body: JSON.stringify({ label: "Retreat draft, 26 January" }),
    });
    const { id } = (await saved.json()) as { id: string };
    const md = await (await q(`format=md&scope=all&version=${id}`)).text();
    expect(md).toContain("Retreat draft, 26 January");
  });
});
