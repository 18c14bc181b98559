import { describe, expect, it } from "vitest";
import { createWorkshop, sampleWorkshop, startRelay } from "../helpers/relay.js";

async function post(url: string, body: string, headers: Record<string, string> = { "content-type": "application/json" }) {
  const res = await fetch(url, { method: "POST", headers, body });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string; field?: string } } };
}

describe("HTTP API", () => {
  it("GET /healthz answers ok", async () => {
    const relay = await startRelay();
    const res = await fetch(`${relay.url}/healthz`);
    expect(res.status).toBe(200);
    // With STORE=postgres the relay also names PostgreSQL and Redis (clusterOutages.test.ts checks them).
    expect(await res.json()).toMatchObject({ ok: true });
  });

  it("400: non-JSON, an empty body and a JSON body that is not an object, each with the contract's error shape", async () => {
    const relay = await startRelay();
    for (const body of ["{not json", "", "[1,2]", "null", '"text"']) {
      const res = await post(`${relay.url}/api/workshops`, body);
      expect(res.status, body).toBe(400);
      expect(res.body.error?.code).toBe("bad_request");
      expect(typeof res.body.error?.message).toBe("string");
    }
  });

  it("413: an oversize body", async () => {
    const relay = await startRelay({ env: { MAX_BODY_BYTES: "4096" } });
    const res = await post(`${relay.url}/api/workshops`, JSON.stringify({ title: "x".repeat(10_000), organizations: [] }));
    expect(res.status).toBe(413);
    expect(res.body.error?.code).toBe("too_large");
  });

  it("400 with the field named: empty title, no organizations, duplicate names, unknown kind, names over 200 characters, more than 30 organizations", async () => {
    const relay = await startRelay();
    const cases: Array<[unknown, string]> = [
      [sampleWorkshop({ title: "  " }), "title"],
      [sampleWorkshop({ organizations: [] }), "organizations"],
      [sampleWorkshop({ organizations: [{ name: "A", kind: "district" }, { name: "a ", kind: "state" }] }), "organizations.1.name"],
      [{ ...sampleWorkshop(), organizations: [{ name: "A", kind: "school" }] }, "organizations.0.kind"],
      [sampleWorkshop({ organizations: [{ name: "n".repeat(201), kind: "district" }] }), "organizations.0.name"],
      [sampleWorkshop({ title: "t".repeat(201) }), "title"],
      [sampleWorkshop({ organizations: Array.from({ length: 31 }, (_, i) => ({ name: `Org ${i}`, kind: "other" as const })) }), "organizations"],
      [{ ...sampleWorkshop(), template: "novel" }, "template"],
    ];
    for (const [body, field] of cases) {
      const res = await post(`${relay.url}/api/workshops`, JSON.stringify(body));
      expect(res.status, field).toBe(400);
      expect(res.body.error?.field, JSON.stringify(res.body)).toBe(field);
    }
  });

  it("CREATE_TOKEN: creating a workshop then requires the bearer token", async () => {
    const relay = await startRelay({ env: { CREATE_TOKEN: "let-me-create" } });
    expect((await post(`${relay.url}/api/workshops`, JSON.stringify(sampleWorkshop()))).status).toBe(401);
    const ok = await post(`${relay.url}/api/workshops`, JSON.stringify(sampleWorkshop()), {
      "content-type": "application/json",
      authorization: "Bearer let-me-create",
    });
    expect(ok.status).toBe(201);
  });

  it("creates a workshop with links whose token sits in the fragment, and GET returns its layout and the caller's role", async () => {
    const relay = await startRelay();
    const w = await createWorkshop(relay);
    expect(w.links.facilitator).toBe(`${relay.url}/w/${w.id}#token=${w.tokens.facilitator}`);
    const [org] = w.organizations;
    const res = await fetch(`${relay.url}/api/workshops/${w.id}`, { headers: { authorization: `Bearer ${w.tokens.participants[org!.id]}` } });
    expect(res.status).toBe(200);
    const info = (await res.json()) as { role: string; orgId: string; sections: Array<{ kind: string; title: string; orgId?: string }> };
    expect(info.role).toBe("participant");
    expect(info.orgId).toBe(org!.id);
    expect(info.sections.map((s) => s.kind)).toEqual(["org-definition", "org-definition", "org-definition", "definition", "portrait"]);
    expect(info.sections[0]!.title).toBe("Eastside Unified School District's current definition");
  });

  it("404 for an unknown workshop whatever the token; 401 for a known one with no, bad or foreign token", async () => {
    const relay = await startRelay();
    const a = await createWorkshop(relay);
    const b = await createWorkshop(relay);
    expect((await fetch(`${relay.url}/api/workshops/unknownWorkshop1`, { headers: { authorization: `Bearer ${a.tokens.facilitator}` } })).status).toBe(404);
    expect((await fetch(`${relay.url}/api/workshops/${a.id}`)).status).toBe(401);
    expect((await fetch(`${relay.url}/api/workshops/${a.id}`, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    expect((await fetch(`${relay.url}/api/workshops/${a.id}`, { headers: { authorization: `Bearer ${b.tokens.facilitator}` } })).status).toBe(401);
    expect((await fetch(`${relay.url}/api/workshops/${a.id}?token=${a.tokens.observer}`)).status).toBe(200);
  });

  it("serves the web app for / and /w/:id with security headers, and path traversal finds nothing", async () => {
    const relay = await startRelay();
    for (const path of ["/", "/w/someWorkshopId"]) {
      const res = await fetch(`${relay.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(await res.text()).toContain("<div id=\"root\">");
    }
    for (const path of ["/..%2F..%2Fetc%2Fpasswd", "/assets/..%2F..%2F..%2Fpackage.json", "/api/workshops/..%2F..%2Fetc"]) {
      const res = await fetch(`${relay.url}${path}`);
      expect(res.status, path).toBe(404);
    }
  });
});
