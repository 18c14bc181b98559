import { DEFINITION_SECTION_ID, sectionFragment, sectionText } from "@crosswalk/shared";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { connectClient, rawSocket } from "../helpers/client.js";
import { createWorkshop, metric, startRelay } from "../helpers/relay.js";
import { until } from "../helpers/until.js";

function typeInto(doc: Y.Doc, text: string): void {
  const p = sectionFragment(doc, DEFINITION_SECTION_ID).get(0) as Y.XmlElement;
  if (!(p.get(0) instanceof Y.XmlText)) p.insert(0, [new Y.XmlText()]);
  (p.get(0) as Y.XmlText).insert(0, text);
}

describe("WebSocket protocol and bad input", () => {
  it("4404: an unknown workshop is refused whatever the token, and no room is created", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    for (const id of ["doesNotExist12345", "..%2F..%2Fetc", "x"]) {
      const { closed } = await rawSocket(relay, id, `?token=${w.tokens.facilitator}`);
      expect((await closed).code).toBe(4404);
    }
    expect(await metric(relay, "crosswalk_rooms_in_memory")).toBe(0);
  });

  it("4401: no token, a garbage token, or a token for another workshop", async () => {
    const relay = await startRelay();
    const a = await createWorkshop(relay);
    const b = await createWorkshop(relay);
    for (const query of ["", "?token=garbage", `?token=${b.tokens.facilitator}`, `?token=${a.tokens.facilitator}x`]) {
      const { closed } = await rawSocket(relay, a.id, query);
      expect((await closed).code, query).toBe(4401);
    }
  });

  it("4400: random bytes and truncated protocol messages close that socket; the relay and other rooms carry on", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const other = await createWorkshop(relay);
    const token = Object.values(w.tokens.participants)[0]!;
    const bystander = await connectClient(relay, other.id, Object.values(other.tokens.participants)[0]!);
    const sameRoom = await connectClient(relay, w.id, token);
    const garbage: Uint8Array[] = [
      new Uint8Array([99, 1, 2, 3]), // unknown message type
      new Uint8Array([0, 2, 50, 1]), // update shorter than its declared length
      new Uint8Array([0, 2, 3, 255, 255, 255]), // undecodable update
      new Uint8Array([0, 9]), // unknown sync step
      new Uint8Array([1, 5, 1, 2]), // truncated awareness
      new Uint8Array([0]), // truncated header
    ];
    for (let i = 0; i < 20; i++) garbage.push(new Uint8Array(Array.from({ length: 1 + Math.floor(Math.random() * 40) }, () => Math.floor(Math.random() * 256))));
    for (const bytes of garbage) {
      const { ws, closed } = await rawSocket(relay, w.id, `?token=${token}`);
      ws.send(bytes);
      const { code } = await closed;
      expect([4400, 4403], `bytes ${Array.from(bytes).join(",")}`).toContain(code);
    }
    const { ws, closed } = await rawSocket(relay, w.id, `?token=${token}`);
    ws.send("text frame");
    expect((await closed).code).toBe(4400);
    typeInto(bystander.doc, "other room still works");
    typeInto(sameRoom.doc, "same room still works");
    await bystander.waitSaved();
    await sameRoom.waitSaved();
    const check = await connectClient(relay, w.id, w.tokens.observer);
    expect(sectionText(check.doc, DEFINITION_SECTION_ID)).toBe("same room still works");
    expect(sameRoom.closes).toEqual([]);
  });

  it("4413: a message over the limit closes the socket with 4413, not 1009", async () => {
    const relay = await startRelay({ env: { MAX_MESSAGE_BYTES: "65536" } });
    const w = await createWorkshop(relay);
    const { ws, closed } = await rawSocket(relay, w.id, `?token=${Object.values(w.tokens.participants)[0]}`);
    ws.send(new Uint8Array(70_000));
    expect((await closed).code).toBe(4413);
  });

  it("4426: a client older than the workshop's schema is refused; a client without schema is treated as current", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const token = Object.values(w.tokens.participants)[0]!;
    const { closed } = await rawSocket(relay, w.id, `?token=${token}&schema=0`);
    expect((await closed).code).toBe(4426);
    const newer = await connectClient(relay, w.id, token, { params: { schema: "2" } });
    expect(newer.provider.synced).toBe(true);
    const { closed: nowOld } = await rawSocket(relay, w.id, `?token=${token}&schema=1`);
    expect((await nowOld).code).toBe(4426);
    const script = await connectClient(relay, w.id, token);
    expect(script.provider.synced).toBe(true);
  });

  it("a room is unloaded after its last client leaves and loads again intact", async () => {
    const relay = await startRelay({ env: { UNLOAD_DELAY_MS: "0", COMPACT_AFTER_UPDATES: "5" } });
    const w = await createWorkshop(relay);
    const client = await connectClient(relay, w.id, Object.values(w.tokens.participants)[0]!);
    for (let i = 0; i < 30; i++) typeInto(client.doc, `${i} `);
    await client.waitSaved();
    const text = sectionText(client.doc, DEFINITION_SECTION_ID);
    expect(await metric(relay, "crosswalk_rooms_in_memory")).toBe(1);
    client.destroy();
    await until(async () => (await metric(relay, "crosswalk_rooms_in_memory")) === 0, "room to unload");
    const again = await connectClient(relay, w.id, w.tokens.observer);
    expect(sectionText(again.doc, DEFINITION_SECTION_ID)).toBe(text);
    expect(await metric(relay, "crosswalk_rooms_in_memory")).toBe(1);
  });
});
