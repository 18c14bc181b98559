// The dimension crosswalk's phrase matching (../shared/CONTRACT.md, "Divergence analysis":
// dimension matching on definitions, with a lexicon a workshop can extend).
import { describe, expect, it } from "vitest";
import { compileLexicon, DEFAULT_DIMENSIONS, matchDimensions, SAMPLE_PARTNERSHIP, type Dimension } from "../index.js";

/** The ids of the dimensions `text` names, in list order. */
function named(text: string, dimensions: readonly Dimension[] = DEFAULT_DIMENSIONS): string[] {
  return Object.entries(matchDimensions(text, dimensions))
    .filter(([, f]) => f.named)
    .map(([id]) => id);
}

const inListOrder = (ids: string[]) => DEFAULT_DIMENSIONS.map((d) => d.id).filter((id) => ids.includes(id));
const only = (id: string, ...phrases: string[]): Dimension[] => [{ id, label: id, phrases }];

describe("Divergence analysis: the sample partnership's definitions", () => {
  // Every organization's result equals the fixture's expectedDimensions exactly: no differences.
  for (const org of SAMPLE_PARTNERSHIP.organizations) {
    it(`${org.key} names exactly its expected dimensions`, () => {
      expect(named(org.definition)).toEqual(inListOrder(org.expectedDimensions));
    });
  }

  it("the shared draft names the groups, outcomes, access, culturally relevant instruction, inclusion and families as partners", () => {
    // "name and interrupt the practices that sustain disparities" names outcomes, not systems of
    // privilege: the draft never says racism, power, privilege or status quo.
    expect(named(SAMPLE_PARTNERSHIP.sharedDraft)).toEqual(
      inListOrder(["race-ethnicity", "language", "disability", "income", "access-rigor", "culturally-responsive", "family-community", "outcomes", "belonging"]),
    );
  });

  it("evidence holds the matched text, merged where phrases of one dimension overlap", () => {
    const district = SAMPLE_PARTNERSHIP.organizations.find((o) => o.key === "district");
    const result = matchDimensions(district?.definition ?? "", DEFAULT_DIMENSIONS);
    expect(result["access-rigor"]?.evidence).toEqual(["access to advanced coursework"]);
    expect(result["outcomes"]?.evidence).toEqual(["outcomes", "disparities", "gaps in achievement"]);
    expect(result["systems-of-privilege"]?.evidence).toEqual(["anti-racist", "white supremacist"]);
    const riverside = SAMPLE_PARTNERSHIP.organizations.find((o) => o.key === "riverside");
    expect(matchDimensions(riverside?.definition ?? "", DEFAULT_DIMENSIONS)["self-reflection"]?.evidence).toEqual(["examine their own role"]);
  });
});

describe("matchDimensions", () => {
  it("returns one entry per dimension, named=false and no evidence when nothing matched", () => {
    const result = matchDimensions("", DEFAULT_DIMENSIONS);
    expect(Object.keys(result)).toEqual(DEFAULT_DIMENSIONS.map((d) => d.id));
    expect(Object.values(result).every((f) => !f.named && f.evidence.length === 0)).toBe(true);
  });

  it("ignores case and keeps the evidence as written, deduplicated, in order of first appearance", () => {
    const result = matchDimensions("Poverty and RACE. Race and poverty; income.", DEFAULT_DIMENSIONS);
    expect(result["income"]).toEqual({ named: true, evidence: ["Poverty", "income"] });
    expect(result["race-ethnicity"]?.evidence).toEqual(["RACE"]);
  });

  it("never matches inside a longer word", () => {
    for (const text of ["We embrace grace at the racetrack.", "Racing ahead.", "We empower leaders.", "incoming principals", "a well-known fact"]) {
      expect(named(text), text).toEqual([]);
    }
    expect(named("race, races and racial")).toEqual(["race-ethnicity"]);
    expect(named("power and powers")).toEqual(["systems-of-privilege"]);
  });

  it("a match inside a longer match of another dimension does not count", () => {
    expect(named("students of every gender")).toEqual(["gender"]);
    expect(named("gender identity and sexual orientation")).toEqual(["lgbtq"]);
    expect(named("gender and gender identity")).toEqual(["lgbtq", "gender"]);
    expect(named("leaders examine their own privilege")).toEqual(["systems-of-privilege", "self-reflection"]);
    // …while a phrase listed in two dimensions counts for both.
    expect(named("dismantling systemic racism")).toEqual(["race-ethnicity", "systems-of-privilege"]);
  });

  it("accepts plurals and word forms on every word of a phrase", () => {
    const dims = only("d", "student with a disability");
    expect(named("students with disabilities", dims)).toEqual(["d"]);
    expect(named("a student with a disability", dims)).toEqual(["d"]);
    expect(named("each student's disability", dims)).toEqual([]);
    expect(named("families", only("f", "family"))).toEqual(["f"]);
    expect(named("children and women", only("p", "child", "woman"))).toEqual(["p"]);
    expect(matchDimensions("Leaders examining their own biases", DEFAULT_DIMENSIONS)["self-reflection"]?.evidence).toEqual(["examining their own biases"]);
    expect(named("Disparities in identifying gifted students", only("x", "identify gifted student"))).toEqual(["x"]);
  });

  it("partner finds partners, not partnership (the partnership is usually the district–university one)", () => {
    const dims = only("p", "partner");
    expect(named("our partners", dims)).toEqual(["p"]);
    expect(named("our partnership", dims)).toEqual([]);
  });

  it("single words get no -ed/-ing forms; words of longer phrases do", () => {
    expect(named("racing", only("r", "race"))).toEqual([]);
    expect(named("closing the gaps", only("o", "close the gap"))).toEqual(["o"]);
  });

  it("matches multi-word phrases across extra spaces and line breaks, not across punctuation", () => {
    const text = "Students who speak\n  a language other than   English\r\nat home need access to\nadvanced coursework.";
    const result = matchDimensions(text, DEFAULT_DIMENSIONS);
    expect(result["language"]?.evidence).toEqual(["Students who speak\n  a language other than   English\r\nat home"]);
    expect(result["access-rigor"]?.evidence).toEqual(["access to\nadvanced coursework"]);
    expect(named("families. And communities", only("f", "families and communities"))).toEqual([]);
    expect(named("access to, advanced", only("a", "access to advanced"))).toEqual([]);
  });

  it("treats hyphen, space and closed-up spellings of a hyphenated phrase alike", () => {
    for (const text of ["anti-racist", "anti racist", "antiracist", "Anti‑racist", "anti-\nracist", "ANTI–RACIST"]) {
      expect(named(text), text).toContain("systems-of-privilege");
    }
    expect(named("low income families")).toEqual(["income"]);
    expect(named("socioeconomic status")).toEqual(["income"]);
  });

  it("treats curly and straight apostrophes alike, and ignores diacritics", () => {
    expect(named("reflecting on one’s own beliefs")).toEqual(["self-reflection"]);
    expect(named("honoring students’ cultures")).toEqual(["culturally-responsive"]);
    expect(named("parents’ education", only("p", "parents' education"))).toEqual(["p"]);
    expect(named("Latiné students")).toEqual(["race-ethnicity"]);
  });

  it("a workshop-added dimension matches with its own phrases", () => {
    const dims = [...DEFAULT_DIMENSIONS, { id: "rural", label: "Rural students", phrases: ["rural", "small town"] }];
    const result = matchDimensions("Rural schools and small-town districts, not rurality.", dims);
    expect(result["rural"]).toEqual({ named: true, evidence: ["Rural", "small-town"] });
    expect(Object.keys(result)).toHaveLength(18);
  });

  it("a compiled lexicon gives the same answer and finds offsets into the text", () => {
    const lexicon = compileLexicon(DEFAULT_DIMENSIONS);
    const text = SAMPLE_PARTNERSHIP.sharedDraft;
    expect(lexicon.match(text)).toEqual(matchDimensions(text, DEFAULT_DIMENSIONS));
    const found = lexicon.find(text);
    expect(found.length).toBeGreaterThan(0);
    for (const m of found) expect(text.slice(m.start, m.end)).toBe(m.text);
    expect(found.map((m) => m.start)).toEqual([...found.map((m) => m.start)].sort((a, b) => a - b));
  });

  it("matches a 20-page text against every dimension quickly", () => {
    const paragraphs = [...SAMPLE_PARTNERSHIP.organizations.map((o) => o.definition), SAMPLE_PARTNERSHIP.sharedDraft];
    const words: string[] = [];
    for (let i = 0; words.length < 10_000; i++) words.push(...(paragraphs[i % paragraphs.length] ?? "").split(" "));
    const text = words.join(" ");
    const lexicon = compileLexicon(DEFAULT_DIMENSIONS);
    lexicon.match(text); // warm up the JIT
    const t0 = performance.now();
    const result = lexicon.match(text);
    const ms = performance.now() - t0;
    console.log(`matchDimensions: ${words.length} words against ${DEFAULT_DIMENSIONS.length} dimensions in ${ms.toFixed(1)} ms`);
    const expected = new Set(paragraphs.flatMap((p) => named(p)));
    expect(Object.keys(result).filter((id) => result[id]?.named)).toEqual([...DEFAULT_DIMENSIONS.map((d) => d.id)].filter((id) => expected.has(id)));
    expect(ms).toBeLessThan(1000); // generous: the figure printed above is what matters
  });
});
