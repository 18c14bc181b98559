// The sample partnership as a workshop: each organization's current definition written by a
// client of that organization, and the shared draft and portrait by the district, so the
// demo shows attribution the way a real retreat would produce it.
import {
  appendRichText,
  DEFINITION_SECTION_ID,
  orgDefinitionSectionId,
  paragraph,
  portraitBlocks,
  PORTRAIT_SECTION_ID,
  SAMPLE_PARTNERSHIP,
  sectionFragment,
  setAuthor,
  type CreateWorkshopRequest,
  type Organization,
} from "@crosswalk/shared";
import * as Y from "yjs";

/** The create request of the sample partnership. */
export function sampleRequest(): CreateWorkshopRequest {
  return {
    title: SAMPLE_PARTNERSHIP.title,
    template: "full",
    organizations: SAMPLE_PARTNERSHIP.organizations.map((o) => ({ name: o.name, kind: o.kind })),
  };
}

/** Writes into a section as a separate client of the given organization, replacing its starting content. */
function writeAs(doc: Y.Doc, org: Organization, sectionId: string, write: (fragment: Y.XmlFragment) => void): void {
  const writer = new Y.Doc();
  Y.applyUpdate(writer, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(writer);
  writer.transact(() => {
    setAuthor(writer, writer.clientID, { orgId: org.id, name: `${org.name} (sample)` });
    const fragment = sectionFragment(writer, sectionId);
    fragment.delete(0, fragment.length);
    write(fragment);
  });
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer, before));
  writer.destroy();
}

/** Fills a freshly created sample workshop's document with the sample texts. */
export function seedSample(doc: Y.Doc, organizations: readonly Organization[]): void {
  SAMPLE_PARTNERSHIP.organizations.forEach((sample, i) => {
    const org = organizations[i];
    if (!org) return;
    writeAs(doc, org, orgDefinitionSectionId(org.id), (f) => appendRichText(f, [paragraph(sample.definition)]));
  });
  const district = organizations[0];
  if (!district) return;
  writeAs(doc, district, DEFINITION_SECTION_ID, (f) => appendRichText(f, [paragraph(SAMPLE_PARTNERSHIP.sharedDraft)]));
  writeAs(doc, district, PORTRAIT_SECTION_ID, (f) => appendRichText(f, portraitBlocks(SAMPLE_PARTNERSHIP.portrait)));
}
