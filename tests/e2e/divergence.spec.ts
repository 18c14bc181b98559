import { expect, test } from "./fixtures.js";

test("a facilitator flags a passage and runs a reflection round: hidden statements, reveal, agree to differ; the observer sees the record", async ({
  facilitator,
  district,
  university,
  observer,
  workshop,
}) => {
  const [d, u] = workshop.organizations;
  await facilitator.join();
  await district.join();
  await university.join();
  await observer.join();
  await district.typeAtEnd("Equity means race does not predict outcomes.");
  await expect.poll(() => facilitator.text()).toContain("outcomes.");

  await facilitator.selectText("race does not predict");
  await facilitator.page.getByRole("button", { name: "Flag", exact: true }).click();
  const round = facilitator.page.getByTestId("flag-round");
  await expect(round).toContainText("race does not predict");
  await round.getByRole("button", { name: "Start a reflection round" }).click();
  await round.getByRole("button", { name: "Start the timer" }).click();
  await round.getByRole("button", { name: "Bring everyone here" }).click();

  // Everyone is brought to the passage, with a way back and the shared timer.
  await expect(district.page.getByRole("status").filter({ hasText: "Reflection round on" })).toContainText("left");
  await expect(district.page.getByRole("button", { name: "Back to where you were" })).toBeVisible();

  for (const [actor, kind, text] of [
    [district, "What we mean by this", "We mean racial equity first."],
    [university, "What we hear another organization saying", "We hear that only race counts."],
  ] as const) {
    await actor.page.getByRole("button", { name: "Open the round" }).click();
    const form = actor.page.getByTestId("flag-round");
    await form.getByRole("radio", { name: kind }).check();
    if (actor === university) await form.getByLabel("Which organization?").selectOption(d!.id);
    await form.getByRole("textbox").last().fill(text);
    await form.getByRole("button", { name: "Submit statement" }).click();
    await expect(form.getByRole("status").filter({ hasText: "held until the facilitator reveals" })).toBeVisible();
  }
  // Hidden means hidden: the other organization sees who submitted, never what.
  await expect(university.page.getByTestId("submitted")).toContainText(`${d!.name}: 1 submitted`);
  await expect(university.page.getByTestId("reflections")).toHaveCount(0);
  await expect(university.page.getByText("We mean racial equity first.")).toHaveCount(0);

  await facilitator.page.getByRole("button", { name: "Reveal all statements" }).click();
  for (const a of [district, university, facilitator]) {
    await expect(a.page.getByTestId("reflections")).toContainText("We mean racial equity first.");
    await expect(a.page.getByTestId("reflections")).toContainText(`What we hear ${d!.name} saying: We hear that only race counts.`);
  }
  await round.getByRole("radio", { name: /Agree to differ/ }).check();
  await round.getByLabel("Note", { exact: true }).fill("The district centres race; Northgate names many groups. Both stand.");
  await round.getByRole("button", { name: "Close the round" }).click();
  await expect(round.getByTestId("outcome")).toContainText("Agree to differ: The district centres race");

  await observer.page.getByRole("link", { name: "Flags and reflection" }).click();
  await expect(observer.page.getByTestId("flags-board")).toContainText("Agree to differ");
  await observer.page.getByTestId("flags-board").getByRole("button").first().click();
  const seen = observer.page.getByTestId("flag-round");
  await expect(seen.getByTestId("outcome")).toContainText("Agree to differ");
  await expect(seen.getByTestId("reflections")).toContainText("We mean racial equity first.");
  await expect(seen.getByRole("button", { name: /Submit|Reveal|Close|Start/ })).toHaveCount(0);
  await facilitator.screenshot("reflection-round");
  void u;
});

test("two organizations consent to a section; one edits it and its consent turns stale", async ({ district, university, workshop }) => {
  const [d, u] = workshop.organizations;
  await district.join();
  await university.join();
  await district.typeAtEnd("Equity means every student is known.");
  await expect.poll(() => university.text()).toContain("known.");
  for (const a of [district, university]) {
    await a.page.getByRole("tab", { name: "Consent" }).click();
    await a.page.getByRole("radio", { name: "Endorse", exact: true }).check();
    await a.page.getByRole("button", { name: "Record consent" }).click();
  }
  const rows = district.page.getByTestId("consent-row");
  await expect(rows.filter({ hasText: d!.name })).toContainText("Endorse");
  await expect(rows.filter({ hasText: u!.name })).toContainText("Endorse");
  await expect(district.page.getByTestId("consent-summary")).toHaveText("Pending"); // the third organization has not consented
  await university.typeAtEnd(" And belongs.");
  await expect(rows.filter({ hasText: d!.name })).toContainText("stale");
  await expect(rows.filter({ hasText: u!.name })).toContainText("stale");
});

test("the sample partnership's crosswalk shows who names what, and what the shared draft omits", async ({ relay, browser }) => {
  const res = await fetch(`${relay.url}/api/workshops/sample`, { method: "POST" });
  const sample = (await res.json()) as { links: { facilitator: string } };
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(sample.links.facilitator);
  await page.getByLabel("Your name").fill("Fatima");
  await page.getByRole("button", { name: "Join" }).click();
  await page.getByRole("link", { name: "Dimension crosswalk" }).click();
  const table = page.getByTestId("crosswalk");
  await expect(table.getByRole("row", { name: /Northgate/ }).getByLabel(/names LGBTQ\+/)).toBeVisible();
  await expect(page.getByText(/Northgate University School of Education names LGBTQ\+.*; the shared draft does not\./)).toBeVisible();
  await expect(table.getByRole("columnheader", { name: /LGBTQ\+.*divergent/ })).toBeVisible();
  await page.screenshot({ path: `${import.meta.dirname}/screenshots/crosswalk.png`, fullPage: true });
  await page.getByRole("link", { name: "Divergence map" }).click();
  await expect(page.getByText("No divergence yet")).toBeVisible();
  await context.close();
});
