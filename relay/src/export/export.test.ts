// DOCX and PDF exports (../shared/CONTRACT.md, `GET /api/workshops/:id/export`), each opened with
// a real reader: mammoth for Word files, poppler's pdftotext for PDFs.
import {
  analyzeWorkshop,
  anchorForQuote,
  annotationsOf,
  appendRichText,
  buildExportModel,
  consentKey,
  consentOf,
  DEFINITION_SECTION_ID,
  flagsOf,
  initializeWorkshop,
  PORTRAIT_SECTION_ID,
  reflectionsOf,
  SAMPLE_PARTNERSHIP,
  sectionFragment,
  sectionHash,
  type ConsentLevel,
  type ExportModel,
  type ExportOptions,
  type Organization,
  type RichNode,
} from "@crosswalk/shared";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mammoth from "mammoth";
import { parse } from "parse5";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { seedSample } from "../workshops/sample.js";
import { toDocx } from "./toDocx.js";
import { toPdf } from "./toPdf.js";

const DATE = new Date("2026-11-23T15:00:00Z");
const COLORS = ["#1b5e20", "#0d47a1", "#4a148c", "#b71c1c", "#e65100"];
const ORGS: Organization[] = SAMPLE_PARTNERSHIP.organizations.map((o, i) => ({ id: `org${i}`, name: o.name, kind: o.kind, color: COLORS[i] ?? "#000000" }));
const DOMAINS = SAMPLE_PARTNERSHIP.portrait.map((d) => d.domain);
const ACTIONS = SAMPLE_PARTNERSHIP.portrait.flatMap((d) => d.actions);
const LOOK_FORS = SAMPLE_PARTNERSHIP.portrait.flatMap((d) => d.lookFors);

const SCRIPT = "<script>alert(1)</script>";
const IMG = "<img src=x onerror=alert(1)>";
const FORMULA = '=HYPERLINK("http://evil","click")';
const ARABIC = "العدالة التعليمية تعني أن لكل طفل فرصة";
const HEBREW = "שוויון בחינוך פירושו הזדמנות לכל ילד";
const CHINESE = "教育公平意味着每个学生都有机会";
const GREEK_CYRILLIC = "Ισότητα στην εκπαίδευση и равенство в образовании";
const EMOJI = "🎓✊🏽👩🏿‍🏫";

function options(scope: ExportOptions["scope"]): ExportOptions {
  return { scope, appendices: { consent: true, reflections: true, annotations: true, crosswalk: true }, versionLabel: "Retreat draft, 26 January", date: DATE };
}

const text = (t: string, marks?: RichNode["marks"]): RichNode => (marks ? { type: "text", text: t, marks } : { type: "text", text: t });
const para = (...content: RichNode[]): RichNode => ({ type: "paragraph", content });
const item = (...content: RichNode[]): RichNode => ({ type: "listItem", content });

const FORMATTED: RichNode[] = [
  para(text("Leaders act "), text("boldly", [{ type: "bold" }]), text(" and "), text("with care", [{ type: "italic" }]), text(", "), text("underlined", [{ type: "underline" }]), text(", "), text("struck", [{ type: "strike" }]), text("; see "), text("the framework", [{ type: "link", attrs: { href: "https://example.org/framework" } }]), text(".")),
  { type: "orderedList", content: [item(para(text("First commitment"))), item(para(text("Second commitment")), { type: "bulletList", content: [item(para(text("Nested detail")))] })] },
];

function hostileBlocks(): RichNode[] {
  return [
    para(text(SCRIPT)),
    para(text(IMG)),
    para(text(FORMULA)),
    para(text("a link to "), text("javascript", [{ type: "link", attrs: { href: "javascript:alert(1)" } }]), text(" and to "), text("data", [{ type: "link", attrs: { href: "data:text/html,<script>alert(1)</script>" } }])),
    para(text(ARABIC)),
    para(text(HEBREW)),
    para(text(`English then ${HEBREW} then English`)),
    para(text(CHINESE)),
    para(text(GREEK_CYRILLIC)),
    para(text(`Emoji ${EMOJI}`)),
    { type: "bulletList", content: [item(para(text(IMG))), item(para(text(FORMULA)))] },
    para(text(Array.from({ length: 5000 }, (_, i) => `word${i}`).join(" "))),
    para(text(`unbroken${"x".repeat(400)}`)),
  ];
}

interface Fixture {
  agree?: boolean;
  definitionExtra?: RichNode[];
  recordText?: string;
}

/** The sample partnership as seedSample writes it, plus annotations, consent and a reflection round. */
async function workshop(fixture: Fixture = {}): Promise<Y.Doc> {
  const doc = new Y.Doc();
  initializeWorkshop(doc, { title: SAMPLE_PARTNERSHIP.title, template: "full", createdAt: DATE.getTime(), organizations: ORGS });
  seedSample(doc, ORGS);
  appendRichText(sectionFragment(doc, DEFINITION_SECTION_ID), [...FORMATTED, ...(fixture.definitionExtra ?? [])]);
  const extra = fixture.recordText ?? "";
  const quote = "race, language, disability and income";
  const anchor = anchorForQuote(doc, DEFINITION_SECTION_ID, quote);
  const [district, northgate] = ORGS.map((o) => o.id) as [string, string];
  annotationsOf(doc).set("a1", { id: "a1", sectionId: DEFINITION_SECTION_ID, orgId: northgate, author: "R.", stance: "alternative", dimensions: ["lgbtq"], body: `Name LGBTQ+ students too. ${extra}`, anchor, quote, createdAt: 1 });
  if (fixture.agree !== false) {
    const hash = await sectionHash(doc, DEFINITION_SECTION_ID);
    const levels: ConsentLevel[] = ["endorse", "endorse-with-reservations", "can-live-with", "endorse", "endorse"];
    ORGS.forEach((o, i) =>
      consentOf(doc).set(consentKey(DEFINITION_SECTION_ID, o.id), { sectionId: DEFINITION_SECTION_ID, orgId: o.id, level: levels[i] ?? "endorse", author: "F.", at: DATE.getTime(), contentHash: hash, ...(i === 1 ? { note: `Reservations noted. ${extra}` } : {}) }),
    );
  }
  const portraitHash = await sectionHash(doc, PORTRAIT_SECTION_ID);
  consentOf(doc).set(consentKey(PORTRAIT_SECTION_ID, district), { sectionId: PORTRAIT_SECTION_ID, orgId: district, level: "needs-discussion", author: "F.", at: DATE.getTime(), contentHash: portraitHash });
  flagsOf(doc).set("f1", { id: "f1", sectionId: DEFINITION_SECTION_ID, anchor, quote, title: `Which groups? ${extra}`, raisedBy: "F.", status: "closed", outcome: "agree-to-differ", outcomeNote: "Race first for the district; more groups for the universities.", createdAt: 1 });
  reflectionsOf(doc).set("r1", { id: "r1", flagId: "f1", orgId: district, author: "D.", kind: "perspective-making", text: "We lead with race because race predicts outcomes here.", createdAt: 2 });
  reflectionsOf(doc).set("r2", { id: "r2", flagId: "f1", orgId: northgate, author: "N.", kind: "perspective-taking", aboutOrgId: district, text: `We hear that naming race first keeps it from being diluted. ${extra}`, createdAt: 3 });
  return doc;
}

async function model(doc: Y.Doc, scope: ExportOptions["scope"]): Promise<ExportModel> {
  return buildExportModel(doc, await analyzeWorkshop(doc), options(scope));
}

// ---------------------------------------------------------------- readers

const dir = mkdtempSync(join(tmpdir(), "crosswalk-export-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** The PDF's text as pdftotext (poppler) extracts it; pages end with a form feed. */
function pdfText(pdf: Buffer): string {
  const file = join(dir, `export-${files++}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

/** Text with line wrapping undone and poppler's bidi embedding marks removed, for searching. */
function flat(text: string): string {
  return text.replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "").replace(/\s+/g, " ");
}

type P5Node = { nodeName: string; tagName?: string; value?: string; attrs?: Array<{ name: string; value: string }>; childNodes?: P5Node[] };

function elements(html: string): P5Node[] {
  const out: P5Node[] = [];
  const walk = (n: P5Node): void => {
    if (n.tagName) out.push(n);
    for (const c of n.childNodes ?? []) walk(c);
  };
  walk(parse(html) as unknown as P5Node);
  return out;
}

function textOf(node: P5Node): string {
  if (node.nodeName === "#text") return node.value ?? "";
  return (node.childNodes ?? []).map(textOf).join("");
}

const byTag = (html: string, tag: string): string[] => elements(html).filter((e) => e.tagName === tag).map((e) => textOf(e).trim());

async function docxRead(docx: Buffer): Promise<{ raw: string; html: string }> {
  const [raw, html] = await Promise.all([mammoth.extractRawText({ buffer: docx }), mammoth.convertToHtml({ buffer: docx })]);
  return { raw: raw.value, html: html.value };
}

// ---------------------------------------------------------------- DOCX

describe("DOCX export (read back with mammoth)", () => {
  it("title page, Word headings, the portrait's domains, actions and look-fors as list items, marks, links, appendix tables", async () => {
    const docx = await toDocx(await model(await workshop(), "all"));
    expect(docx.subarray(0, 2).toString()).toBe("PK");
    const { raw, html } = await docxRead(docx);
    for (const t of [SAMPLE_PARTNERSHIP.title, ...ORGS.map((o) => o.name), "Exported 2026-11-23", "Version: Retreat draft, 26 January"]) expect(raw).toContain(t);
    expect(byTag(html, "h1")).toEqual(expect.arrayContaining(["Equity definition", "Portrait of an Equity-Centered Leader", `${ORGS[0]?.name}'s current definition`, "Appendix A: Consent record"]));
    expect(byTag(html, "h2")).toEqual(expect.arrayContaining(DOMAINS));
    expect(byTag(html, "h3")).toEqual(expect.arrayContaining(["Leadership actions", "Look-fors"]));
    const items = byTag(html, "li");
    for (const t of [...ACTIONS, ...LOOK_FORS, "First commitment"]) expect(items.some((li) => li.startsWith(t))).toBe(true);
    expect(html).toMatch(/<ol><li>First commitment<\/li><li>Second commitment<ul><li>Nested detail<\/li><\/ul><\/li><\/ol>/);
    expect(byTag(html, "strong")).toContain("boldly");
    expect(byTag(html, "em")).toContain("with care");
    expect(byTag(html, "s")).toContain("struck");
    expect(elements(html).find((e) => e.tagName === "a")?.attrs).toEqual([{ name: "href", value: "https://example.org/framework" }]);
    expect(byTag(html, "table").length).toBeGreaterThanOrEqual(3);
    expect(raw).toContain("We hear that naming race first keeps it from being diluted.");
    expect(raw).toContain("Agree to differ");
  });

  it("scope agreed holds only agreed sections; with nothing agreed it says so in words", async () => {
    const agreed = await docxRead(await toDocx(await model(await workshop(), "agreed")));
    expect(byTag(agreed.html, "h1")).toContain("Equity definition");
    expect(byTag(agreed.html, "h1")).not.toContain("Portrait of an Equity-Centered Leader");
    expect(agreed.raw).not.toContain(ACTIONS[0]);
    expect(agreed.raw).toContain("Not yet agreed, and so left out:");

    const none = await docxRead(await toDocx(await model(await workshop({ agree: false }), "agreed")));
    expect(none.raw).toContain("Nothing has been agreed yet.");
    expect(none.raw).toContain(SAMPLE_PARTNERSHIP.title);
    expect(none.raw).not.toContain(ACTIONS[0]);
  });
});

// ---------------------------------------------------------------- PDF

describe("PDF export (read back with pdftotext)", () => {
  it("title, section and domain headings, bullet items, numbered items, appendix tables, page numbers", async () => {
    const pdf = await toPdf(await model(await workshop(), "all"));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const raw = pdfText(pdf);
    const text = flat(raw);
    for (const t of [SAMPLE_PARTNERSHIP.title, ...ORGS.map((o) => o.name), "Equity definition", "Portrait of an Equity-Centered Leader", ...DOMAINS, "Leadership actions", "Look-fors", ...ACTIONS, ...LOOK_FORS]) {
      expect(text).toContain(t);
    }
    expect(text).toContain(`• ${ACTIONS[0]}`);
    expect(text).toContain("1. First commitment");
    expect(text).toContain("Appendix A: Consent record");
    expect(text).toContain("Endorse with reservations");
    expect(text).toMatch(/Page 2 of \d+/);
    // The title page stands alone: the first page has no section text.
    expect(raw.split("\f")[0]).not.toContain(SAMPLE_PARTNERSHIP.sharedDraft.slice(0, 40));
  });

  it("scope agreed with nothing agreed still says so in words", async () => {
    const text = flat(pdfText(await toPdf(await model(await workshop({ agree: false }), "agreed"))));
    expect(text).toContain("Nothing has been agreed yet.");
    expect(text).toContain("Portrait of an Equity-Centered Leader (blocked)");
    expect(text).not.toContain(ACTIONS[0]);
  });
});

// ---------------------------------------------------------------- hostile

describe("a hostile workshop", () => {
  const hostile = (): Promise<Y.Doc> => workshop({ definitionExtra: hostileBlocks(), recordText: `${SCRIPT} ${IMG} ${FORMULA}` });

  it("DOCX: exports; markup and formulas are plain text, in table cells too; non-Latin text and emoji kept", async () => {
    const { raw, html } = await docxRead(await toDocx(await model(await hostile(), "all")));
    for (const t of [SCRIPT, IMG, FORMULA, ARABIC, HEBREW, CHINESE, GREEK_CYRILLIC, EMOJI, "word4999"]) expect(raw).toContain(t);
    expect(byTag(html, "td").some((c) => c.includes(FORMULA))).toBe(true);
    expect(byTag(html, "td").some((c) => c.includes(IMG))).toBe(true);
    for (const el of elements(html)) {
      expect(["script", "img", "iframe"]).not.toContain(el.tagName);
      for (const a of el.attrs ?? []) if (a.name === "href") expect(a.value).toMatch(/^(https?:|mailto:|#)/);
    }
  });

  it("PDF: exports; the text is extractable, right-to-left text reads in order, no action but http(s) links", async () => {
    const pdf = await toPdf(await model(await hostile(), "all"));
    const text = flat(pdfText(pdf));
    for (const t of [SCRIPT, IMG, FORMULA, GREEK_CYRILLIC, "word4999", "Emoji"]) expect(text).toContain(t);
    // DejaVu has no CJK or emoji glyphs: the title page says so instead of leaving boxes unexplained.
    expect(text).toContain("This PDF's font cannot show some of the document's text (Chinese, Japanese or Korean characters, emoji); those characters appear as empty boxes.");
    // Whole sentences, in logical order, as poppler reassembles them from the drawn glyphs.
    expect(text).toContain(HEBREW);
    expect(text).toContain(ARABIC);
    // (poppler drops the space after a right-to-left run inside left-to-right text when it reorders; the glyphs are spaced.)
    expect(text).toMatch(new RegExp(`English then ${HEBREW} ?then English`));
    const body = pdf.toString("latin1");
    expect(body).not.toMatch(/\/(JavaScript|JS|Launch|SubmitForm|ImportData)\b/);
    for (const [, uri] of body.matchAll(/\/URI \(([^)]*)\)/g)) expect(uri).toMatch(/^(https?:|mailto:)/);
  });
});

// ---------------------------------------------------------------- size

describe("a fifty-page workshop", () => {
  it("exports to DOCX and PDF in reasonable time", async () => {
    const words = (n: number, seed: number): string => Array.from({ length: n }, (_, i) => ["equity", "leaders", "students", "families", "access", "belonging"][(i + seed) % 6]).join(" ");
    const doc = new Y.Doc();
    initializeWorkshop(doc, {
      title: "Fifty pages",
      template: "full",
      createdAt: 0,
      organizations: ORGS,
      orgDefinitions: Object.fromEntries(ORGS.map((o, i) => [o.id, Array.from({ length: 12 }, (_, p) => words(120, i + p)).join("\n\n")])),
      sharedDraft: Array.from({ length: 40 }, (_, p) => words(150, p)).join("\n\n"),
      portrait: Array.from({ length: 12 }, (_, d) => ({ domain: `Domain ${d + 1}`, actions: Array.from({ length: 8 }, (_, i) => words(30, d + i)), lookFors: Array.from({ length: 8 }, (_, i) => words(25, d * i)) })),
    });
    const m = await model(doc, "all");
    let started = performance.now();
    const docx = await toDocx(m);
    const docxMs = performance.now() - started;
    started = performance.now();
    const pdf = await toPdf(m);
    const pdfMs = performance.now() - started;
    const pages = pdfText(pdf).split("\f").length - 1;
    console.log(`50-page workshop: DOCX ${Math.round(docx.length / 1024)} KiB in ${docxMs.toFixed(0)} ms; PDF ${pages} pages, ${Math.round(pdf.length / 1024)} KiB in ${pdfMs.toFixed(0)} ms`);
    expect(pages).toBeGreaterThanOrEqual(40);
  }, 60_000);
});
