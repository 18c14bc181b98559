import { DEFINITION_SECTION_ID, sectionFragment, sectionText } from "@crosswalk/shared";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { connectClient } from "../helpers/client.js";
import { createWorkshop, restartRelay, startRelay } from "../helpers/relay.js";
import { until } from "../helpers/until.js";

function typeInto(doc: Y.Doc, text: string): void {
  const p = sectionFragment(doc, DEFINITION_SECTION_ID).get(0) as Y.XmlElement;
  const t = p.get(0) instanceof Y.XmlText ? (p.get(0) as Y.XmlText) : (p.insert(0, [new Y.XmlText()]), p.get(0) as Y.XmlText);
  t.insert(t.length, text);
}

describe("Durability", () => {
  it("Durability 1, 2: after SIGKILL and restart, every change any client saw relayed or acknowledged is still there", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const token = Object.values(w.tokens.participants)[0]!;
    const writer = await connectClient(relay, w.id, token);
    const reader = await connectClient(relay, w.id, w.tokens.observer);
    for (let i = 0; i < 50; i++) {
      typeInto(writer.doc, `word${i} `);
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    await writer.waitSaved();
    await until(() => sectionText(reader.doc, DEFINITION_SECTION_ID) === sectionText(writer.doc, DEFINITION_SECTION_ID), "reader to see it");
    const seenByReader = sectionText(reader.doc, DEFINITION_SECTION_ID);
    // Keep typing without waiting, then kill the relay outright.
    for (let i = 50; i < 80; i++) typeInto(writer.doc, `word${i} `);
    await relay.kill();
    writer.provider.disconnect();
    reader.provider.disconnect();

    const again = await restartRelay(relay);
    const fresh = await connectClient(again, w.id, w.tokens.observer);
    const stored = sectionText(fresh.doc, DEFINITION_SECTION_ID);
    expect(stored.startsWith(seenByReader)).toBe(true);
    // Writes made before the kill but never acknowledged are merged once the writer reconnects.
    writer.provider.connect();
    await writer.waitSaved();
    await until(() => sectionText(fresh.doc, DEFINITION_SECTION_ID) === sectionText(writer.doc, DEFINITION_SECTION_ID), "merge after restart");
    const merged = sectionText(fresh.doc, DEFINITION_SECTION_ID);
    for (let i = 0; i < 80; i++) expect(merged.split(`word${i} `).length, `word${i} once`).toBe(2);
  });

  it("Durability 2: ack=1 clients get a saved acknowledgement covering their updates; others never get message 100", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const token = Object.values(w.tokens.participants)[0]!;
    const acked = await connectClient(relay, w.id, token, { ack: true });
    const plain = await connectClient(relay, w.id, token, { ack: false });
    typeInto(acked.doc, "saved text");
    typeInto(plain.doc, "plain text");
    await acked.waitSaved();
    const ack = acked.acks[acked.acks.length - 1]!;
    expect(ack.get(acked.doc.clientID)).toBe(Y.getState(acked.doc.store, acked.doc.clientID));
    await until(() => sectionText(acked.doc, DEFINITION_SECTION_ID).includes("plain text"), "plain client's text to arrive");
    expect(plain.acks).toEqual([]);
  });

  it("a clean stop (SIGTERM) exits 0 and keeps everything", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const writer = await connectClient(relay, w.id, Object.values(w.tokens.participants)[0]!);
    typeInto(writer.doc, "kept across a clean stop");
    await writer.waitSaved();
    writer.provider.disconnect();
    expect(await relay.stop()).toBe(0);
    const again = await restartRelay(relay);
    const fresh = await connectClient(again, w.id, w.tokens.observer);
    expect(sectionText(fresh.doc, DEFINITION_SECTION_ID)).toContain("kept across a clean stop");
  });

  it("open clients reconnect by themselves after a restart and keep editing", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const [o1, o2] = Object.values(w.tokens.participants);
    const a = await connectClient(relay, w.id, o1!);
    const b = await connectClient(relay, w.id, o2!);
    await relay.kill();
    typeInto(a.doc, "offline A ");
    typeInto(b.doc, "offline B ");
    const again = await restartRelay(relay);
    await until(() => a.provider.synced && b.provider.synced, "both to reconnect", 20_000);
    await until(() => {
      const t = sectionText(a.doc, DEFINITION_SECTION_ID);
      return t.includes("offline A") && t.includes("offline B") && t === sectionText(b.doc, DEFINITION_SECTION_ID);
    }, "offline edits to merge");
    await a.waitSaved();
    await b.waitSaved();
    const fresh = await connectClient(again, w.id, w.tokens.observer);
    expect(sectionText(fresh.doc, DEFINITION_SECTION_ID)).toBe(sectionText(a.doc, DEFINITION_SECTION_ID));
  });
});
