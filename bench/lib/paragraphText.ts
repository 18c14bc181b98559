// Where writers type: the first paragraph of the shared definition, as the web app and
// tests/integration/durability.test.ts do. The stock server starts with an empty document,
// so there the writer lays the same paragraph out first and both servers carry the same updates.
import { DEFINITION_SECTION_ID, sectionFragment } from "@crosswalk/shared";
import * as Y from "yjs";

/** The text node of the definition's first paragraph, or null while it does not exist yet. */
export function findParagraphText(doc: Y.Doc): Y.XmlText | null {
  const paragraph = sectionFragment(doc, DEFINITION_SECTION_ID).get(0);
  if (!(paragraph instanceof Y.XmlElement)) return null;
  const text = paragraph.get(0);
  return text instanceof Y.XmlText ? text : null;
}

/** The same, creating the paragraph and its text node where missing. */
export function ensureParagraphText(doc: Y.Doc): Y.XmlText {
  const fragment = sectionFragment(doc, DEFINITION_SECTION_ID);
  doc.transact(() => {
    if (!(fragment.get(0) instanceof Y.XmlElement)) fragment.insert(0, [new Y.XmlElement("paragraph")]);
    const paragraph = fragment.get(0) as Y.XmlElement;
    if (!(paragraph.get(0) instanceof Y.XmlText)) paragraph.insert(0, [new Y.XmlText()]);
  });
  return findParagraphText(doc)!;
}
