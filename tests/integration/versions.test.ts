import { compareSection, DEFINITION_SECTION_ID, deletionLookup, sectionFragment, sectionText } from "@crosswalk/shared";
import { Document, HeadingLevel, Packer, Paragraph } from "docx";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { connectClient } from "../helpers/client.js";
import { createWorkshop, startRelay } from "../helpers/relay.js";
import { until } from "../helpers/until.js";

function textOf(doc: Y.Doc): Y.XmlText {
  const p = sectionFragment(doc, DEFINITION_SECTION_ID).get(0) as Y.XmlElement;
  if (!(p.get(0) instanceof Y.XmlText)) p.insert(0, [new Y.XmlText()]);
  return p.get(0) as Y.XmlText;
}

describe("versions", () => {
  it("a facilitator saves a named version; anyone lists and opens it; changes since are attributed to the organizations that made them", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const [d, u] = w.organizations;
    const district = await connectClient(relay, w.id, w.tokens.participants[d!.id]!);
    const uni = await connectClient(relay, w.id, w.tokens.participants[u!.id]!);
    textOf(district.doc).insert(0, "Equity means race does not predict outcomes.");
    await district.waitSaved();
    const save = (token: string, body: unknown) =>
      fetch(`${relay.url}/api/workshops/${w.id}/versions`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await save(w.tokens.participants[d!.id]!, { label: "Nope" })).status).toBe(403);
    expect((await save(w.tokens.facilitator, { label: "  " })).status).toBe(400);
    expect((await save(w.tokens.facilitator, { label: "x".repeat(201) })).status).toBe(400);
    const res = await save(w.tokens.facilitator, { label: "After morning session, 26 January", author: "Fatima" });
    expect(res.status).toBe(201);
    const version = (await res.json()) as { id: string; label: string; createdAt: number };
    expect(version.label).toBe("After morning session, 26 January");

    await until(() => sectionText(uni.doc, DEFINITION_SECTION_ID).includes("outcomes"), "text at the university");
    textOf(uni.doc).insert("Equity means ".length, "language, disability and ");
    await uni.waitSaved();
    await until(() => sectionText(district.doc, DEFINITION_SECTION_ID).includes("disability"), "insertion at the district");
    const t = textOf(district.doc);
    t.delete(t.toString().indexOf("does not predict "), "does not predict ".length);
    await district.waitSaved();

    const list = (await (await fetch(`${relay.url}/api/workshops/${w.id}/versions?token=${w.tokens.observer}`)).json()) as Array<{ id: string; label: string }>;
    expect(list.map((v) => v.label)).toEqual(["After morning session, 26 January"]);
    const stateRes = await fetch(`${relay.url}/api/workshops/${w.id}/versions/${version.id}`, { headers: { authorization: `Bearer ${w.tokens.observer}` } });
    expect(stateRes.headers.get("content-type")).toBe("application/octet-stream");
    const older = new Y.Doc();
    Y.applyUpdate(older, new Uint8Array(await stateRes.arrayBuffer()));
    expect(sectionText(older, DEFINITION_SECTION_ID)).toBe("Equity means race does not predict outcomes.");
    expect((await fetch(`${relay.url}/api/workshops/${w.id}/versions/nope?token=${w.tokens.observer}`)).status).toBe(404);

    const log = (await (await fetch(`${relay.url}/api/workshops/${w.id}/deletions?token=${w.tokens.observer}`)).json()) as Array<[number, number, number, string | null]>;
    const now = await connectClient(relay, w.id, w.tokens.observer);
    const pieces = compareSection(older, now.doc, DEFINITION_SECTION_ID, deletionLookup(log));
    expect(pieces.filter((p) => p.kind !== "same").map((p) => [p.kind, p.text, p.orgId])).toEqual([
      ["insert", "language, disability and ", u!.id],
      ["delete", "does not predict ", d!.id],
    ]);
  });
});

describe("import", () => {
  async function post(url: string, token: string, body: Uint8Array | string) {
    const res = await fetch(`${url}&token=${token}`, { method: "POST", body: typeof body === "string" ? body : Buffer.from(body), headers: { "content-type": "application/octet-stream" } });
    return { status: res.status, json: (await res.json()) as { html?: string; error?: { message: string } } };
  }

  it("turns a real .docx (made with docx) and Markdown into HTML for the editor; refuses corrupt, oversize files and observers", async () => {
    const relay = await startRelay({ env: { MAX_IMPORT_BYTES: "200000" } });
    const w = await createWorkshop(relay);
    const token = Object.values(w.tokens.participants)[0]!;
    const docx = await Packer.toBuffer(
      new Document({
        sections: [
          {
            children: [
              new Paragraph({ text: "District equity framework", heading: HeadingLevel.HEADING_1 }),
              new Paragraph({ text: "Our commitments", heading: HeadingLevel.HEADING_2 }),
              new Paragraph("Every student is known by name, strength and need."),
            ],
          },
        ],
      }),
    );
    const url = (format: string) => `${relay.url}/api/workshops/${w.id}/import?format=${format}`;
    const word = await post(url("docx"), token, new Uint8Array(docx));
    expect(word.status).toBe(200);
    expect(word.json.html).toContain("<h1>District equity framework</h1>");
    expect(word.json.html).toContain("<h2>Our commitments</h2>");
    expect(word.json.html).toContain("Every student is known by name, strength and need.");
    const md = await post(url("md"), token, "# Standard\n\n- access\n- <script>alert(1)</script>\n");
    expect(md.status).toBe(200);
    expect(md.json.html).toContain("<h1>Standard</h1>");
    expect(md.json.html).not.toContain("<script>");
    const corrupt = await post(url("docx"), token, new TextEncoder().encode("PK\u0003\u0004 not really a zip"));
    expect(corrupt.status).toBe(400);
    expect(corrupt.json.error?.message).toMatch(/could not be read/);
    const notWord = await post(url("docx"), token, "plain text");
    expect(notWord.status).toBe(400);
    const big = await post(url("md"), token, "x".repeat(300_000));
    expect(big.status).toBe(413);
    expect(big.json.error?.message).toMatch(/larger than/);
    expect((await post(url("md"), w.tokens.observer, "# hi")).status).toBe(403);
    expect((await post(url("pdf"), token, "x")).status).toBe(400);
  });
});
