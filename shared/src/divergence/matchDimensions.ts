// The dimension crosswalk's phrase matching (../shared/CONTRACT.md, "Divergence analysis"): which
// equity dimensions a definition names, with the words that name them as evidence.
//
// Matching works on words, not on characters, so word boundaries are Unicode-aware for free
// ("race" is never found in "embrace", "power" never in "empower"). Both the text and every
// phrase go through the same `normalizeWord`, and each phrase word accepts a small set of English
// inflections generated once per lexicon (`wordForms`), so a text costs one tokenizing pass plus a
// map lookup per word: the analysis reruns on every change.
//
// Rules, in the order they apply:
// - words are letters, marks and digits, with inner apostrophes (straight or curly); case and
//   diacritics are ignored; a final 's is dropped ("student's" is "student"); forms of "to be" are
//   one word ("students are known" finds "student is known");
// - determiners (a, an, the, my, our, your, his, her, its, their, one's) are optional, on both
//   sides: "student with a disability" finds "students with disabilities", and "examine their own
//   beliefs" finds "examines own beliefs";
// - the words of a phrase must follow each other separated only by spaces, line breaks, hyphens
//   or a possessive apostrophe (not across a comma or a full stop); a hyphenated phrase also matches its words written
//   together, so "anti-racist" finds "anti-racist", "anti racist" and "antiracist";
// - every phrase word accepts its plural (-s, -es, -ies/-y and a few irregulars: children, women,
//   men, people); words of multi-word phrases also accept -ed and -ing forms, because there the
//   other words disambiguate, while a single word would not ("race" must not find "racing",
//   "income" must not find "incoming"); single-word phrases list such forms themselves;
// - a match inside a longer match of another dimension does not count ("gender identity" names
//   lgbtq, not gender); overlapping matches of one dimension form one piece of evidence.
import type { Dimension } from "../annotations/dimensions.js";

/** What a text says about one dimension: whether it names it, and the matched text as evidence. */
export interface DimensionFinding {
  named: boolean;
  /** The matched passages as they appear in the text, in order of first appearance, without case-insensitive repeats. */
  evidence: string[];
}

/** One place where a text names a dimension: `text.slice(start, end)` is the evidence. */
export interface DimensionMatch {
  dimensionId: string;
  start: number;
  end: number;
  text: string;
}

/** A dimension list compiled once for matching many texts (build it with `compileLexicon`). */
export interface Lexicon {
  /** The dimension ids, in the order given. */
  readonly ids: readonly string[];
  /** Which dimensions `text` names: one entry per id. */
  match(text: string): Record<string, DimensionFinding>;
  /** Every place `text` names a dimension, in text order (for highlighting). */
  find(text: string): DimensionMatch[];
}

/** Which dimensions a text names, with the matched phrases as evidence (as they appear in the text, deduplicated, in order of first appearance). */
export function matchDimensions(text: string, dimensions: readonly Dimension[]): Record<string, DimensionFinding> {
  return compileLexicon(dimensions).match(text);
}

// The analysis calls this on every change, usually with a fresh copy of the same dimensions
// (`workshopDimensions` builds one per call), so compiled lexicons are kept by content.
const compiled = new Map<string, Lexicon>();

/** Compiles the phrases of `dimensions` for matching many texts (dimensions with the same id merge); the same phrases give the same, cached, lexicon. */
export function compileLexicon(dimensions: readonly Dimension[]): Lexicon {
  const key = JSON.stringify(dimensions.map((d) => [d.id, d.phrases]));
  let lexicon = compiled.get(key);
  if (!lexicon) {
    lexicon = buildLexicon(dimensions);
    if (compiled.size >= 16) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, lexicon);
  }
  return lexicon;
}

/** Indexes every phrase variant by the forms of its first word; the rest are checked word by word. */
function buildLexicon(dimensions: readonly Dimension[]): Lexicon {
  const ids = [...new Set(dimensions.map((d) => d.id))];
  const index = new Map<string, Pattern[]>();
  const formsCache = new Map<string, ReadonlySet<string>>();
  const formsOf = (word: string, verbForms: boolean) => {
    const key = `${verbForms ? "v" : "n"}${word}`;
    const forms = formsCache.get(key) ?? wordForms(word, verbForms);
    formsCache.set(key, forms);
    return forms;
  };
  const seen = new Set<string>();
  for (const dimension of dimensions) {
    const dim = ids.indexOf(dimension.id);
    for (const phrase of dimension.phrases) {
      for (const words of phraseVariants(phrase)) {
        const multi = words.length > 1;
        const rest = words.slice(1).map((w) => formsOf(w, multi));
        for (const first of formsOf(words[0] as string, multi)) {
          const key = [dim, multi, first, ...words.slice(1)].join(" ");
          if (seen.has(key)) continue;
          seen.add(key);
          const list = index.get(first);
          if (list) list.push({ dim, rest });
          else index.set(first, [{ dim, rest }]);
        }
      }
    }
  }
  const find = (text: string) => findMatches(text, ids, index);
  return { ids, find, match: (text) => summarize(ids, find(text)) };
}

/** The words of `text` as the matcher sees them, with their offsets. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let prevLinked = false; // whether the previous word is, or chains through determiners to, the last kept word
  let lastEnd = 0;
  for (const m of text.matchAll(WORD)) {
    const start = m.index;
    const joins: boolean = prevLinked && onlySeparators(text, lastEnd, start);
    lastEnd = start + m[0].length;
    const norm = normalizeWord(m[0]);
    if (norm === "") {
      prevLinked = joins;
      continue;
    }
    tokens.push({ norm, start, end: lastEnd, joinsPrev: joins });
    prevLinked = true;
  }
  return tokens;
}

/** A word of a text: normalized form, offsets, and whether it directly follows the previous word. */
interface Token {
  norm: string;
  start: number;
  end: number;
  joinsPrev: boolean;
}

interface Pattern {
  dim: number;
  /** Accepted forms of the phrase's second, third, … word. */
  rest: ReadonlySet<string>[];
}

interface Hit {
  dim: number;
  from: number; // token index, inclusive
  to: number; // token index, exclusive
}

const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’‘ʼ][\p{L}\p{M}\p{N}]+)*/gu;
const DETERMINERS = new Set(["a", "an", "the", "my", "our", "your", "his", "her", "its", "their", "one's"]);
const BE = new Set(["am", "is", "are", "was", "were", "be", "been", "being"]);
// Small words that are never inflected ("of" has no plural worth matching).
const FUNCTION_WORDS = new Set(["of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "and", "or", "nor", "than", "other", "who", "that", "be", "not", "no", "every", "each", "all", "any", "own", "they", "we"]);
const IRREGULAR_PLURALS = new Map([["child", "children"], ["woman", "women"], ["man", "men"], ["person", "people"]]);
const IRREGULAR_SINGULARS = new Map([...IRREGULAR_PLURALS].map(([s, p]) => [p, s]));

/** Lower case, no diacritics, straight apostrophes, no final 's; "" for an optional determiner; "be" for forms of to be. */
function normalizeWord(word: string): string {
  let w = word.toLowerCase();
  // Only non-ASCII words pay for decomposition (most words of an English text are ASCII).
  if (/[^ -~]/.test(w)) w = w.normalize("NFD").replace(/\p{M}/gu, "").replace(/[’‘ʼ]/g, "'");
  if (DETERMINERS.has(w)) return "";
  if (w.endsWith("'s")) w = w.slice(0, -2);
  return BE.has(w) ? "be" : w;
}

// Whitespace (line breaks and no-break spaces included), hyphens, soft hyphens, en dashes, and the
// apostrophe of a plural possessive ("students' cultures").
const SEPARATOR = /[\s\u00ad\-\u2010-\u2013'’‘ʼ]/;

function onlySeparators(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!SEPARATOR.test(text[i] ?? "")) return false;
  return true;
}

/** A phrase's normalized words, plus a variant with each hyphenated pair written together ("anti-racist" → "antiracist"). */
function phraseVariants(phrase: string): string[][] {
  const words: string[] = [];
  const hyphenAfter: boolean[] = [];
  for (const t of tokenize(phrase)) {
    if (words.length > 0) hyphenAfter[words.length - 1] = /[-\u2010-\u2013]/.test(phrase.slice(t.start - 1, t.start)) && t.joinsPrev;
    words.push(t.norm);
  }
  if (words.length === 0) return [];
  let variants = [[words[0] as string]];
  for (let i = 1; i < words.length; i++) {
    const word = words[i] as string;
    const next = variants.map((v) => [...v, word]);
    // Join across a hyphen too; capped so a pathological phrase cannot explode.
    if (hyphenAfter[i - 1] && variants.length < 16) next.push(...variants.map((v) => [...v.slice(0, -1), `${v[v.length - 1] ?? ""}${word}`]));
    variants = next;
  }
  return variants;
}

/** The forms a phrase word accepts: itself, its singular and plural, and (`verbForms`) -ed and -ing forms. */
function wordForms(word: string, verbForms: boolean): ReadonlySet<string> {
  const forms = new Set([word]);
  // Two-letter words ("EL", the "I" of "Title I") and codes ("504") have no useful inflections.
  if (FUNCTION_WORDS.has(word) || word.length < 3 || !/^\p{L}+$/u.test(word)) return forms;
  const lemmas = [word, ...singulars(word)];
  for (const lemma of lemmas) {
    forms.add(lemma);
    forms.add(IRREGULAR_PLURALS.get(lemma) ?? plural(lemma));
    if (verbForms) for (const f of verbInflections(lemma)) forms.add(f);
  }
  return forms;
}

function singulars(word: string): string[] {
  const irregular = IRREGULAR_SINGULARS.get(word);
  if (irregular) return [irregular];
  if (word.length < 4) return []; // "SES" is not the plural of "s"
  if (word.endsWith("ies")) return [`${word.slice(0, -3)}y`];
  if (/(s|x|z|ch|sh)es$/.test(word)) return [word.slice(0, -2)];
  if (/s$/.test(word) && !/(ss|us|is|as)$/.test(word)) return [word.slice(0, -1)];
  return [];
}

function plural(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

function verbInflections(word: string): string[] {
  if (word.endsWith("e")) return [`${word}d`, `${word.slice(0, -1)}ing`];
  if (/[^aeiou]y$/.test(word)) return [`${word.slice(0, -1)}ied`, `${word}ing`];
  const forms = [`${word}ed`, `${word}ing`];
  // Consonant-vowel-consonant endings double: "admit" → "admitted", "gap" → "gapped".
  if (/[^aeiou][aeiou][^aeiouwxy]$/.test(word)) forms.push(`${word}${word.slice(-1)}ed`, `${word}${word.slice(-1)}ing`);
  return forms;
}

function findMatches(text: string, ids: readonly string[], index: ReadonlyMap<string, Pattern[]>): DimensionMatch[] {
  const tokens = tokenize(text);
  const hits: Hit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const patterns = index.get((tokens[i] as Token).norm);
    if (patterns) for (const p of patterns) if (matchesAt(tokens, i + 1, p.rest)) hits.push({ dim: p.dim, from: i, to: i + p.rest.length + 1 });
  }
  return merged(longestOnly(hits)).map((h) => {
    const start = (tokens[h.from] as Token).start;
    const end = (tokens[h.to - 1] as Token).end;
    return { dimensionId: ids[h.dim] as string, start, end, text: text.slice(start, end) };
  });
}

function matchesAt(tokens: readonly Token[], at: number, rest: readonly ReadonlySet<string>[]): boolean {
  if (at + rest.length > tokens.length) return false;
  for (let k = 0; k < rest.length; k++) {
    const t = tokens[at + k] as Token;
    if (!t.joinsPrev || !(rest[k] as ReadonlySet<string>).has(t.norm)) return false;
  }
  return true;
}

/** Drops every hit lying strictly inside a longer hit (of any dimension): the longer phrase is the more specific reading. */
function longestOnly(hits: Hit[]): Hit[] {
  hits.sort((a, b) => a.from - b.from || b.to - a.to);
  const kept: Hit[] = [];
  let maxTo = -1; // furthest end among earlier spans that differ from the current one
  for (let i = 0; i < hits.length; ) {
    const { from, to } = hits[i] as Hit;
    let j = i;
    while (j < hits.length && hits[j]?.from === from && hits[j]?.to === to) j++;
    if (maxTo < to) kept.push(...hits.slice(i, j));
    maxTo = Math.max(maxTo, to);
    i = j;
  }
  return kept;
}

/** Joins overlapping hits of one dimension into one span ("access to advanced" + "advanced coursework"). */
function merged(hits: Hit[]): Hit[] {
  const open = new Map<number, Hit>();
  const out: Hit[] = [];
  for (const h of hits) {
    const prev = open.get(h.dim);
    if (prev && h.from < prev.to) prev.to = Math.max(prev.to, h.to);
    else {
      const copy = { ...h };
      open.set(h.dim, copy);
      out.push(copy);
    }
  }
  return out;
}

function summarize(ids: readonly string[], matches: readonly DimensionMatch[]): Record<string, DimensionFinding> {
  const out: Record<string, DimensionFinding> = {};
  for (const id of ids) out[id] = { named: false, evidence: [] };
  const seen = new Map<string, Set<string>>(); // per dimension: evidence already listed, lower case, spaces collapsed
  for (const m of matches) {
    const finding = out[m.dimensionId] as DimensionFinding;
    finding.named = true;
    const key = /^[a-z ]+$/.test(m.text) ? m.text : m.text.toLowerCase().replace(/\s+/g, " ");
    const listed = seen.get(m.dimensionId) ?? new Set<string>();
    if (!listed.has(key)) finding.evidence.push(m.text);
    listed.add(key);
    seen.set(m.dimensionId, listed);
  }
  return out;
}
