// The document a new workshop starts with, as POST /api/workshops lays it out (template
// "full", one organization). Our relay creates it; the stock server starts every room empty,
// so a benchmark sends it this document first and both servers serve the same content.
import { colorForIndex, initializeWorkshop } from "@crosswalk/shared";
import * as Y from "yjs";

/** A fresh Y.Doc holding a new workshop's starting state. */
export function workshopDocument(title: string): Y.Doc {
  const doc = new Y.Doc();
  initializeWorkshop(doc, {
    title,
    template: "full",
    createdAt: Date.now(),
    organizations: [{ id: "district0", name: "District", kind: "district", color: colorForIndex(0) }],
  });
  return doc;
}
