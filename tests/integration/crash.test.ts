// Crash (hardening issue): 20 real y-websocket clients type while the relay is killed with
// SIGKILL at random moments and restarted on the same data and port. After every kill, before
// any client can reconnect, the store is read through a second relay on another port: it must
// hold every word any client had received through the relay (Durability 1) and every word
// covered by a saved acknowledgement (Durability 2). Clients keep typing while the relay is
// down; at the end everything has merged and every word is there exactly once (Durability 3).
import { DEFINITION_SECTION_ID, sectionText } from "@crosswalk/shared";
import { describe, expect, it, onTestFinished } from "vitest";
import * as Y from "yjs";
import { connectClient, type Client } from "../helpers/client.js";
import { definitionText, insertWord, wordCounts } from "../helpers/definitionText.js";
import { createWorkshop, restartRelay, sampleWorkshop, startRelay } from "../helpers/relay.js";
import { readStoredDoc } from "../helpers/storedState.js";
import { until } from "../helpers/until.js";

const CLIENTS = 20;
// Each cycle spawns two relay processes (~1 s each on this 2-core machine): 4 cycles in the
// default tier, more in `npm run test:extensive`.
const CYCLES = process.env.CROSSWALK_EXTENSIVE ? 12 : 4;

/** A word some client typed, and the clock its insertion reached (to compare with acks). */
interface Typed {
  word: string;
  typist: number;
  clientID: number;
  clock: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Crash", () => {
  it(`Durability 1, 2, 3: ${CLIENTS} typists, SIGKILL at random moments (${CYCLES} cycles): nothing relayed or acknowledged is lost, offline words merge, nothing is duplicated`, async () => {
    let relay = await startRelay();
    const w = await createWorkshop(
      relay,
      sampleWorkshop({
        organizations: [
          { name: "Eastside Unified School District", kind: "district" },
          { name: "Northgate University", kind: "university" },
          { name: "State Department of Education", kind: "state" },
          { name: "Families United", kind: "community" },
          { name: "Lakeview Foundation", kind: "funder" },
        ],
      }),
    );
    const tokens = w.organizations.map((o) => w.tokens.participants[o.id]!);
    // Everyone types into one Y.XmlText: made once, before the typists join.
    const setup = await connectClient(relay, w.id, tokens[0]!);
    definitionText(setup.doc, true);
    await setup.waitSaved();
    setup.destroy();

    const clients: Client[] = [];
    for (let i = 0; i < CLIENTS; i++) clients.push(await connectClient(relay, w.id, tokens[i % tokens.length]!, { ack: true }));
    const typed: Typed[] = [];
    const typistOf = new Map<string, number>();
    let counter = 0;
    const typeWord = (i: number): void => {
      const c = clients[i]!;
      const word = `c${i}w${counter++}`;
      insertWord(c.doc, word);
      typed.push({ word, typist: i, clientID: c.doc.clientID, clock: Y.getState(c.doc.store, c.doc.clientID) });
      typistOf.set(word, i);
    };
    /** Types a word in a few random clients of `who()` every 15 ms until stopped (the typing is the scenario). */
    const startTyping = (who: () => number[]) => {
      let on = true;
      onTestFinished(() => {
        on = false;
      });
      const loop = (async () => {
        while (on) {
          const pool = who();
          for (let k = 0; k < 3 && pool.length > 0; k++) typeWord(pool[Math.floor(Math.random() * pool.length)]!);
          await pause(15);
        }
      })();
      return async () => {
        on = false;
        await loop;
      };
    };
    const everyone = () => clients.map((_, i) => i);
    const evenOnly = () => clients.map((_, i) => i).filter((i) => i % 2 === 0);

    let typingWhileDown = 0;
    const checkedPerCycle: Array<{ received: number; acked: number; stored: number }> = [];
    let typing = startTyping(everyone);
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      // Kill at a random moment while everyone types (a delay is the scenario here): on even
      // cycles once every client has resynced, on odd ones possibly in the middle of the resync.
      if (cycle % 2 === 0) await until(() => clients.every((c) => c.provider.synced), "every client to resync", 20_000);
      await pause(Math.random() * 800);
      await relay.kill();
      await typing();
      // Once every client saw its socket close, everything the relay sent has been processed.
      await until(() => clients.every((c) => !c.provider.wsconnected), "every client to notice the crash");
      const expected = new Map<string, string>();
      let received = 0;
      for (const [i, c] of clients.entries()) {
        for (const word of wordCounts(definitionText(c.doc).toString()).keys()) {
          if (typistOf.get(word) !== i && !expected.has(word)) {
            expected.set(word, `received by client ${i}`);
            received++;
          }
        }
      }
      let acked = 0;
      const ackedUpTo = new Map<number, number>();
      for (const c of clients) for (const ack of c.acks) for (const [id, clock] of ack) ackedUpTo.set(id, Math.max(ackedUpTo.get(id) ?? 0, clock));
      for (const t of typed) {
        if (t.clock <= (ackedUpTo.get(t.clientID) ?? 0)) {
          if (!expected.has(t.word)) expected.set(t.word, `acknowledged to client ${t.typist}`);
          acked++;
        }
      }
      // Some clients keep typing while the relay is down.
      typing = startTyping(evenOnly);
      const before = typed.length;
      const stored = await readStoredDoc(relay, w.id, w.tokens.observer);
      const storedCounts = wordCounts(sectionText(stored, DEFINITION_SECTION_ID));
      const lost = [...expected].filter(([word]) => !storedCounts.has(word));
      expect(lost, `cycle ${cycle}: lost after SIGKILL (${expected.size} expected)`).toEqual([]);
      const duplicated = [...storedCounts].filter(([, n]) => n > 1);
      expect(duplicated, `cycle ${cycle}: duplicated in the store`).toEqual([]);
      for (const word of storedCounts.keys()) expect(typistOf.has(word), `cycle ${cycle}: "${word}" was never typed`).toBe(true);
      checkedPerCycle.push({ received, acked, stored: storedCounts.size });
      await until(() => typed.length > before, "a word typed while the relay is down");
      typingWhileDown += typed.length - before;
      relay = await restartRelay(relay);
      await typing();
      typing = startTyping(everyone);
    }
    await typing();

    // Clients reconnect by themselves; everything merges.
    await until(() => clients.every((c) => c.provider.synced), "every client to reconnect", 20_000);
    await until(() => clients.every((c) => c.saved()), "every client's words to be acknowledged", 20_000);
    const first = () => definitionText(clients[0]!.doc).toString();
    await until(() => clients.every((c) => definitionText(c.doc).toString() === first()), "every client to converge", 20_000);
    await relay.kill();
    const stored = await readStoredDoc(relay, w.id, w.tokens.observer);
    const counts = wordCounts(sectionText(stored, DEFINITION_SECTION_ID));
    expect(sectionText(stored, DEFINITION_SECTION_ID)).toBe(sectionText(clients[0]!.doc, DEFINITION_SECTION_ID));
    expect(typed.filter((t) => counts.get(t.word) !== 1).map((t) => `${t.word} ×${counts.get(t.word) ?? 0}`)).toEqual([]);
    expect(counts.size).toBe(typed.length);
    for (const c of clients) expect(c.closes.filter((e) => e.code >= 4000), "no client was refused").toEqual([]);

    // Guard: the cycles really checked relayed and acknowledged words, and offline typing happened.
    expect(checkedPerCycle.filter((c) => c.received > 0 && c.acked > 0).length).toBe(CYCLES);
    expect(typingWhileDown).toBeGreaterThan(0);
    console.log(
      `crash: ${CYCLES} SIGKILL cycles, ${typed.length} words by ${CLIENTS} clients (${typingWhileDown} while down); checked per cycle (received/acked/stored): ${checkedPerCycle
        .map((c) => `${c.received}/${c.acked}/${c.stored}`)
        .join(" ")}`,
    );
  }, 60_000 + CYCLES * 15_000); // two relay starts a cycle
});
