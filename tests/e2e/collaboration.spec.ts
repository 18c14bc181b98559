import { expect, test } from "./fixtures.js";

test("district and university type at once: both end with the same text and see each other's caret", async ({ district, university }) => {
  await district.join();
  await university.join();
  await district.typeAtEnd("Equity means");
  await expect.poll(() => university.text()).toBe("Equity means");
  // Both type at once, one at the start of the paragraph and one at its end. (Typing at the
  // very same spot at the same instant can garble characters in the editor binding:
  // y-prosemirror#161, upstream.)
  await Promise.all([district.typeAtStart("District words. "), university.typeAtEnd(" university words.")]);
  await expect.poll(() => district.text()).toBe("District words. Equity means university words.");
  await expect.poll(() => university.text()).toBe("District words. Equity means university words.");
  await expect(district.page.getByTestId("caret-label").filter({ hasText: "Uri" })).toBeVisible();
  await expect(university.page.getByTestId("caret-label").filter({ hasText: "Dana" })).toBeVisible();
  await expect(district.page.getByTestId("saved-state")).toHaveText("All changes saved");
  await district.screenshot("workshop-two-organizations");
});

test("presence shows both organizations, with the section each person is in", async ({ district, university, workshop }) => {
  await district.join();
  await university.join();
  await university.openSection("Portrait of an Equity-Centered Leader");
  const presence = district.page.getByRole("region", { name: "Who is here" });
  await expect(presence.getByTestId("presence-group").filter({ hasText: workshop.organizations[0]!.name })).toContainText("Dana (you)");
  await expect(presence.getByTestId("presence-group").filter({ hasText: workshop.organizations[1]!.name })).toContainText(
    "Uri in Portrait of an Equity-Centered Leader",
  );
});

test("an observer reads live and cannot type", async ({ district, observer }) => {
  await district.join();
  await observer.join();
  await district.typeAtEnd("Visible to observers.");
  await expect(observer.editor()).toContainText("Visible to observers.");
  await expect(observer.editor()).toHaveAttribute("contenteditable", "false");
  await expect(observer.page.getByRole("toolbar", { name: "Formatting" })).toHaveCount(0);
  await observer.editor().click();
  await observer.page.keyboard.type("should not appear");
  await expect(district.editor()).not.toContainText("should not appear");
  await expect(observer.page.getByTestId("connection-state")).toHaveText("Live");
});

