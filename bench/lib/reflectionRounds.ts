// Reflection rounds on a loaded workshop, run the way a retreat runs them: the facilitator
// flags the top hotspots (a flag record in the document, as the divergence map's "Flag" does),
// each organization submits what it means and what it hears another organization saying
// (POST …/flags/:id/statements with its own token), the facilitator reveals them (POST
// …/reveal puts them into the document) and closes the round with an outcome.
import { analyzeWorkshop, anchorForRange, closeFlag, draftFlagAt, flagsOf, reflectionsOf, type FlagOutcome } from "@crosswalk/shared";
import type { LoadedWorkshop } from "./loadAnnotatedWorkshop.js";
import type { OurRelay } from "./ourRelay.js";
import { until } from "./until.js";

const OUTCOMES: readonly FlagOutcome[] = ["aligned", "agree-to-differ", "parked"];
const MEANING = "For us this passage is about who decides, and whether families are at the table when they do.";
const HEARING = "We hear them saying the wording matters less than the commitment to report on it every year.";

/** What the rounds left in the document. */
export interface ReflectionFigures {
  flags: number;
  statements: number;
}

async function post(url: string, token: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${new URL(url).pathname} answered ${res.status}: ${await res.text()}`);
}

/** Runs `count` rounds on the top hotspots; resolves once the relay has stored their outcome. */
export async function runReflectionRounds(relay: OurRelay, loaded: LoadedWorkshop, count: number): Promise<ReflectionFigures> {
  const { workshop, client } = loaded;
  const doc = client.doc;
  const hotspots = (await analyzeWorkshop(doc)).hotspots.slice(0, count);
  const flags = hotspots.map((h, i) => {
    const drafted = draftFlagAt(doc, h.sectionId, anchorForRange(doc, h.sectionId, h.from, h.to), h.quote.slice(0, 80), "Bench facilitator", Date.UTC(2025, 5, 12, 14, i), `bench-flag-${i}`);
    if (!drafted.ok) throw new Error(`flagging hotspot ${i}: ${drafted.message}`);
    return { ...drafted.value, status: "in-reflection" as const };
  });
  doc.transact(() => {
    for (const f of flags) flagsOf(doc).set(f.id, f);
  });
  await loaded.allSaved("the flags");

  const orgs = workshop.organizations;
  const base = `${relay.url}/api/workshops/${workshop.id}/flags`;
  for (const flag of flags) {
    for (const [i, org] of orgs.entries()) {
      const token = workshop.tokens.participants[org.id]!;
      await post(`${base}/${flag.id}/statements`, token, { kind: "perspective-making", author: `${org.name} lead`, text: MEANING });
      await post(`${base}/${flag.id}/statements`, token, { kind: "perspective-taking", aboutOrgId: orgs[(i + 1) % orgs.length]!.id, author: `${org.name} lead`, text: HEARING });
    }
    await post(`${base}/${flag.id}/reveal`, workshop.tokens.facilitator, {});
  }
  const statements = flags.length * orgs.length * 2;
  await until(() => reflectionsOf(doc).size >= statements, "the revealed statements to reach the facilitator's client");

  doc.transact(() => {
    flags.forEach((flag, i) => {
      const outcome = OUTCOMES[i % OUTCOMES.length]!;
      const closed = closeFlag(flag, outcome, outcome === "parked" ? "The district's equity office takes this to the March board meeting." : "Recorded at the retreat.");
      if (!closed.ok) throw new Error(closed.message);
      flagsOf(doc).set(flag.id, closed.value);
    });
  });
  await loaded.allSaved("the closed flags");
  return { flags: flags.length, statements };
}
