import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { appendRichText, compareSection, deletionLookup, paragraph, sectionFragment, setAuthor, type DeletionLog } from "../index.js";

function text(doc: Y.Doc): Y.XmlText {
  return (sectionFragment(doc, "s").get(0) as Y.XmlElement).get(0) as Y.XmlText;
}

describe("compareSection", () => {
  it("marks insertions and deletions between versions, each attributed to the organization that made it", () => {
    const a = new Y.Doc();
    appendRichText(sectionFragment(a, "s"), [paragraph("Equity means race does not predict outcomes.")]);
    setAuthor(a, a.clientID, { orgId: "district", name: "A" });
    const older = new Y.Doc();
    Y.applyUpdate(older, Y.encodeStateAsUpdate(a));
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    setAuthor(b, b.clientID, { orgId: "uni", name: "B" });
    text(b).insert("Equity means ".length, "language, disability and ");
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    // The district deletes "does not predict " and the relay logs who did.
    const at = text(a).toString().indexOf("does not predict ");
    const deletedIds: Array<[number, number]> = [];
    let offset = 0;
    for (let item = text(a)._start; item !== null; item = item.right) {
      if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
      for (let k = 0; k < item.length; k++, offset++) if (offset >= at && offset < at + "does not predict ".length) deletedIds.push([item.id.client, item.id.clock + k]);
    }
    text(a).delete(at, "does not predict ".length);
    const log: DeletionLog = deletedIds.map(([client, clock]) => [client, clock, 1, "district"] as const);
    const pieces = compareSection(older, a, "s", deletionLookup(log));
    expect(pieces.filter((p) => p.kind === "insert")).toEqual([{ kind: "insert", text: "language, disability and ", orgId: "uni" }]);
    expect(pieces.filter((p) => p.kind === "delete").map((p) => [p.text, p.orgId])).toEqual([["does not predict ", "district"]]);
    expect(pieces.map((p) => (p.kind === "delete" ? "" : p.text)).join("")).toBe(text(a).toString());
  });

  it("reports no change between identical states", () => {
    const d = new Y.Doc();
    appendRichText(sectionFragment(d, "s"), [paragraph("same"), paragraph("text")]);
    expect(compareSection(d, d, "s", deletionLookup([]))).toEqual([{ kind: "same", text: "same\ntext", orgId: null }]);
  });
});
