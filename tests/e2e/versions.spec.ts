import fs from "node:fs";
import { Document, HeadingLevel, Packer, Paragraph } from "docx";
import mammoth from "mammoth";
import { expect, test } from "./fixtures.js";

test("a facilitator saves a version; after an edit, comparing shows the change attributed to its organization", async ({ facilitator, university, workshop }) => {
  await facilitator.join();
  await university.join();
  await facilitator.typeAtEnd("Equity means race does not predict outcomes.");
  await expect(facilitator.page.getByTestId("saved-state")).toHaveText("All changes saved");
  await facilitator.page.getByRole("link", { name: "Versions" }).click();
  await facilitator.page.getByLabel("Name of the version").fill("After morning session, 26 January");
  await facilitator.page.getByRole("button", { name: "Save a version" }).click();
  await expect(facilitator.page.getByTestId("versions")).toContainText("After morning session, 26 January");

  await expect.poll(() => university.text()).toContain("outcomes.");
  await university.typeAtEnd(" Every student belongs.");
  await expect(university.page.getByTestId("saved-state")).toHaveText("All changes saved");

  await facilitator.page.getByRole("button", { name: "Compare" }).click();
  const definition = facilitator.page.getByTestId("section-changes").filter({ hasText: "Equity definition" });
  const inserted = definition.locator("ins");
  await expect(inserted).toHaveText(" Every student belongs.");
  await expect(inserted).toHaveAttribute("title", `Inserted by ${workshop.organizations[1]!.name}`);
  await facilitator.page.getByRole("button", { name: "Open" }).first().click();
  await expect(facilitator.page.getByRole("region", { name: /\(read only\)/ })).toContainText("Equity means race does not predict outcomes.");
  await expect(facilitator.page.getByRole("region", { name: /\(read only\)/ })).not.toContainText("belongs");
  await facilitator.screenshot("versions-compare");
});

test("the Export button downloads a .docx that mammoth reads", async ({ district }) => {
  await district.join();
  await district.typeAtEnd("Our shared definition, ready to print.");
  await expect(district.page.getByTestId("saved-state")).toHaveText("All changes saved");
  await district.page.getByRole("link", { name: "Export" }).click();
  await district.page.getByRole("radio", { name: "All sections, each marked with its status" }).check();
  const downloading = district.page.waitForEvent("download");
  await district.page.getByRole("link", { name: "Download" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^eastside-retreat-\d{4}-\d{2}-\d{2}\.docx$/);
  const file = await download.path();
  const { value } = await mammoth.extractRawText({ buffer: fs.readFileSync(file) });
  expect(value).toContain("Our shared definition, ready to print.");
  expect(value).toContain("Portrait of an Equity-Centered Leader");
});

test("a .docx imported into a section arrives as one undoable change, headings kept", async ({ district }) => {
  await district.join();
  const docx = await Packer.toBuffer(
    new Document({
      sections: [{ children: [new Paragraph({ text: "District equity framework", heading: HeadingLevel.HEADING_2 }), new Paragraph("Every student is known by name.")] }],
    }),
  );
  await district.page.getByLabel("Import a Word document or a Markdown file").setInputFiles({
    name: "framework.docx",
    mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    buffer: docx,
  });
  await expect(district.editor().getByRole("heading", { name: "District equity framework" })).toBeVisible();
  await expect(district.editor()).toContainText("Every student is known by name.");
  await expect(district.page.getByTestId("saved-state")).toHaveText("All changes saved");
  await district.editor().click();
  await district.page.keyboard.press("ControlOrMeta+z");
  await expect(district.editor()).not.toContainText("Every student is known by name.");
  // A file that is not a Word document is refused with a message; nothing changes.
  await district.page.getByLabel("Import a Word document or a Markdown file").setInputFiles({ name: "notes.docx", mimeType: "application/octet-stream", buffer: Buffer.from("not a zip") });
  await expect(district.page.getByRole("status").filter({ hasText: "This is not a Word document" })).toBeVisible();
});
