import { authorsOf, orgDefinitionSectionId, SAMPLE_PARTNERSHIP, sectionFragment, sectionText, type CreateWorkshopResponse } from "@crosswalk/shared";
import { describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { connectClient } from "../helpers/client.js";
import { startRelay } from "../helpers/relay.js";

describe("the sample partnership", () => {
  it("POST /api/workshops/sample creates it with every organization's definition written as that organization", async () => {
    const relay = await startRelay();
    const res = await fetch(`${relay.url}/api/workshops/sample`, { method: "POST" });
    expect(res.status).toBe(201);
    const w = (await res.json()) as CreateWorkshopResponse;
    expect(w.organizations.map((o) => o.name)).toEqual(SAMPLE_PARTNERSHIP.organizations.map((o) => o.name));
    const client = await connectClient(relay, w.id, w.tokens.observer);
    const authors = authorsOf(client.doc);
    w.organizations.forEach((org, i) => {
      const sectionId = orgDefinitionSectionId(org.id);
      expect(sectionText(client.doc, sectionId)).toBe(SAMPLE_PARTNERSHIP.organizations[i]!.definition);
      // Every character of the definition was inserted by a client writing for that organization.
      const text = (sectionFragment(client.doc, sectionId).get(0) as Y.XmlElement).get(0) as Y.XmlText;
      for (let item = text._start; item !== null; item = item.right) {
        if (!item.deleted) expect((authors.get(String(item.id.client)) as { orgId: string }).orgId).toBe(org.id);
      }
    });
    expect(sectionText(client.doc, "definition")).toBe(SAMPLE_PARTNERSHIP.sharedDraft);
    expect(sectionText(client.doc, "portrait")).toContain("Reflective practice\nLeadership actions\nExamines own beliefs and role in sustaining privilege");
  });
});
