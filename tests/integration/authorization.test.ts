import {
  annotationsOf,
  authorsOf,
  consentKey,
  consentOf,
  DEFINITION_SECTION_ID,
  flagsOf,
  metaOf,
  organizationsOf,
  reflectionsOf,
  sectionFragment,
  sectionsOf,
  type CreateWorkshopResponse,
} from "@crosswalk/shared";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { connectClient, rawSocket, type Client } from "../helpers/client.js";
import { createWorkshop, restartRelay, startRelay } from "../helpers/relay.js";
import { until } from "../helpers/until.js";

function annotation(id: string, orgId: string, body = "A concern") {
  return {
    id,
    sectionId: DEFINITION_SECTION_ID,
    orgId,
    author: "Someone",
    stance: "concern",
    dimensions: ["race-ethnicity"],
    body,
    anchor: { start: null, end: null },
    quote: "x",
    createdAt: 1,
  };
}

function participant(w: CreateWorkshopResponse, index: number): { orgId: string; token: string } {
  const org = w.organizations[index]!;
  return { orgId: org.id, token: w.tokens.participants[org.id]! };
}

/** Writes a sentinel through a legitimate client and waits until the watcher has it: everything sent before it has been handled. */
async function sentinel(writer: Client, watcher: Client, key: string): Promise<void> {
  writer.doc.getMap("meta").set(key, true);
  await until(() => watcher.doc.getMap("meta").get(key) === true, `sentinel ${key}`);
}

/** The organizations a refusal is about: the attacker's own (org0) and someone else's (org1). */
interface Orgs {
  org0: string;
  org1: string;
}

interface Refusal {
  name: string;
  /** Who makes the write: participant of org0, or an observer. */
  as: "participant" | "observer";
  /** Prepares state as the legitimate organization org1. */
  setup?: (org1: Y.Doc, ids: Orgs) => void;
  write(doc: Y.Doc, ids: Orgs): void;
  /** True when the forbidden write is visible in a document. */
  visible(doc: Y.Doc, ids: Orgs): boolean;
}

const consentFor = (orgId: string) => ({
  sectionId: DEFINITION_SECTION_ID,
  orgId,
  level: "block",
  author: "x",
  at: 1,
  contentHash: "0".repeat(64),
});

const refusals: Refusal[] = [
  {
    name: "4403: a participant writing another organization's annotation",
    as: "participant",
    write: (d, { org1 }) => annotationsOf(d).set("forged", annotation("forged", org1)),
    visible: (d) => annotationsOf(d).has("forged"),
  },
  {
    name: "4403: a participant overwriting another organization's annotation",
    as: "participant",
    setup: (d, { org1 }) => annotationsOf(d).set("a1", annotation("a1", org1, "original")),
    write: (d, { org1 }) => annotationsOf(d).set("a1", annotation("a1", org1, "tampered")),
    visible: (d) => (annotationsOf(d).get("a1") as { body?: string } | undefined)?.body !== "original",
  },
  {
    name: "4403: a participant resolving another organization's annotation",
    as: "participant",
    setup: (d, { org1 }) => annotationsOf(d).set("a3", annotation("a3", org1, "open")),
    write: (d) => annotationsOf(d).set("a3", { ...(annotationsOf(d).get("a3") as object), resolved: true }),
    visible: (d) => (annotationsOf(d).get("a3") as { resolved?: boolean } | undefined)?.resolved === true,
  },
  {
    name: "4403: a participant deleting another organization's annotation",
    as: "participant",
    setup: (d, { org1 }) => annotationsOf(d).set("a2", annotation("a2", org1, "keep me")),
    write: (d) => annotationsOf(d).delete("a2"),
    visible: (d) => !annotationsOf(d).has("a2"),
  },
  {
    name: "4403: a participant giving consent for another organization",
    as: "participant",
    write: (d, { org1 }) => consentOf(d).set(consentKey(DEFINITION_SECTION_ID, org1), consentFor(org1)),
    visible: (d, { org1 }) => consentOf(d).has(consentKey(DEFINITION_SECTION_ID, org1)),
  },
  {
    name: "4403: a participant writing another organization's reflection",
    as: "participant",
    write: (d, { org1 }) =>
      reflectionsOf(d).set("r1", { id: "r1", flagId: "f", orgId: org1, author: "x", kind: "perspective-making", text: "not ours", createdAt: 1 }),
    visible: (d) => reflectionsOf(d).has("r1"),
  },
  {
    name: "4403: a participant raising a flag (facilitators only)",
    as: "participant",
    write: (d) => flagsOf(d).set("f1", { id: "f1" }),
    visible: (d) => flagsOf(d).has("f1"),
  },
  {
    name: "4403: a participant renaming the workshop (meta is facilitators' only)",
    as: "participant",
    write: (d) => metaOf(d).set("title", "Hijacked"),
    visible: (d) => metaOf(d).get("title") === "Hijacked",
  },
  {
    name: "4403: a participant removing an organization",
    as: "participant",
    write: (d, { org1 }) => organizationsOf(d).delete(org1),
    visible: (d, { org1 }) => !organizationsOf(d).has(org1),
  },
  {
    name: "4403: a participant removing a section",
    as: "participant",
    write: (d) => sectionsOf(d).delete(0, 1),
    visible: (d) => sectionsOf(d).length < 5,
  },
  {
    name: "4403: a participant writing an authors record for another client id",
    as: "participant",
    write: (d, { org0 }) => authorsOf(d).set("123456", { orgId: org0, name: "impostor" }),
    visible: (d) => authorsOf(d).has("123456"),
  },
  {
    name: "4403: an observer typing into a section",
    as: "observer",
    write: (d) => (sectionFragment(d, DEFINITION_SECTION_ID).get(0) as Y.XmlElement).insert(0, [new Y.XmlText("observer was here")]),
    visible: (d) => sectionFragment(d, DEFINITION_SECTION_ID).toString().includes("observer was here"),
  },
];

describe("authorization inside the document, through the real relay", () => {
  it("each forbidden write is refused with 4403, never reaches other clients, and is absent after a restart", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const ids: Orgs = { org0: w.organizations[0]!.id, org1: w.organizations[1]!.id };
    const facilitator = await connectClient(relay, w.id, w.tokens.facilitator);
    const org1 = await connectClient(relay, w.id, participant(w, 1).token);
    const watcher = await connectClient(relay, w.id, w.tokens.observer);
    for (const [i, r] of refusals.entries()) {
      if (r.setup) {
        r.setup(org1.doc, ids);
        await org1.waitSaved();
        await until(() => !r.visible(watcher.doc, ids), `${r.name}: setup to reach the watcher`);
      }
      const attacker = await connectClient(relay, w.id, r.as === "observer" ? w.tokens.observer : participant(w, 0).token);
      attacker.doc.transact(() => r.write(attacker.doc, ids));
      await until(() => attacker.closes.some((c) => c.code === 4403), `${r.name}: close 4403`);
      // Everything sent before the sentinel has been handled by the relay.
      await sentinel(facilitator, watcher, `after-${i}`);
      expect(r.visible(watcher.doc, ids), `${r.name}: watcher`).toBe(false);
      expect(r.visible(org1.doc, ids), `${r.name}: other participant`).toBe(false);
    }
    await facilitator.waitSaved();
    await relay.kill();
    const again = await restartRelay(relay);
    const fresh = await connectClient(again, w.id, w.tokens.observer);
    for (const r of refusals) expect(r.visible(fresh.doc, ids), `${r.name}: after restart`).toBe(false);
  });

  it("the same writes by the right organization or a facilitator succeed and are stored", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const { orgId, token } = participant(w, 0);
    const p = await connectClient(relay, w.id, token);
    const facilitator = await connectClient(relay, w.id, w.tokens.facilitator);
    annotationsOf(p.doc).set("a1", annotation("a1", orgId));
    reflectionsOf(p.doc).set("r1", { id: "r1", flagId: "f1", orgId, author: "P", kind: "perspective-making", text: "what we mean", createdAt: 1 });
    consentOf(p.doc).set(consentKey(DEFINITION_SECTION_ID, orgId), {
      sectionId: DEFINITION_SECTION_ID,
      orgId,
      level: "endorse",
      author: "P",
      at: 1,
      contentHash: "0".repeat(64),
    });
    authorsOf(p.doc).set(String(p.doc.clientID), { orgId, name: "P" });
    annotationsOf(p.doc).set("a1", { ...annotation("a1", orgId), resolved: true });
    annotationsOf(p.doc).set("reply", { ...annotation("reply", orgId), parentId: "a1" });
    annotationsOf(p.doc).delete("reply");
    flagsOf(facilitator.doc).set("f1", { id: "f1", title: "Whose equity?" });
    // A facilitator may resolve any organization's annotation.
    await until(() => annotationsOf(facilitator.doc).has("a1"), "annotation to reach the facilitator");
    annotationsOf(facilitator.doc).set("a1", { ...(annotationsOf(facilitator.doc).get("a1") as object), resolved: true });
    metaOf(facilitator.doc).set("title", "Renamed by the facilitator");
    await p.waitSaved();
    await facilitator.waitSaved();
    expect(p.closes).toEqual([]);
    expect(facilitator.closes).toEqual([]);
    await relay.kill();
    const again = await restartRelay(relay);
    const fresh = await connectClient(again, w.id, w.tokens.observer);
    expect((annotationsOf(fresh.doc).get("a1") as { resolved?: boolean }).resolved).toBe(true);
    expect(annotationsOf(fresh.doc).has("reply")).toBe(false);
    expect(reflectionsOf(fresh.doc).has("r1")).toBe(true);
    expect(consentOf(fresh.doc).has(consentKey(DEFINITION_SECTION_ID, orgId))).toBe(true);
    expect(flagsOf(fresh.doc).has("f1")).toBe(true);
    expect(metaOf(fresh.doc).get("title")).toBe("Renamed by the facilitator");
    expect((authorsOf(fresh.doc).get(String(p.doc.clientID)) as { orgId: string }).orgId).toBe(orgId);
  });

  it("every character is attributed: the relay records authors for clients that did not", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const { orgId, token } = participant(w, 2);
    const script = await connectClient(relay, w.id, token);
    (sectionFragment(script.doc, DEFINITION_SECTION_ID).get(0) as Y.XmlElement).insert(0, [new Y.XmlText("from a script")]);
    await script.waitSaved();
    await until(() => authorsOf(script.doc).has(String(script.doc.clientID)), "authors record");
    expect((authorsOf(script.doc).get(String(script.doc.clientID)) as { orgId: string }).orgId).toBe(orgId);
  });
});

describe("tokens and link rotation", () => {
  it("rotating an organization's link closes its live sockets with 4401 and the old token stops working; others carry on", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const { orgId, token } = participant(w, 0);
    const old = await connectClient(relay, w.id, token);
    const other = await connectClient(relay, w.id, participant(w, 1).token);
    const res = await fetch(`${relay.url}/api/workshops/${w.id}/organizations/${orgId}/rotate`, {
      method: "POST",
      headers: { authorization: `Bearer ${w.tokens.facilitator}` },
    });
    expect(res.status).toBe(200);
    const rotated = (await res.json()) as { link: string; token: string };
    expect(rotated.link).toContain(`#token=${rotated.token}`);
    await until(() => old.closes.some((c) => c.code === 4401), "old socket closed with 4401");
    expect((await fetch(`${relay.url}/api/workshops/${w.id}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    const { closed } = await rawSocket(relay, w.id, `?token=${token}`);
    expect((await closed).code).toBe(4401);
    const fresh = await connectClient(relay, w.id, rotated.token);
    expect(fresh.provider.synced).toBe(true);
    expect(other.closes).toEqual([]);
  });

  it("only facilitators rotate links and add organizations (403); a participant's GET shows its own role", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const { orgId, token } = participant(w, 0);
    const asParticipant = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    expect((await fetch(`${relay.url}/api/workshops/${w.id}/organizations/${orgId}/rotate`, { method: "POST", headers: asParticipant })).status).toBe(403);
    expect(
      (await fetch(`${relay.url}/api/workshops/${w.id}/organizations`, { method: "POST", headers: asParticipant, body: JSON.stringify({ name: "X", kind: "other" }) }))
        .status,
    ).toBe(403);
    expect((await fetch(`${relay.url}/api/workshops/${w.id}/links`, { headers: asParticipant })).status).toBe(403);
  });

  it("adding an organization gives it a link, a color and its own-definition section, live for connected clients", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const watcher = await connectClient(relay, w.id, w.tokens.observer);
    const headers = { authorization: `Bearer ${w.tokens.facilitator}`, "content-type": "application/json" };
    const res = await fetch(`${relay.url}/api/workshops/${w.id}/organizations`, { method: "POST", headers, body: JSON.stringify({ name: "Eastside Families United", kind: "community" }) });
    expect(res.status).toBe(201);
    const org = (await res.json()) as { id: string; color: string; link: string; token: string };
    expect(org.color).toMatch(/^#[0-9A-F]{6}$/i);
    await until(() => organizationsOf(watcher.doc).has(org.id), "organization to appear");
    const sections = sectionsOf(watcher.doc).toArray() as Array<{ kind: string; orgId?: string; title: string }>;
    const index = sections.findIndex((s) => s.orgId === org.id);
    expect(sections[index]!.title).toBe("Eastside Families United's current definition");
    expect(sections[index + 1]!.kind).toBe("definition");
    const dup = await fetch(`${relay.url}/api/workshops/${w.id}/organizations`, { method: "POST", headers, body: JSON.stringify({ name: "eastside families united", kind: "community" }) });
    expect(dup.status).toBe(400);
    const joined = await connectClient(relay, w.id, org.token);
    expect(joined.provider.synced).toBe(true);
  });

  it("an expired token is refused (401, close 4401)", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    const { SignJWT } = await import("jose");
    const { TEST_SECRET } = await import("../helpers/relay.js");
    const expired = await new SignJWT({ wid: w.id, role: "observer", gen: 0 })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("crosswalk")
      .setIssuedAt(1_600_000_000)
      .setExpirationTime(1_600_000_100)
      .sign(new TextEncoder().encode(TEST_SECRET));
    expect((await fetch(`${relay.url}/api/workshops/${w.id}`, { headers: { authorization: `Bearer ${expired}` } })).status).toBe(401);
    const { closed } = await rawSocket(relay, w.id, `?token=${expired}`);
    expect((await closed).code).toBe(4401);
  });
});
