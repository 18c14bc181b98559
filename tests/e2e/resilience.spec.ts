import fs from "node:fs";
import { createWorkshop, sampleWorkshop } from "../helpers/api.js";
import { respawnRelay, spawnRelay, type RelayProcess } from "../helpers/spawnRelay.js";
import { Actor, expect, test } from "./fixtures.js";

const relays: RelayProcess[] = [];
test.afterEach(async () => {
  for (const r of relays.splice(0)) {
    await r.kill();
    fs.rmSync(r.dataDir, { recursive: true, force: true });
  }
});

test("the relay is killed and restarted: the page reconnects by itself and nothing is lost", async ({ browser }) => {
  const relay = await spawnRelay();
  relays.push(relay);
  const w = await createWorkshop(relay, sampleWorkshop());
  const context = await browser.newContext();
  const dana = new Actor(await context.newPage(), w.links.participants[w.organizations[0]!.id]!, "Dana");
  await dana.join();
  await dana.typeAtEnd("Typed before the crash. ");
  await expect(dana.page.getByTestId("saved-state")).toHaveText("All changes saved");
  await relay.kill();
  await expect(dana.page.getByTestId("connection-state")).toHaveText(/Offline|Connecting/);
  await dana.typeAtEnd("Typed while the relay was down.");
  await expect(dana.page.getByTestId("saved-state")).toHaveText("Not saved yet");
  const again = await respawnRelay(relay);
  relays.push(again);
  await expect(dana.page.getByTestId("connection-state")).toHaveText("Live", { timeout: 30_000 });
  await expect(dana.page.getByTestId("saved-state")).toHaveText("All changes saved");
  const other = await browser.newContext();
  const uri = new Actor(await other.newPage(), w.links.participants[w.organizations[1]!.id]!, "Uri");
  await uri.join();
  await expect.poll(() => uri.text()).toBe("Typed before the crash. Typed while the relay was down.");
  await context.close();
  await other.close();
});

test("a page reloaded while the relay is down still shows the workshop from this browser's storage", async ({ browser }) => {
  const relay = await spawnRelay();
  relays.push(relay);
  const w = await createWorkshop(relay, sampleWorkshop());
  const context = await browser.newContext();
  const dana = new Actor(await context.newPage(), w.links.participants[w.organizations[0]!.id]!, "Dana");
  await dana.join();
  await dana.page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await dana.typeAtEnd("Kept in the browser.");
  await expect(dana.page.getByTestId("saved-state")).toHaveText("All changes saved");
  await relay.kill();
  await dana.page.reload();
  await expect(dana.editor()).toContainText("Kept in the browser.");
  await expect(dana.page.getByTestId("connection-state")).toHaveText(/Offline|Connecting/);
  await dana.typeAtEnd(" Written offline after the reload.");
  const again = await respawnRelay(relay);
  relays.push(again);
  await expect(dana.page.getByTestId("connection-state")).toHaveText("Live", { timeout: 30_000 });
  await expect(dana.page.getByTestId("saved-state")).toHaveText("All changes saved");
  const res = await fetch(`${again.url}/api/workshops/${w.id}`, { headers: { authorization: `Bearer ${w.tokens.observer}` } });
  expect(res.status).toBe(200);
  const other = await browser.newContext();
  const obs = new Actor(await other.newPage(), w.links.observer, "Olu");
  await obs.join();
  await expect.poll(() => obs.text()).toBe("Kept in the browser. Written offline after the reload.");
  await context.close();
  await other.close();
});
