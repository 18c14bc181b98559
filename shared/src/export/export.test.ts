// The pure half of the export pipeline (../shared/CONTRACT.md, `GET /api/workshops/:id/export`):
// the model, Markdown and HTML, each opened with a real reader (markdown-it, parse5).
import { createHash } from "node:crypto";
import MarkdownIt from "markdown-it";
import { parse } from "parse5";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  analyzeWorkshop,
  anchorForQuote,
  annotationsOf,
  appendRichText,
  buildExportModel,
  consentKey,
  consentOf,
  DEFINITION_SECTION_ID,
  EXPORT_FORMATS,
  exportFileName,
  flagsOf,
  HTML_STYLE,
  HTML_STYLE_HASH,
  initializeWorkshop,
  metaOf,
  orgDefinitionSectionId,
  PORTRAIT_SECTION_ID,
  reflectionsOf,
  safeHref,
  SAMPLE_PARTNERSHIP,
  sectionFragment,
  sectionHash,
  textDirection,
  toHtml,
  toMarkdown,
  type ConsentLevel,
  type ExportOptions,
  type Organization,
  type RichNode,
  type Stance,
} from "../index.js";

const COLORS = ["#1b5e20", "#0d47a1", "#4a148c", "#b71c1c", "#e65100"];
const ORGS: Organization[] = SAMPLE_PARTNERSHIP.organizations.map((o, i) => ({ id: o.key, name: o.name, kind: o.kind, color: COLORS[i] ?? "#000000" }));
const [DISTRICT, NORTHGATE, RIVERSIDE, STATE, COMMUNITY] = ORGS.map((o) => o.id) as [string, string, string, string, string];
const DATE = new Date("2026-11-23T15:00:00Z");

function options(scope: ExportOptions["scope"], extra: Partial<ExportOptions> = {}): ExportOptions {
  return { scope, appendices: { consent: true, reflections: true, annotations: true, crosswalk: true }, versionLabel: "Retreat draft, 26 January", date: DATE, ...extra };
}

const text = (t: string, marks?: RichNode["marks"]): RichNode => (marks ? { type: "text", text: t, marks } : { type: "text", text: t });
const para = (...content: RichNode[]): RichNode => ({ type: "paragraph", content });
const item = (...content: RichNode[]): RichNode => ({ type: "listItem", content });

/** Bold, italic, underline, strike, code and a link, and a numbered list with a nested bullet list. */
const FORMATTED: RichNode[] = [
  para(
    text("Leaders act "),
    text("boldly", [{ type: "bold" }]),
    text(" and "),
    text("with care", [{ type: "italic" }]),
    text(", "),
    text("underlined", [{ type: "underline" }]),
    text(", "),
    text("struck", [{ type: "strike" }]),
    text(", "),
    text("code()", [{ type: "code" }]),
    text(" — see "),
    text("the framework", [{ type: "link", attrs: { href: "https://example.org/framework" } }]),
    text("."),
  ),
  {
    type: "orderedList",
    attrs: { start: 1 },
    content: [item(para(text("First commitment"))), item(para(text("Second commitment")), { type: "bulletList", content: [item(para(text("Nested detail")))] })],
  },
];

function writeConsent(doc: Y.Doc, sectionId: string, orgId: string, level: ConsentLevel, hash: string, note?: string): void {
  consentOf(doc).set(consentKey(sectionId, orgId), { sectionId, orgId, level, author: "Facilitator", at: DATE.getTime() - 3_600_000, contentHash: hash, ...(note ? { note } : {}) });
}

let serial = 0;
function annotate(doc: Y.Doc, sectionId: string, orgId: string, quote: string, stance: Stance, body: string, dimensions: string[] = []): void {
  const anchor = anchorForQuote(doc, sectionId, quote);
  if (!anchor) throw new Error(`quote not in section: ${quote}`);
  const id = `a${serial++}`;
  annotationsOf(doc).set(id, { id, sectionId, orgId, author: "Someone", stance, dimensions, body, anchor, quote, createdAt: serial });
}

interface Fixture {
  /** Extra blocks appended to the shared definition before consent is given. */
  definitionExtra?: RichNode[];
  /** Whether every organization consents to the shared definition. */
  agree?: boolean;
  /** Hostile strings for records (annotation comment, consent note, flag title, reflection text). */
  recordText?: string;
  title?: string;
}

/** The sample partnership as a workshop, with annotations, consent, a flag and its reflection round. */
async function workshop(fixture: Fixture = {}): Promise<Y.Doc> {
  const doc = new Y.Doc();
  initializeWorkshop(doc, {
    title: fixture.title ?? SAMPLE_PARTNERSHIP.title,
    template: "full",
    createdAt: DATE.getTime(),
    organizations: ORGS,
    orgDefinitions: Object.fromEntries(SAMPLE_PARTNERSHIP.organizations.map((o) => [o.key, o.definition])),
    sharedDraft: SAMPLE_PARTNERSHIP.sharedDraft,
    portrait: SAMPLE_PARTNERSHIP.portrait,
  });
  appendRichText(sectionFragment(doc, DEFINITION_SECTION_ID), [...FORMATTED, ...(fixture.definitionExtra ?? [])]);
  const extra = fixture.recordText ?? "";
  annotate(doc, DEFINITION_SECTION_ID, NORTHGATE, "race, language, disability and income", "alternative", `Name LGBTQ+ students and intersectionality too. ${extra}`, ["lgbtq", "intersectionality"]);
  annotate(doc, DEFINITION_SECTION_ID, DISTRICT, "race, language, disability and income", "endorse", "Race first, as our board resolution says.", ["race-ethnicity"]);
  annotate(doc, PORTRAIT_SECTION_ID, COMMUNITY, "Shares decisions with families", "concern", "Families must help design the structures.", ["family-community"]);
  if (fixture.agree !== false) {
    const hash = await sectionHash(doc, DEFINITION_SECTION_ID);
    const levels: ConsentLevel[] = ["endorse", "endorse-with-reservations", "can-live-with", "endorse", "endorse"];
    ORGS.forEach((o, i) => writeConsent(doc, DEFINITION_SECTION_ID, o.id, levels[i] ?? "endorse", hash, i === 1 ? `We still want LGBTQ+ students named. ${extra}` : undefined));
  }
  const portraitHash = await sectionHash(doc, PORTRAIT_SECTION_ID);
  writeConsent(doc, PORTRAIT_SECTION_ID, COMMUNITY, "needs-discussion", portraitHash, "Family voice is missing from the look-fors.");
  writeConsent(doc, PORTRAIT_SECTION_ID, DISTRICT, "endorse", "0".repeat(64));
  const quote = "race, language, disability and income";
  flagsOf(doc).set("f1", {
    id: "f1",
    sectionId: DEFINITION_SECTION_ID,
    anchor: anchorForQuote(doc, DEFINITION_SECTION_ID, quote),
    quote,
    title: `Which groups does the definition name? ${extra}`,
    raisedBy: "Facilitator",
    status: "closed",
    outcome: "agree-to-differ",
    outcomeNote: "The district keeps race first; the universities will name more groups in their programs.",
    createdAt: 1,
  });
  const statements: Array<[string, "perspective-making" | "perspective-taking", string, string?]> = [
    [DISTRICT, "perspective-making", "We lead with race because race is what predicts outcomes in Eastside."],
    [NORTHGATE, "perspective-making", `We mean every student who is marginalized, in their intersections. ${extra}`],
    [NORTHGATE, "perspective-taking", "We hear the district saying that naming race first keeps it from being diluted.", DISTRICT],
    [STATE, "perspective-making", "We adopted the state's broad definition so every district can use it."],
  ];
  statements.forEach(([orgId, kind, t, about], i) =>
    reflectionsOf(doc).set(`r${i}`, { id: `r${i}`, flagId: "f1", orgId, author: "Someone", kind, text: t, createdAt: 10 + i, ...(about ? { aboutOrgId: about } : {}) }),
  );
  return doc;
}

// ---------------------------------------------------------------- readers

type P5Node = { nodeName: string; tagName?: string; value?: string; attrs?: Array<{ name: string; value: string }>; childNodes?: P5Node[]; content?: P5Node };

function walk(node: P5Node, visit: (n: P5Node) => void): void {
  visit(node);
  for (const child of node.childNodes ?? []) walk(child, visit);
  if (node.content) walk(node.content, visit); // <template> contents
}

function elements(html: string): P5Node[] {
  const out: P5Node[] = [];
  walk(parse(html) as unknown as P5Node, (n) => {
    if (n.tagName) out.push(n);
  });
  return out;
}

function textOf(node: P5Node): string {
  let s = "";
  walk(node, (n) => {
    if (n.nodeName === "#text") s += n.value ?? "";
  });
  return s;
}

const byTag = (html: string, tag: string): string[] => elements(html).filter((e) => e.tagName === tag).map((e) => textOf(e).trim());

const FORBIDDEN_TAGS = new Set(["script", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "form", "img", "svg", "math", "video", "audio", "link", "input", "button"]);

/** Walks the whole tree: nothing that runs, loads or submits. */
function assertNothingExecutable(html: string): void {
  for (const el of elements(html)) {
    expect(FORBIDDEN_TAGS.has(el.tagName ?? ""), `<${el.tagName}>`).toBe(false);
    for (const attr of el.attrs ?? []) {
      expect(attr.name.toLowerCase().startsWith("on"), `attribute ${attr.name}`).toBe(false);
      expect(attr.name.toLowerCase(), "no style attributes").not.toBe("style");
      if (["href", "src", "action", "formaction", "xlink:href", "poster", "srcset"].includes(attr.name.toLowerCase())) {
        // Browsers ignore whitespace and control characters inside a scheme.
        // eslint-disable-next-line no-control-regex -- stripping them is the point
        const value = attr.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
        expect(value.startsWith("javascript:") || value.startsWith("data:") || value.startsWith("vbscript:"), `${attr.name}=${attr.value}`).toBe(false);
        if (attr.name === "href") expect(/^(https?:\/\/|mailto:)/.test(value), `href=${attr.value}`).toBe(true);
      }
    }
    if (el.tagName === "meta") {
      const equiv = el.attrs?.find((a) => a.name === "http-equiv")?.value.toLowerCase();
      expect(equiv === undefined || equiv === "content-security-policy").toBe(true);
    }
  }
}

const md = new MarkdownIt({ html: false });
const mdWithHtml = new MarkdownIt({ html: true });

// ---------------------------------------------------------------- tests

describe("export model", () => {
  it("scope agreed keeps only the agreed sections and names what it left out", async () => {
    const doc = await workshop();
    const model = buildExportModel(doc, await analyzeWorkshop(doc), options("agreed"));
    expect(model.sections.map((s) => s.id)).toEqual([DEFINITION_SECTION_ID]);
    expect(model.sections[0]?.status).toBe("agreed");
    expect(model.sections[0]?.statusNote).toContain("Agreed by every organization");
    expect(model.sections[0]?.statusNote).toContain("Endorse with reservations: Northgate University School of Education");
    expect(model.nothingAgreed).toBe(false);
    expect(model.omitted).toContainEqual({ id: PORTRAIT_SECTION_ID, title: "Portrait of an Equity-Centered Leader", status: "blocked" });
    expect(model.omitted).toContainEqual(expect.objectContaining({ id: orgDefinitionSectionId(RIVERSIDE), status: "pending" }));
    expect(model).toMatchObject({ title: SAMPLE_PARTNERSHIP.title, date: "2026-11-23", versionLabel: "Retreat draft, 26 January", scope: "agreed" });
    expect(model.organizations.map((o) => o.name)).toEqual(ORGS.map((o) => o.name));
    // Appendices cover the exported sections only: the portrait's annotation is not there.
    const comments = model.appendices.annotations?.byOrganization.flatMap((o) => o.annotations.map((a) => a.comment)) ?? [];
    expect(comments.some((c) => c.includes("Families must help design"))).toBe(false);
    expect(model.appendices.consent?.rows).toHaveLength(ORGS.length);
  });

  it("scope all keeps every section with its status in words", async () => {
    const doc = await workshop();
    const model = buildExportModel(doc, await analyzeWorkshop(doc), options("all"));
    expect(model.sections.map((s) => s.id)).toEqual([...ORGS.map((o) => orgDefinitionSectionId(o.id)), DEFINITION_SECTION_ID, PORTRAIT_SECTION_ID]);
    const portrait = model.sections.find((s) => s.id === PORTRAIT_SECTION_ID);
    expect(portrait?.status).toBe("blocked");
    expect(portrait?.statusNote).toContain("Eastside Families United needs discussion");
    expect(portrait?.statusNote).toContain("Eastside Unified School District consented to an earlier text");
    expect(model.omitted).toEqual([]);
    expect(model.nothingAgreed).toBe(false);
  });

  it("the appendices: consent rows, the reflection record in each organization's words, annotation counts, the crosswalk", async () => {
    const doc = await workshop();
    const { appendices } = buildExportModel(doc, await analyzeWorkshop(doc), options("all"));
    expect(appendices.consent?.title).toBe("Appendix A: Consent record");
    const stale = appendices.consent?.rows.find((r) => r.sectionId === PORTRAIT_SECTION_ID && r.organization === ORGS[0]?.name);
    expect(stale).toMatchObject({ level: "endorse", stale: true, date: "2026-11-23" });
    const missing = appendices.consent?.rows.find((r) => r.sectionId === PORTRAIT_SECTION_ID && r.organization === ORGS[2]?.name);
    expect(missing).toMatchObject({ level: null, levelLabel: "No consent recorded", date: null });

    const flag = appendices.reflections?.flags[0];
    expect(flag).toMatchObject({ outcome: "agree-to-differ", outcomeLabel: "Agree to differ", section: "Equity definition" });
    expect(flag?.voices.map((v) => v.organization)).toEqual([ORGS[0]?.name, ORGS[1]?.name, ORGS[3]?.name]);
    const northgate = flag?.voices.find((v) => v.orgId === NORTHGATE);
    expect(northgate?.statements.map((s) => s.label)).toEqual(["What we mean", "What we hear Eastside Unified School District saying"]);

    const northgateNotes = appendices.annotations?.byOrganization.find((o) => o.orgId === NORTHGATE);
    expect(northgateNotes?.counts).toEqual({ endorse: 0, question: 0, concern: 0, alternative: 1, note: 0 });
    expect(northgateNotes?.annotations[0]?.dimensions).toEqual(["LGBTQ+ (sexual orientation, gender identity)", "Intersectionality"]);

    const crosswalk = appendices.crosswalk;
    expect(crosswalk?.rows.map((r) => r.label)).toEqual([...ORGS.map((o) => `${o.name}'s definition`), "Shared draft"]);
    const race = crosswalk?.columns.findIndex((c) => c.id === "race-ethnicity") ?? -1;
    expect(crosswalk?.rows[0]?.cells[race]).toMatchObject({ named: true });
    expect(crosswalk?.columns[race]?.divergent).toBe(true);
  });

  it("asks for no appendix, gets none", async () => {
    const doc = await workshop();
    const model = buildExportModel(doc, await analyzeWorkshop(doc), options("all", { appendices: { consent: false, reflections: false, annotations: false, crosswalk: false } }));
    expect(model.appendices).toEqual({});
  });

  it("dates are calendar days in the time zone asked for", async () => {
    const doc = await workshop();
    const late = new Date("2026-11-24T02:00:00Z");
    const analysis = await analyzeWorkshop(doc);
    expect(buildExportModel(doc, analysis, options("agreed", { date: late })).date).toBe("2026-11-24");
    expect(buildExportModel(doc, analysis, options("agreed", { date: late, timeZone: "America/Los_Angeles" })).date).toBe("2026-11-23");
    expect(buildExportModel(doc, analysis, options("agreed", { date: late, timeZone: "Not/AZone" })).date).toBe("2026-11-24");
  });
});

describe("file names and formats", () => {
  it("an ASCII slug of the title, the date and the extension", () => {
    expect(exportFileName(SAMPLE_PARTNERSHIP.title, "2026-11-23", "docx")).toBe("eastside-unified-equity-centered-leader-pathway-2026-11-23.docx");
    expect(exportFileName("Équité à l'école", "2026-11-23", "pdf")).toBe("equite-a-l-ecole-2026-11-23.pdf");
    expect(exportFileName("", "2026-11-23", "md")).toBe("crosswalk-export-2026-11-23.md");
    expect(exportFileName("教育公平 🎓", "2026-11-23", "html")).toBe("crosswalk-export-2026-11-23.html");
    expect(exportFileName("x", "not a date", "md")).toBe("x.md");
  });

  it("never holds a character a Content-Disposition header could trip on, and stays short", () => {
    for (const title of ['"; filename=evil.exe\r\nX-Evil: 1', "../../etc/passwd", "a".repeat(500), "word ".repeat(100), "\u0000\u202e"]) {
      const name = exportFileName(title, "2026-11-23", "docx");
      expect(name).toMatch(/^[a-z0-9][a-z0-9-]*\.docx$/);
      expect(name.length).toBeLessThanOrEqual(80);
    }
  });

  it("Content-Types", () => {
    expect(EXPORT_FORMATS.md.contentType).toBe("text/markdown; charset=utf-8");
    expect(EXPORT_FORMATS.html.contentType).toBe("text/html; charset=utf-8");
    expect(EXPORT_FORMATS.pdf.contentType).toBe("application/pdf");
    expect(EXPORT_FORMATS.docx.contentType).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  });

  it("links: only absolute http(s) and mailto survive, quotes encoded", () => {
    expect(safeHref("https://example.org/a?b=1#c")).toBe("https://example.org/a?b=1#c");
    expect(safeHref("mailto:team@example.org")).toBe("mailto:team@example.org");
    expect(safeHref('https://ok.example/"onmouseover="x')).toBe("https://ok.example/%22onmouseover=%22x");
    for (const bad of ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,<script>", "vbscript:x", "/relative", "https://", "http://a b", 42, null]) expect(safeHref(bad)).toBeNull();
  });

  it("text direction by the first letter", () => {
    expect(textDirection("العدالة")).toBe("rtl");
    expect(textDirection("2026: שוויון")).toBe("rtl");
    expect(textDirection("Equity שוויון")).toBe("ltr");
    expect(textDirection("教育")).toBe("ltr");
    expect(textDirection("123 🎓")).toBeNull();
  });
});

describe("HTML export", () => {
  it("is a standalone HTML5 document: title page, h1-h4 headings, marks, lists, appendix tables", async () => {
    const doc = await workshop();
    const html = toHtml(buildExportModel(doc, await analyzeWorkshop(doc), options("all")));
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(byTag(html, "h1")).toEqual([SAMPLE_PARTNERSHIP.title]);
    expect(byTag(html, "h2")).toEqual(expect.arrayContaining(["Equity definition", "Portrait of an Equity-Centered Leader", "Appendix A: Consent record", "Appendix D: Equity dimensions crosswalk"]));
    expect(byTag(html, "h3")).toEqual(expect.arrayContaining(SAMPLE_PARTNERSHIP.portrait.map((d) => d.domain)));
    expect(byTag(html, "h4")).toEqual(expect.arrayContaining(["Leadership actions", "Look-fors"]));
    const items = byTag(html, "li");
    for (const action of SAMPLE_PARTNERSHIP.portrait.flatMap((d) => [...d.actions, ...d.lookFors])) expect(items).toContain(action);
    expect(items).toEqual(expect.arrayContaining(ORGS.map((o) => expect.stringContaining(o.name))));
    expect(byTag(html, "strong")).toContain("boldly");
    expect(byTag(html, "em")).toContain("with care");
    expect(byTag(html, "u")).toContain("underlined");
    expect(byTag(html, "s")).toContain("struck");
    expect(byTag(html, "code")).toContain("code()");
    const link = elements(html).find((e) => e.tagName === "a");
    expect(link?.attrs).toEqual(expect.arrayContaining([{ name: "href", value: "https://example.org/framework" }]));
    const ol = elements(html).find((e) => e.tagName === "ol");
    expect(ol && textOf(ol)).toContain("Nested detail");
    expect(byTag(html, "table").length).toBeGreaterThanOrEqual(3);
    expect(byTag(html, "th")).toEqual(expect.arrayContaining(["Section", "Organization", "Consent", "Note", "Date"]));
    const body = textOf(elements(html).find((e) => e.tagName === "body") as P5Node);
    expect(body).toContain("Retreat draft, 26 January");
    expect(body).toContain("We lead with race because race is what predicts outcomes in Eastside.");
    assertNothingExecutable(html);
  });

  it("carries a strict CSP whose style hash matches the stylesheet", async () => {
    const doc = await workshop();
    const html = toHtml(buildExportModel(doc, await analyzeWorkshop(doc), options("agreed")));
    const csp = elements(html).find((e) => e.tagName === "meta" && e.attrs?.some((a) => a.name === "http-equiv"));
    const policy = csp?.attrs?.find((a) => a.name === "content")?.value ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain("unsafe-inline");
    expect(`sha256-${createHash("sha256").update(HTML_STYLE, "utf8").digest("base64")}`).toBe(HTML_STYLE_HASH);
    expect(policy).toContain(HTML_STYLE_HASH);
  });
});

describe("Markdown export", () => {
  it("round trip: markdown-it renders the section headings as headings and the portrait's items as <li>", async () => {
    const doc = await workshop();
    const markdown = toMarkdown(buildExportModel(doc, await analyzeWorkshop(doc), options("all")));
    const html = md.render(markdown);
    expect(byTag(html, "h1")).toEqual([SAMPLE_PARTNERSHIP.title]);
    expect(byTag(html, "h2")).toEqual(expect.arrayContaining(["Equity definition", "Portrait of an Equity-Centered Leader", "Appendix B: Reflection record"]));
    expect(byTag(html, "h3")).toEqual(expect.arrayContaining(SAMPLE_PARTNERSHIP.portrait.map((d) => d.domain)));
    expect(byTag(html, "h4")).toEqual(expect.arrayContaining(["Leadership actions", "Look-fors"]));
    const items = byTag(html, "li");
    for (const action of SAMPLE_PARTNERSHIP.portrait.flatMap((d) => [...d.actions, ...d.lookFors])) expect(items).toContain(action);
    expect(byTag(html, "strong")).toContain("boldly");
    expect(byTag(html, "em")).toContain("with care");
    expect(byTag(html, "s")).toContain("struck");
    expect(byTag(html, "code")).toContain("code()");
    expect(elements(html).find((e) => e.tagName === "a")?.attrs).toEqual([{ name: "href", value: "https://example.org/framework" }]);
    const ol = elements(html).find((e) => e.tagName === "ol");
    let nested = false;
    if (ol) walk(ol, (n) => (nested ||= n.tagName === "ul"));
    expect(nested).toBe(true);
    expect(byTag(html, "th")).toEqual(expect.arrayContaining(["Section", "Organization", "Consent"]));
    expect(byTag(html, "td")).toContain("Endorse with reservations");
    // The workshop's own text reads literally: prose that looks like Markdown stays prose.
    expect(markdown).toContain("Equity-centered leaders in Eastside ensure that race, language, disability and income do not predict");
  });
});

describe("scope agreed with nothing agreed", () => {
  it("is never empty: the document says so in words, in every format", async () => {
    const doc = await workshop({ agree: false });
    const model = buildExportModel(doc, await analyzeWorkshop(doc), options("agreed"));
    expect(model.nothingAgreed).toBe(true);
    expect(model.sections).toEqual([]);
    const html = toHtml(model);
    const markdown = toMarkdown(model);
    for (const text of [textOf(parse(html) as unknown as P5Node), textOf(parse(md.render(markdown)) as unknown as P5Node)]) {
      expect(text).toContain("Nothing has been agreed yet.");
      expect(text).toContain("Equity definition (not yet agreed)");
      expect(text).toContain("Portrait of an Equity-Centered Leader (blocked)");
      expect(text).toContain(SAMPLE_PARTNERSHIP.title);
    }
  });
});

// ---------------------------------------------------------------- hostile workshop

const SCRIPT = "<script>alert(1)</script>";
const IMG = "<img src=x onerror=alert(1)>";
const FORMULA = '=HYPERLINK("http://evil","click")';
const ARABIC = "العدالة التعليمية تعني أن لكل طفل فرصة";
const HEBREW = "שוויון בחינוך פירושו הזדמנות לכל ילד";
const CHINESE = "教育公平意味着每个学生都有机会";
const EMOJI = "🎓✊🏽👩🏿‍🏫";
const MARKDOWNISH = ["# not a heading", "- not a list", "1. not a list", "[link](javascript:alert(1))", "![img](x)", "**not bold**", "| a | b |", "```", "<http://autolink.example>", "&amp; &lt;", "    indented", "==="];

function hostileBlocks(): RichNode[] {
  const link = (t: string, href: string): RichNode => text(t, [{ type: "link", attrs: { href } }]);
  return [
    para(text(SCRIPT)),
    para(text(IMG)),
    para(text(FORMULA)),
    para(link("js", "javascript:alert(1)"), text(" "), link("data", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="), text(" "), link("spaced", " JaVaScRiPt:alert(1)")),
    para(link("quote injection", 'https://ok.example/"onmouseover="alert(1)')),
    para(text(ARABIC)),
    para(text(HEBREW)),
    para(text(`${CHINESE} ${EMOJI}`)),
    para(text("control\u0000chars\u0007and\u001b a lone \uD800 surrogate")),
    ...MARKDOWNISH.map((m) => para(text(m))),
    { type: "heading", attrs: { level: 2 }, content: [text(`${SCRIPT} heading`)] },
    { type: "bulletList", content: [item(para(text(IMG))), item(para(text(FORMULA)))] },
    { type: "iframe", attrs: { src: "javascript:alert(1)" }, content: [text("unknown node")] },
    { type: "image", attrs: { src: "javascript:alert(1)", onerror: "alert(1)" } },
    para(text(Array.from({ length: 5000 }, (_, i) => `word${i}`).join(" "))),
  ];
}

async function hostileWorkshop(): Promise<Y.Doc> {
  const doc = await workshop({ definitionExtra: hostileBlocks(), recordText: `${SCRIPT} ${IMG} ${FORMULA}`, title: `Hostile </title>${SCRIPT} ${ARABIC}` });
  // An organization whose name is markup, and a custom dimension label that is markup.
  const org = { id: "evil", name: `${IMG} Org`, kind: "other", color: "#000000" };
  doc.getMap("organizations").set(org.id, org);
  metaOf(doc).set("dimensions", [{ id: "custom", label: SCRIPT, phrases: ["equity"] }]);
  return doc;
}

describe("a hostile workshop", () => {
  it("HTML: everything exports, nothing executes, the text reads literally", async () => {
    const doc = await hostileWorkshop();
    const html = toHtml(buildExportModel(doc, await analyzeWorkshop(doc), options("all")));
    assertNothingExecutable(html);
    // Raw tags never appear (the same words do, escaped, as text).
    expect(html).not.toMatch(/<(script|img|iframe)/i);
    expect(html).not.toMatch(/href="(javascript|data)/i);
    const body = textOf(parse(html) as unknown as P5Node);
    for (const literal of [SCRIPT, IMG, FORMULA, ARABIC, HEBREW, CHINESE, EMOJI, ...MARKDOWNISH, "word4999", "quote injection"]) expect(body).toContain(literal);
    for (const control of ["\u0000", "\u0007", "\u001b", "\uD800"]) expect(body).not.toContain(control);
    expect(byTag(html, "title")[0]).toContain("</title>");
    expect(byTag(html, "td").some((c) => c.includes(FORMULA))).toBe(true);
  });

  it("Markdown: markdown-it renders it safely, with or without HTML enabled, and the text reads literally", async () => {
    const doc = await hostileWorkshop();
    const markdown = toMarkdown(buildExportModel(doc, await analyzeWorkshop(doc), options("all")));
    for (const renderer of [md, mdWithHtml]) {
      const html = renderer.render(markdown);
      assertNothingExecutable(html);
      const body = textOf(parse(html) as unknown as P5Node);
      for (const literal of [SCRIPT, IMG, FORMULA, ARABIC, HEBREW, CHINESE, EMOJI, "word4999", "# not a heading", "- not a list", "1. not a list", "**not bold**", "[link](javascript:alert(1))", "&amp; &lt;"]) {
        expect(body).toContain(literal);
      }
      expect(byTag(html, "td").some((c) => c.includes(FORMULA))).toBe(true);
      // Prose that looks like Markdown did not turn into headings or lists of its own.
      expect(byTag(html, "h2").some((h) => h.includes("not a heading"))).toBe(false);
      expect(byTag(html, "li").some((l) => l.includes("not a list"))).toBe(false);
    }
  });
});

// ---------------------------------------------------------------- size

/** About fifty pages: twelve portrait domains of eight items each and three long definitions. */
async function bigWorkshop(): Promise<Y.Doc> {
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
  return doc;
}

describe("a fifty-page workshop", () => {
  it("exports to Markdown and HTML quickly", async () => {
    const doc = await bigWorkshop();
    const model = buildExportModel(doc, await analyzeWorkshop(doc), options("all"));
    const started = performance.now();
    const markdown = toMarkdown(model);
    const html = toHtml(model);
    const ms = performance.now() - started;
    console.log(`50-page workshop: Markdown ${Math.round(markdown.length / 1024)} KiB + HTML ${Math.round(html.length / 1024)} KiB in ${ms.toFixed(0)} ms`);
    expect(markdown.split(/\s+/).length).toBeGreaterThan(20_000);
  });
});
