import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { Actor, expect, test } from "./fixtures.js";

async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`), what).toEqual([]);
}

test("a facilitator creates a workshop in the form, gets one link per organization, and lands in the shared definition", async ({ page, relay }) => {
  await page.goto(relay.url);
  await expectAccessible(page, "start page");
  await page.screenshot({ path: `${import.meta.dirname}/screenshots/start.png`, fullPage: true });
  await page.getByLabel("Workshop title").fill("Eastside retreat, 26 January");
  await page.getByLabel("Organization 2 name").fill("Northgate University School of Education");
  await page.getByRole("button", { name: "Create workshop" }).click();
  await expect(page.getByRole("heading", { name: "Eastside retreat, 26 January" })).toBeVisible();
  for (const org of ["School district", "Northgate University School of Education", "University partner 2", "State education agency", "Community organization"]) {
    await expect(page.getByRole("textbox", { name: `${org} (participants)`, exact: true })).toHaveValue(/\/w\/[A-Za-z0-9_-]+#token=/);
  }
  await page.getByRole("button", { name: "QR code for Observers (read only)" }).click();
  await expect(page.getByRole("img", { name: /QR code of the link/ })).toBeVisible();
  await expectAccessible(page, "created page");
  await page.screenshot({ path: `${import.meta.dirname}/screenshots/created.png`, fullPage: true });
  await page.getByRole("link", { name: "Open the workshop as facilitator" }).click();
  const fac = new Actor(page, page.url(), "Fatima");
  await page.getByLabel("Your name").fill("Fatima");
  await page.getByRole("button", { name: "Join" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Equity definition" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Sections" })).toContainText("Northgate University School of Education's current definition");
  await expect(page.getByRole("navigation", { name: "Sections" })).toContainText("Portrait of an Equity-Centered Leader");
  await fac.typeAtEnd("Equity means that race does not predict outcomes.");
  await expect(page.getByTestId("saved-state")).toHaveText("All changes saved");
  // The token left the address bar once read.
  expect(page.url()).not.toContain("token=");
  await expectAccessible(page, "workshop page");
});

test("the form shows the relay's rules next to the field: empty title, duplicate organization", async ({ page, relay }) => {
  await page.goto(relay.url);
  await page.getByRole("button", { name: "Create workshop" }).click();
  await expect(page.getByRole("alert")).toHaveText("The title cannot be empty.");
  await expect(page.getByLabel("Workshop title")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Workshop title").fill("Retreat");
  await page.getByLabel("Organization 3 name").fill("University partner 1");
  await page.getByRole("button", { name: "Create workshop" }).click();
  await expect(page.getByRole("alert")).toContainText("listed twice");
  await expect(page.getByLabel("Organization 3 name")).toHaveAttribute("aria-invalid", "true");
});

test("the portrait opens with its leadership domains, each with leadership actions and look-fors", async ({ district }) => {
  await district.join();
  await district.openSection("Portrait of an Equity-Centered Leader");
  const editor = district.editor();
  await expect(editor.getByRole("heading", { level: 2, name: "Equity-focused vision and mission" })).toBeVisible();
  await expect(editor.getByRole("heading", { level: 3, name: "Leadership actions" })).toHaveCount(4);
  await expect(editor.getByRole("heading", { level: 3, name: "Look-fors" })).toHaveCount(4);
});

test("a tampered link shows that it is no longer valid", async ({ page, workshop }) => {
  // A character inside the signature: the last one may carry only padding bits, and changing it can leave the token intact.
  const link = workshop.links.observer;
  const at = link.length - 5;
  await page.goto(`${link.slice(0, at)}${link[at] === "A" ? "Q" : "A"}${link.slice(at + 1)}`);
  await expect(page.getByRole("heading", { name: "This link is no longer valid" })).toBeVisible();
  await expect(page.getByText("Ask the facilitator for a new link")).toBeVisible();
});

test("rotating an organization's link closes its open pages at once and the old link stops working", async ({ facilitator, district, workshop, browser }) => {
  await facilitator.join();
  await district.join();
  const org = workshop.organizations[0]!;
  await facilitator.page.getByRole("tab", { name: "Invite links" }).click();
  facilitator.page.once("dialog", (d) => void d.accept());
  await facilitator.page.getByRole("button", { name: `New link for ${org.name}` }).click();
  await expect(facilitator.page.getByRole("status").filter({ hasText: "has a new link" })).toBeVisible();
  await expect(district.page.getByRole("heading", { name: "This link is no longer valid" })).toBeVisible();
  const newLink = await facilitator.page.getByLabel(org.name, { exact: true }).inputValue();
  expect(newLink).not.toBe(workshop.links.participants[org.id]);
  const context = await browser.newContext();
  const again = new Actor(await context.newPage(), newLink, "Dana again");
  await again.join();
  await context.close();
});

test("a facilitator adds an organization later: its section and link appear for everyone", async ({ facilitator, district }) => {
  await facilitator.join();
  await district.join();
  await facilitator.page.getByRole("tab", { name: "Invite links" }).click();
  await facilitator.page.getByLabel("Name", { exact: true }).fill("Eastside Families United");
  await facilitator.page.getByLabel("Kind", { exact: true }).selectOption("community");
  await facilitator.page.getByRole("button", { name: "Add organization" }).click();
  await expect(facilitator.page.getByLabel("Eastside Families United", { exact: true })).toHaveValue(/#token=/);
  await expect(district.page.getByRole("navigation", { name: "Sections" })).toContainText("Eastside Families United's current definition");
});
