import { describe, expect, it } from "vitest";
import { TokenSigner } from "./tokens.js";

describe("TokenSigner", () => {
  const signer = TokenSigner.fromSecret("a secret of sixteen characters or more");

  it("verifies what it signed, many times over with the one imported key", async () => {
    const token = await signer.sign({ workshopId: "w1", role: "participant", orgId: "o1", generation: 2 });
    for (let i = 0; i < 3; i++) expect(await signer.verify(token)).toEqual({ workshopId: "w1", role: "participant", orgId: "o1", generation: 2 });
  });

  it("refuses a token signed with another key, a tampered one and garbage", async () => {
    const other = TokenSigner.fromSecret("another secret of sixteen characters");
    const token = await other.sign({ workshopId: "w1", role: "facilitator", orgId: null, generation: 0 });
    expect(await signer.verify(token)).toBeNull();
    const mine = await signer.sign({ workshopId: "w1", role: "facilitator", orgId: null, generation: 0 });
    const at = mine.length - 5;
    expect(await signer.verify(`${mine.slice(0, at)}${mine[at] === "A" ? "Q" : "A"}${mine.slice(at + 1)}`)).toBeNull();
    expect(await signer.verify("not.a.token")).toBeNull();
    expect(await signer.verify(null)).toBeNull();
  });
});
