// A long, heavily annotated section, the same on every run: about 20 pages of definition text
// (headings, paragraphs, bullet lists) and annotations from every organization on random
// passages of 1-15 words, many of them overlapping, as a long retreat day leaves a document.
import {
  annotationsOf,
  appendRichText,
  bulletList,
  DEFAULT_DIMENSIONS,
  draftAnnotation,
  heading,
  paragraph,
  sectionFragment,
  sectionText,
  STANCES,
  type Annotation,
  type Organization,
  type RichNode,
} from "@crosswalk/shared";
import type * as Y from "yjs";
import type { SeededRandom } from "./seededRandom.js";

/** The shape of the section to write. */
export interface SectionShape {
  /** Words of text (about 500 a page); blocks are added until there are at least this many. */
  words: number;
  annotations: number;
  /** Share of annotations that start inside an earlier one, so passages overlap. */
  overlapShare: number;
  /** Share of annotations already resolved (the sidebar's "open" filter hides them). */
  resolvedShare: number;
}

/** What was written. */
export interface AnnotatedSection {
  words: number;
  textblocks: number;
  characters: number;
  annotations: Annotation[];
}

const SUBJECTS = ["Every student", "Our district", "School leaders", "Teachers", "Families", "The partnership", "Each school", "Principals", "Community partners", "The university", "State policy", "Educators", "Counselors", "Our board"];
const VERBS = ["ensures", "names", "interrupts", "examines", "supports", "measures", "commits to", "shares", "builds", "questions", "funds", "listens to", "protects", "strengthens"];
const OBJECTS = [
  "access to rigorous instruction",
  "culturally responsive teaching",
  "the needs of multilingual learners",
  "gaps in outcomes between groups of students",
  "a sense of belonging for every child",
  "resources for students with disabilities",
  "the voices of families and caregivers",
  "practices that sustain disparities",
  "data on discipline and attendance",
  "the histories of our communities",
  "high expectations for newcomer students",
  "fair funding for high-poverty schools",
];
const QUALIFIERS = [
  "in every classroom",
  "so that race does not predict success",
  "across all grade levels",
  "with families as partners",
  "through shared decision making",
  "over the next three years",
  "without lowering expectations",
  "by reflecting on our own beliefs and role",
  "in partnership with community organizations",
  "whatever a student's home language",
  "with attention to intersecting identities",
  "and reports on it publicly each year",
];
const ADVERBS = ["", "", "", "consistently ", "deliberately ", "also ", "openly "];
const TOPICS = ["Vision", "Students", "Instruction", "Families", "Resources", "Leadership", "Accountability", "Belonging", "Language", "Data", "Community", "Reflection"];
const COMMENTS = ["We would name this more concretely.", "Who decides this, and how?", "This matches our board's resolution.", "Please add multilingual learners here.", "Can we measure this?", "We propose different wording.", "Strong, keep it."];

function sentence(random: SeededRandom): string {
  return `${random.pick(SUBJECTS)} ${random.pick(ADVERBS)}${random.pick(VERBS)} ${random.pick(OBJECTS)} ${random.pick(QUALIFIERS)}.`;
}

/** Blocks of about `words` words: numbered parts of a heading, ten paragraphs and a bullet list. */
export function sectionBlocks(random: SeededRandom, words: number): RichNode[] {
  const blocks: RichNode[] = [];
  let count = 0;
  const add = (text: string): string => {
    count += text.split(" ").length;
    return text;
  };
  for (let part = 1; count < words; part++) {
    blocks.push(heading(2, add(`${part}. ${random.pick(TOPICS)}`)));
    for (let p = 0; p < 10 && count < words; p++) {
      blocks.push(paragraph(add(Array.from({ length: random.int(3, 5) }, () => sentence(random)).join(" "))));
    }
    blocks.push(bulletList(Array.from({ length: random.int(3, 5) }, () => add(sentence(random)))));
  }
  return blocks;
}

interface Word {
  from: number;
  to: number;
}

/** [from, to) of words first..last, cut at the end of first's block (a passage stays in one block). */
function passage(text: string, words: readonly Word[], first: number, length: number): { from: number; to: number; last: number } {
  let last = first;
  while (last + 1 < words.length && last - first + 1 < length && !text.slice(words[last]!.to, words[last + 1]!.from).includes("\n")) last++;
  return { from: words[first]!.from, to: words[last]!.to, last };
}

/**
 * Replaces the section's content with `sectionBlocks` and writes `shape.annotations`
 * annotations made with draftAnnotation, in batches (one relay message each stays small).
 */
export function writeAnnotatedSection(doc: Y.Doc, sectionId: string, organizations: readonly Organization[], random: SeededRandom, shape: SectionShape): AnnotatedSection {
  const fragment = sectionFragment(doc, sectionId);
  const blocks = sectionBlocks(random, shape.words);
  doc.transact(() => {
    fragment.delete(0, fragment.length);
    appendRichText(fragment, blocks);
  });
  const text = sectionText(doc, sectionId);
  const words: Word[] = [...text.matchAll(/\S+/g)].map((m) => ({ from: m.index, to: m.index + m[0].length }));
  const dimensionIds = DEFAULT_DIMENSIONS.map((d) => d.id);
  const made: Array<{ first: number; last: number }> = [];
  const annotations: Annotation[] = [];
  const createdAt = Date.UTC(2025, 5, 12, 9);
  for (let i = 0; annotations.length < shape.annotations; i++) {
    if (i > shape.annotations * 2) throw new Error("could not draft the annotations (the text is too short?)");
    const near = made.length > 0 && random.chance(shape.overlapShare) ? random.pick(made) : null;
    const first = near ? Math.min(words.length - 1, random.int(near.first, near.last + 2)) : random.int(0, words.length - 1);
    const range = passage(text, words, first, random.int(1, 15));
    const org = organizations[annotations.length % organizations.length]!;
    const dimensions = [...new Set(Array.from({ length: random.int(0, 3) }, () => random.pick(dimensionIds)))];
    const drafted = draftAnnotation(
      doc,
      sectionId,
      range.from,
      range.to,
      { stance: random.pick(STANCES), dimensions, body: random.pick(COMMENTS) },
      { orgId: org.id, author: `${org.name.split(" ")[0]} participant ${random.int(1, 4)}` },
      dimensionIds,
      createdAt + annotations.length * 37_000,
      `bench-${String(annotations.length).padStart(4, "0")}`,
    );
    if (!drafted.ok) continue;
    made.push({ first, last: range.last });
    annotations.push(random.chance(shape.resolvedShare) ? { ...drafted.annotation, resolved: true } : drafted.annotation);
  }
  const BATCH = 100;
  for (let i = 0; i < annotations.length; i += BATCH) {
    doc.transact(() => {
      for (const a of annotations.slice(i, i + BATCH)) annotationsOf(doc).set(a.id, a);
    });
  }
  const textblocks = text.split("\n").length;
  return { words: words.length, textblocks, characters: text.length, annotations };
}
