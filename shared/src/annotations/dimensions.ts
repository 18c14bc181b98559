// Equity dimensions: the groups and lenses a definition names (../shared/CONTRACT.md, default
// list under "Divergence analysis"). A workshop may add its own; they live in `meta.dimensions`.
import type * as Y from "yjs";
import { z } from "zod";
import { metaOf } from "../doc/layout.js";

/** An equity dimension: id, a label for people, and the phrases that name it in prose. */
export interface Dimension {
  id: string;
  label: string;
  phrases: string[];
}

// The default lexicon. How it is matched (word forms, hyphens, optional determiners, longest match
// wins) is described at the top of ../divergence/matchDimensions.ts. Choices made here:
// - Single words list their own -ed/-ing forms ("privileged"), since only words of multi-word
//   phrases get them automatically ("race" must not find "racing").
// - Words that are too common alone appear only in phrases: "known" (as in "every student is
//   known"), "gap" ("achievement gap", "gaps in …", "close the gap"), "partner" ("families are
//   partners"; "partner" finds "partners" but never "partnership", which in these workshops is
//   mostly the district–university partnership itself), "culture", "family", "English", "white".
// - Phrases about racism name both race and systems of privilege, as the other -isms (ableism,
//   sexism, classism, homophobia, xenophobia, …) name their group and systems of privilege, and
//   "culturally and linguistically responsive" names both culturally responsive teaching and
//   language. Such phrases are listed in both dimensions, because a match inside a longer match of
//   another dimension does not count.
// - Phrases stay within one dimension otherwise ("young men of color" would hide "of color" from
//   race), and nothing that merely sounds like equity work counts without the words: "interrupt
//   the practices that sustain disparities" names outcomes, not systems of privilege.

const RACISM = ["racism", "racist", "anti-racist", "anti-racism", "systemic racism", "structural racism", "institutional racism", "white supremacy", "white supremacist"];
const CULTURALLY_AND_LINGUISTICALLY = ["culturally and linguistically responsive", "culturally and linguistically relevant", "culturally and linguistically sustaining"];
const REFLECTING = ["examine", "critically examine", "reflect on", "interrogate", "question", "confront", "unpack"];
const OWN = ["beliefs", "biases", "assumptions", "role", "identity", "identities", "positionality", "practice", "values", "mindset", "complicity"];

/** The default dimensions, in the contract's order. */
export const DEFAULT_DIMENSIONS: readonly Dimension[] = [
  {
    id: "race-ethnicity",
    label: "Race and ethnicity",
    phrases: [
      "race", "racial", "racially", "racialized", "ethnicity", "ethnic", "ethnically", "multiracial", "biracial", "multiethnic",
      "of color", "students of color", "children of color", "people of color", "families of color",
      "communities of color", "BIPOC", "Black", "African American", "Latino", "Latina", "Latinx", "Latine", "Hispanic", "Asian",
      "Asian American", "Pacific Islander", "Native American", "American Indian", "Alaska Native", "Native Hawaiian",
      "Indigenous", "white student", "white people", "white family", "white educator", "white teacher", ...RACISM,
    ],
  },
  {
    id: "language",
    label: "Language (multilingual learners, home language)",
    phrases: [
      "language", "home language", "native language", "first language", "heritage language", "other than English",
      "students who speak a language other than English at home", "speak another language",
      "non-English", "multilingual", "multilingual learner", "multilingualism", "bilingual", "emergent bilingual",
      "English learner", "English language learner", "English language development", "dual language", "ELL", "EL student",
      "ESL", "ESOL", "ELD", "LEP", "limited English", "English proficiency", "linguistic", "linguistically",
      "linguistically diverse", "culturally and linguistically diverse", ...CULTURALLY_AND_LINGUISTICALLY,
    ],
  },
  {
    id: "disability",
    label: "Disability (special education)",
    phrases: [
      "disability", "disabled", "students with disabilities", "special education", "special needs", "IEP",
      "individualized education program", "504 plan", "neurodivergent", "neurodiverse", "neurodiversity",
      "differently abled", "exceptionality", "exceptional learner", "learning difference", "ableism", "ableist",
    ],
  },
  {
    id: "lgbtq",
    label: "LGBTQ+ (sexual orientation, gender identity)",
    phrases: [
      "LGBTQ", "LGBT", "LGBTQIA", "LGBTQ2S", "LGBTQIA2S", "2SLGBTQ", "2SLGBTQI", "queer", "gay", "lesbian", "bisexual",
      "transgender", "trans student", "trans youth", "trans people", "trans and nonbinary", "nonbinary", "non-binary",
      "genderqueer", "gender-nonconforming", "gender non-conforming", "gender-expansive", "gender diverse", "two-spirit",
      "intersex", "asexual", "cisgender", "sexual orientation", "gender identity", "gender expression",
      "sexual and gender minority", "heteronormative", "heteronormativity", "heterosexism", "homophobia", "transphobia",
    ],
  },
  {
    id: "gender",
    label: "Gender",
    phrases: ["gender", "gendered", "sex", "sexism", "sexist", "girl", "boy", "woman", "man", "female", "male", "patriarchy", "misogyny", "Title IX"],
  },
  {
    id: "income",
    label: "Income (poverty, socioeconomic status)",
    phrases: [
      "income", "low-income", "poverty", "socio-economic", "SES", "economically disadvantaged", "economic disadvantage",
      "economic status", "economic background", "social class", "working-class", "middle-class", "classism", "wealth gap",
      "affluent", "affluence", "free and reduced lunch", "free and reduced-price lunch", "free or reduced-price lunch",
      "free and reduced-price meals", "Title I", "homeless", "homelessness", "unhoused", "housing insecurity",
      "food insecurity",
    ],
  },
  {
    id: "family-background",
    label: "Family background",
    phrases: [
      "family background", "home background", "family circumstances", "home circumstances", "family structure",
      "family situation", "family composition", "home life", "parental education", "parents' education", "foster care",
      "foster youth", "first-generation college", "first-generation student", "zip code",
    ],
  },
  {
    id: "immigrant",
    label: "Immigrant status (migrant, refugee, newcomer)",
    phrases: [
      "immigrant", "immigration", "immigrated", "migrant", "refugee", "asylum", "asylee", "newcomer", "newly arrived",
      "recently arrived", "undocumented", "DACA", "mixed-status", "citizenship status", "national origin", "country of origin",
      "foreign-born", "first-generation immigrant", "second-generation immigrant", "xenophobia",
    ],
  },
  {
    id: "intersectionality",
    label: "Intersectionality",
    phrases: [
      "intersectionality", "intersectional", "intersection", "intersecting identities", "multiple identities",
      "overlapping identities", "interlocking", "multiply marginalized",
    ],
  },
  {
    id: "systems-of-privilege",
    label: "Systems of privilege (anti-racism, power, status quo)",
    phrases: [
      ...RACISM, "privilege", "privileged", "system of privilege", "power", "power structures", "power dynamics",
      "status quo", "oppression", "oppressive", "oppressed", "systems of oppression", "systemic oppression",
      "systemic inequity", "structural inequity", "systemic inequality", "structural inequality", "inequitable systems",
      "inequitable structures", "dismantle systems", "whiteness", "dominant culture", "hegemony", "colonialism",
      "decolonize", "decolonizing", "ableism", "sexism", "classism", "heterosexism", "homophobia", "transphobia",
      "xenophobia", "patriarchy",
    ],
  },
  {
    id: "access-rigor",
    label: "Access to rigorous instruction",
    phrases: [
      "access to rigorous", "access to advanced", "access to challenging", "access to high-quality instruction",
      "access to grade-level", "access to honors", "access to college-preparatory", "access to advanced coursework",
      "rigorous coursework", "rigorous instruction", "rigorous curriculum", "rigorous learning", "rigorous courses",
      "academic rigor", "advanced coursework", "advanced courses", "advanced classes", "advanced placement",
      "honors courses", "gifted and talented", "gifted program", "dual enrollment", "college-preparatory",
      "challenging academic experiences", "challenging curriculum", "challenging coursework", "grade-level instruction",
      "grade-level content", "high expectations", "opportunity to learn", "opportunity gap", "detracking", "detrack",
    ],
  },
  {
    id: "culturally-responsive",
    label: "Culturally responsive teaching",
    phrases: [
      "culturally responsive", "culturally relevant", "culturally sustaining", "cultural responsiveness",
      "culturally proficient", "cultural proficiency", "cultural competence", "culturally competent",
      "honor the cultures", "students' cultures", "cultural assets", "cultural wealth", "funds of knowledge",
      "asset-based", ...CULTURALLY_AND_LINGUISTICALLY,
    ],
  },
  {
    id: "family-community",
    label: "Families and communities as partners",
    phrases: [
      "families and communities", "family and community", "families are partners", "families as partners",
      "parents as partners", "partner with families", "partnership with families", "family partnership",
      "family engagement", "family involvement", "parent engagement", "parent involvement", "engage families",
      "decisions with families", "decision-making with families", "family voice", "parent voice", "community voice",
      "community engagement", "family leadership", "parent leadership",
    ],
  },
  {
    id: "outcomes",
    label: "Outcomes (achievement, gaps, disparities)",
    phrases: [
      "outcome", "achievement", "achievement gap", "gap in achievement", "gap in outcomes", "close the gap",
      "closing gaps", "disparity", "disproportionality", "disproportionate", "disproportionately", "graduation rate",
      "dropout", "test scores", "academic performance", "student success", "academic success", "proficiency rates",
      "suspension", "expulsion", "exclusionary discipline", "discipline data", "discipline rates",
    ],
  },
  {
    id: "resources",
    label: "Resources (funding, materials, staffing)",
    phrases: [
      "resource", "resourced", "under-resourced", "well-resourced", "funding", "fund", "funded", "underfunded", "budget",
      "materials", "staffing", "facilities", "allocation", "allocate resources", "per-pupil",
      "qualified teachers", "experienced teachers", "effective teachers", "wraparound services", "wraparound supports",
    ],
  },
  {
    id: "belonging",
    label: "Belonging (inclusion, safety, being known)",
    phrases: [
      "belonging", "sense of belonging", "feel they belong", "every student belongs", "inclusion", "inclusive",
      "inclusivity", "safe", "safety", "unsafe", "emotionally safe", "psychological safety", "welcoming", "welcomed",
      "feel welcome", "feel welcomed", "student is known", "child is known", "children are known", "feel known",
      "known and valued", "known and loved", "known and supported", "seen and known", "known by name", "feel valued",
      "affirming",
    ],
  },
  {
    id: "self-reflection",
    label: "Self-reflection (one's own beliefs and role)",
    phrases: [
      "self-reflection", "self-reflective", "self-examination", "self-awareness", "self-aware", "critical reflection",
      "critically reflect", "reflective practice", "reflective practitioner", "positionality", "implicit bias",
      "unconscious bias", "look inward", "inner work",
      ...REFLECTING.map((verb) => `${verb} their own`),
      ...OWN.map((what) => `their own ${what}`),
    ],
  },
];

const dimensionSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  label: z.string().min(1).max(200),
  phrases: z.array(z.string().min(1).max(200)).max(200),
});

/** The workshop's dimensions: the defaults, then those the workshop added (invalid entries skipped). */
export function workshopDimensions(doc: Y.Doc): Dimension[] {
  const added = metaOf(doc).get("dimensions");
  const out: Dimension[] = DEFAULT_DIMENSIONS.map((d) => ({ ...d, phrases: [...d.phrases] }));
  if (!Array.isArray(added)) return out;
  for (const value of added) {
    const parsed = dimensionSchema.safeParse(value);
    if (!parsed.success) continue;
    const existing = out.find((d) => d.id === parsed.data.id);
    if (existing) existing.phrases.push(...parsed.data.phrases.filter((p) => !existing.phrases.includes(p)));
    else out.push(parsed.data);
  }
  return out;
}
