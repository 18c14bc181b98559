import { expect, test } from "./fixtures.js";

test("organization A annotates with a concern; B sees the highlight and the entry and replies; A resolves; the observer sees it all and can do none of it", async ({
  district,
  university,
  observer,
  workshop,
}) => {
  const hostile = "<img src=x onerror=alert(1)>";
  for (const a of [district, university, observer]) a.page.on("dialog", () => expect.soft(false, "an annotation body ran as code").toBe(true));
  await district.join();
  await university.join();
  await observer.join();
  await district.typeAtEnd("Equity means that race does not predict any student's outcomes.");
  await expect.poll(() => university.text()).toContain("outcomes.");
  await district.selectText("race does not predict");
  await district.annotate({ stance: "Concern", dimensions: ["Race and ethnicity"], comment: hostile });

  // B: the highlight in the editor and the entry in the sidebar, the body shown as text.
  const highlight = university.editor().locator(".anno");
  await expect(highlight).toHaveText("race does not predict");
  const card = university.annotations().first();
  await expect(card).toContainText(workshop.organizations[0]!.name);
  await expect(card).toContainText("Concern");
  await expect(card).toContainText("Race and ethnicity");
  await expect(card.getByText(hostile, { exact: true })).toBeVisible();
  await expect(university.page.locator("img[src='x']")).toHaveCount(0);
  await expect(university.editor().locator(".anno-gutter")).toHaveText("1");

  // B replies; the reply belongs to B's organization.
  await card.getByRole("button", { name: "Reply" }).click();
  await card.getByLabel(`Reply as ${workshop.organizations[1]!.name}`).fill("We would name multilingual learners too.");
  await card.getByRole("button", { name: "Send reply" }).click();
  await expect(district.annotations().first()).toContainText("We would name multilingual learners too.");
  await expect(district.annotations().first()).toContainText(workshop.organizations[1]!.name);
  // B can neither resolve nor edit A's annotation.
  await expect(card.getByRole("button", { name: "Resolve" })).toHaveCount(0);
  await expect(card.getByRole("button", { name: "Edit" })).toHaveCount(0);

  // A resolves: everyone sees it resolved; the highlight leaves the editor.
  await district.annotations().first().getByRole("button", { name: "Resolve" }).click();
  await expect(university.annotations().first()).toContainText("Resolved");
  await expect(university.editor().locator(".anno")).toHaveCount(0);

  // The observer sees all of it and can do none of it.
  const seen = observer.annotations().first();
  await expect(seen).toContainText("Resolved");
  await expect(seen).toContainText("We would name multilingual learners too.");
  await expect(seen.getByRole("button", { name: /Reply|Resolve|Reopen|Edit|Delete/ })).toHaveCount(0);
  await expect(observer.page.getByRole("button", { name: "Annotate", exact: true })).toHaveCount(0);
  await university.screenshot("annotations");
});

test("overlapping annotations of two organizations both stay visible, counted in the gutter; deleting the text detaches them", async ({ district, university }) => {
  await district.join();
  await university.join();
  await district.typeAtEnd("Leaders name and interrupt practices that sustain disparities.");
  await expect.poll(() => university.text()).toContain("disparities.");
  await district.selectText("interrupt practices");
  await district.annotate({ stance: "Endorse", comment: "Central for us." });
  await university.selectText("practices that sustain");
  await university.annotate({ stance: "Propose an alternative", comment: "Say which practices." });
  const marks = district.editor().locator(".anno");
  // ProseMirror splits overlapping decorations into pieces; count annotations, not elements.
  await expect.poll(async () => new Set(await marks.evaluateAll((els) => els.map((e) => e.getAttribute("data-annotation-id")))).size).toBe(2);
  await expect(district.editor().locator(".anno-gutter")).toHaveText("2");
  await expect(district.page.getByTestId("passage")).toHaveCount(1);
  // Both organizations' underlines are drawn at different heights (stacked, never hidden).
  // Where they overlap, each organization keeps an element of its own (nested), so both underlines are drawn.
  await expect(district.editor().locator(".anno .anno")).toHaveText("practices");
  const levels = await marks.evaluateAll((els) => [...new Set(els.map((e) => getComputedStyle(e).getPropertyValue("--anno-level").trim()))].sort());
  expect(levels).toEqual(["0", "1"]);

  await district.screenshot("overlapping-annotations");
  // Clicking a highlight brings its entry into view in the sidebar, marked active.
  await district.editor().locator(".anno").first().click();
  await expect(district.page.locator(".anno-card--active")).toHaveCount(1);

  // Rewriting around the passage moves the highlight with the text.
  await district.typeAtStart("Our ");
  await expect(district.editor().locator(".anno").first()).toBeVisible();

  // Deleting the annotated text leaves the annotations in the sidebar as detached, with their quotes.
  await district.selectText("name and interrupt practices that sustain disparities");
  await district.page.keyboard.press("Backspace");
  await expect(university.page.getByText("The annotated text was deleted. It read: “practices that sustain”")).toBeVisible();
  await expect(university.editor().locator(".anno")).toHaveCount(0);
});

test("annotating needs a selection: a clear message, nothing written", async ({ district }) => {
  await district.join();
  await district.typeAtEnd("Some text.");
  await district.page.getByRole("button", { name: "Annotate", exact: true }).click();
  await expect(district.page.getByRole("status").filter({ hasText: "Select the passage you want to annotate first." })).toBeVisible();
  await expect(district.annotations()).toHaveCount(0);
});

test("definitions side by side: every organization's current definition in columns", async ({ district, university, workshop }) => {
  await district.join();
  await university.join();
  await district.openSection(`${workshop.organizations[0]!.name}'s current definition`);
  await district.typeAtEnd("For us, equity means anti-racism.");
  await university.openSection(`${workshop.organizations[1]!.name}'s current definition`);
  await university.typeAtEnd("We name many groups.");
  await university.selectText("many groups");
  await university.annotate({ stance: "Note", comment: "Which ones?" });
  await district.page.getByRole("link", { name: "Definitions side by side" }).click();
  const columns = district.page.getByTestId("side-by-side");
  await expect(columns.getByRole("region", { name: workshop.organizations[0]!.name })).toContainText("anti-racism");
  const uni = columns.getByRole("region", { name: workshop.organizations[1]!.name });
  await expect(uni).toContainText("We name many groups.");
  await expect(uni.locator(".anno")).toHaveText("many groups");
  await expect(uni.getByTestId("annotation")).toContainText("Which ones?");
  await district.screenshot("side-by-side");
});
