import { DEFINITION_SECTION_ID, sectionFragment, sectionText } from "@crosswalk/shared";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { connectClient, type Client } from "../helpers/client.js";
import { wordBoundaries } from "../helpers/definitionText.js";
import { createWorkshop, startRelay } from "../helpers/relay.js";
import { until } from "../helpers/until.js";

function paragraphText(doc: Y.Doc): Y.XmlText {
  const p = sectionFragment(doc, DEFINITION_SECTION_ID).get(0) as Y.XmlElement;
  let text = p.get(0) as Y.XmlText | undefined;
  if (!(text instanceof Y.XmlText)) {
    text = new Y.XmlText();
    p.insert(0, [text]);
  }
  return text;
}

function allEqual(clients: Client[]): boolean {
  const first = sectionText(clients[0]!.doc, DEFINITION_SECTION_ID);
  return clients.every((c) => sectionText(c.doc, DEFINITION_SECTION_ID) === first);
}

describe("co-editing through the relay", () => {
  it("5 clients typing concurrently, with disconnects and reconnects, converge to the same text", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const tokens = Object.values(w.tokens.participants);
    const clients = await Promise.all(Array.from({ length: 5 }, (_, i) => connectClient(relay, w.id, tokens[i % tokens.length]!)));
    // Every client types its own words at random word boundaries, some while disconnected, and
    // now and then deletes a whole word. (Inserting or deleting inside words could assemble a copy
    // of another word out of pieces, which the duplicate check below would then count.)
    const pick = <T,>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
    for (let round = 0; round < 20; round++) {
      for (const [i, c] of clients.entries()) {
        if (round === 5 && i % 2 === 0) c.provider.disconnect();
        if (round === 12 && i % 2 === 0) c.provider.connect();
        const text = paragraphText(c.doc);
        text.insert(pick(wordBoundaries(text.toString())), `c${i}r${round} `);
        if (round % 7 === 3) {
          const current = text.toString();
          const start = pick(wordBoundaries(current).filter((b) => b < current.length));
          text.delete(start, current.indexOf(" ", start) + 1 - start);
        }
      }
      await new Promise((r) => setImmediate(r));
    }
    await until(() => allEqual(clients) && clients.every((c) => c.provider.synced), "convergence", 30_000).catch((error: unknown) => {
      console.log(clients.map((c) => ({ synced: c.provider.synced, connected: c.provider.wsconnected, closes: c.closes, text: sectionText(c.doc, DEFINITION_SECTION_ID).length })));
      console.log(relay.stderr());
      throw error;
    });
    const final = sectionText(clients[0]!.doc, DEFINITION_SECTION_ID);
    // A fresh client reads the same text from the relay.
    const late = await connectClient(relay, w.id, w.tokens.observer);
    expect(sectionText(late.doc, DEFINITION_SECTION_ID)).toBe(final);
    // Nothing is duplicated: each client's 20 words appear at most once each.
    for (let i = 0; i < 5; i++) for (let r = 0; r < 20; r++) expect(final.split(`c${i}r${r} `).length).toBeLessThanOrEqual(2);
  });

  it("presence: each client sees the others' awareness states (names for carets), and they go when a client leaves", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const [orgA, orgB] = w.organizations;
    const a = await connectClient(relay, w.id, w.tokens.participants[orgA!.id]!);
    const b = await connectClient(relay, w.id, w.tokens.participants[orgB!.id]!);
    a.provider.awareness.setLocalStateField("user", { name: "Ana", color: orgA!.color, orgId: orgA!.id });
    b.provider.awareness.setLocalStateField("user", { name: "Bo", color: orgB!.color, orgId: orgB!.id });
    const names = (c: Client) => [...c.provider.awareness.getStates().values()].map((s) => (s.user as { name?: string } | undefined)?.name).sort();
    await until(() => names(a).join() === "Ana,Bo" && names(b).join() === "Ana,Bo", "both presences");
    b.destroy();
    await until(() => names(a).join() === "Ana", "Bo's presence to go");
  });
});
