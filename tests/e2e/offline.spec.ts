// Offline in Chromium (hardening issue; ../shared/CONTRACT.md, Durability 3): a participant's
// browser goes offline, keeps typing, reloads the page while offline (the service worker serves
// the app shell, the document comes from IndexedDB), types more and comes back online. Everything
// merges once, and another organization, who typed meanwhile, ends with the same text.
import fs from "node:fs";
import type { BrowserContext, Page } from "@playwright/test";
import { createWorkshop, sampleWorkshop } from "../helpers/api.js";
import { spawnRelay, type RelayProcess } from "../helpers/spawnRelay.js";
import { Actor, expect, test } from "./fixtures.js";

const OFFLINE = "Offline — your edits are kept and will sync";

const relays: RelayProcess[] = [];
const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  for (const r of relays.splice(0)) {
    await r.kill();
    fs.rmSync(r.dataDir, { recursive: true, force: true });
  }
});

/** Page errors and console errors other than the network failures going offline causes. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error" && !/WebSocket|ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED|Failed to load resource|Failed to fetch/.test(m.text())) problems.push(m.text());
  });
  return problems;
}

test("offline: typing, a reload while offline and more typing all merge once back online; the other organization ends with the same text", async ({ browser }) => {
  const relay = await spawnRelay();
  relays.push(relay);
  const w = await createWorkshop(relay, sampleWorkshop());
  const danaContext = await browser.newContext();
  const uriContext = await browser.newContext();
  contexts.push(danaContext, uriContext);
  const dana = new Actor(await danaContext.newPage(), w.links.participants[w.organizations[0]!.id]!, "Dana");
  const uri = new Actor(await uriContext.newPage(), w.links.participants[w.organizations[1]!.id]!, "Uri");
  const danaProblems = watchProblems(dana.page);
  const uriProblems = watchProblems(uri.page);
  const danaConnection = dana.page.getByTestId("connection-state");
  const danaSaved = dana.page.getByTestId("saved-state");

  await dana.join();
  // The app shell must be cached before going offline.
  await dana.page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await uri.join();
  await dana.typeAtEnd("Shared before. ");
  await expect(danaSaved).toHaveText("All changes saved");
  await expect.poll(() => uri.text()).toBe("Shared before.");

  await danaContext.setOffline(true);
  await expect(danaConnection).toHaveText(OFFLINE);
  await dana.typeAtEnd("Dana offline one. ");
  await expect(danaSaved).toHaveText("Not saved yet");
  await uri.typeAtStart("Uri meanwhile. ");
  await expect(uri.page.getByTestId("saved-state")).toHaveText("All changes saved");

  // Reload while offline: the service worker answers the navigation from its cache.
  const reloaded = await dana.page.reload();
  expect(reloaded?.fromServiceWorker(), "the page came from the service worker").toBe(true);
  await expect(dana.editor()).toContainText("Shared before. Dana offline one.");
  await expect(danaConnection).toHaveText(OFFLINE);
  await expect(danaSaved).toHaveText("Not saved yet");
  await dana.typeAtEnd("Dana offline two.");
  await dana.screenshot("offline-after-reload");
  await expect.poll(() => dana.text()).toBe("Shared before. Dana offline one. Dana offline two.");

  await danaContext.setOffline(false);
  await expect(danaConnection).toHaveText("Live", { timeout: 30_000 });
  await expect(danaSaved).toHaveText("All changes saved");
  const merged = "Uri meanwhile. Shared before. Dana offline one. Dana offline two.";
  await expect.poll(() => dana.text()).toBe(merged);
  await expect.poll(() => uri.text()).toBe(merged);
  // Nothing sent twice: a fresh page of a third organization reads the stored text.
  const observerContext = await browser.newContext();
  contexts.push(observerContext);
  const olu = new Actor(await observerContext.newPage(), w.links.observer, "Olu");
  await olu.join();
  await expect.poll(() => olu.text()).toBe(merged);
  expect(danaProblems, "errors in Dana's page").toEqual([]);
  expect(uriProblems, "errors in Uri's page").toEqual([]);
});

// A deletion moves no Yjs clock (it goes into the delete set), so a "saved" state computed from
// state vectors alone cannot see it.
test("Durability 2: text deleted while offline is not shown as saved until the relay has it", async ({ browser }) => {
  const relay = await spawnRelay();
  relays.push(relay);
  const w = await createWorkshop(relay, sampleWorkshop());
  const danaContext = await browser.newContext();
  contexts.push(danaContext);
  const dana = new Actor(await danaContext.newPage(), w.links.participants[w.organizations[0]!.id]!, "Dana");
  const problems = watchProblems(dana.page);
  const saved = dana.page.getByTestId("saved-state");
  await dana.join();
  await dana.typeAtEnd("Keep this. Delete this.");
  await expect(saved).toHaveText("All changes saved");

  await danaContext.setOffline(true);
  await expect(dana.page.getByTestId("connection-state")).toHaveText(OFFLINE);
  await dana.editor().click();
  await dana.page.keyboard.press("ControlOrMeta+End");
  for (let i = 0; i < " Delete this.".length; i++) await dana.page.keyboard.press("Backspace");
  await expect.poll(() => dana.text()).toBe("Keep this.");
  await expect(saved, "a deletion the relay has not received is not saved").toHaveText("Not saved yet");

  await danaContext.setOffline(false);
  await expect(dana.page.getByTestId("connection-state")).toHaveText("Live", { timeout: 30_000 });
  await expect(saved).toHaveText("All changes saved");
  const observerContext = await browser.newContext();
  contexts.push(observerContext);
  const olu = new Actor(await observerContext.newPage(), w.links.observer, "Olu");
  await olu.join();
  await expect.poll(() => olu.text()).toBe("Keep this.");
  expect(problems).toEqual([]);
});
