// Scenarios with named actors (STYLE.md §13): each role has its own browser context.
import fs from "node:fs";
import path from "node:path";
import { test as base, expect, type Browser, type Page } from "@playwright/test";
import type { CreateWorkshopResponse } from "@crosswalk/shared";
import { createWorkshop, sampleWorkshop } from "../helpers/api.js";
import { spawnRelay, type RelayProcess } from "../helpers/spawnRelay.js";

const SCREENSHOTS = path.resolve(import.meta.dirname, "screenshots");

/** A person in the workshop, in their own browser context. */
export class Actor {
  constructor(
    readonly page: Page,
    readonly link: string,
    readonly name: string,
  ) {}

  /** Opens the invite link, types the name, and waits for the editor. */
  async join(): Promise<void> {
    await this.page.goto(this.link);
    await this.page.getByLabel("Your name").fill(this.name);
    await this.page.getByRole("button", { name: "Join" }).click();
    await expect(this.editor()).toBeVisible();
  }

  editor() {
    return this.page.getByTestId("editor");
  }

  /** The editor's text without other people's caret labels. */
  async text(): Promise<string> {
    return this.editor().evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll(".collab-caret").forEach((c) => c.remove());
      return (copy.textContent ?? "").trim();
    });
  }

  /** Opens a section from the section list. */
  async openSection(title: string): Promise<void> {
    await this.page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: title }).click();
    await expect(this.page.getByRole("heading", { level: 2, name: title })).toBeVisible();
  }

  /** Types at the end of the editor's text. */
  async typeAtEnd(text: string): Promise<void> {
    await this.moveCaret("ControlOrMeta+End", "end");
    await this.page.keyboard.type(text, { delay: 5 });
  }

  /**
   * Focuses the editor and presses `key` until the editor's own selection (TipTap keeps the
   * editor on its DOM node) is at the document's start or end: on a busy machine a key pressed
   * right after the click can arrive before the editor has focus.
   */
  private async moveCaret(key: string, where: "start" | "end"): Promise<void> {
    await this.editor().click();
    await expect(async () => {
      await this.page.keyboard.press(key);
      const at = await this.editor().evaluate((el, w) => {
        type Sel = { from: number; to: number };
        type PmState = { selection: Sel & { constructor: { atStart(doc: unknown): Sel; atEnd(doc: unknown): Sel } }; doc: unknown };
        const editor = (el as HTMLElement & { editor?: { state: PmState; isFocused: boolean } }).editor;
        if (!editor?.isFocused) return false;
        const { selection, doc } = editor.state;
        // Where ProseMirror itself puts "the start" and "the end" of this document.
        const target = w === "start" ? selection.constructor.atStart(doc) : selection.constructor.atEnd(doc);
        return selection.from === selection.to && selection.from === target.from;
      }, where);
      expect(at, `caret at the ${where} of the editor`).toBe(true);
    }).toPass({ timeout: 10_000 });
  }

  /** Selects the first occurrence of `text` in the editor (as a mouse drag would). */
  async selectText(text: string): Promise<void> {
    await this.editor().evaluate((el, wanted) => {
      // The text may be split over highlight spans: find it in the concatenated text nodes,
      // skipping other people's caret labels and the gutter markers.
      const nodes: Text[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) => (n.parentElement?.closest(".collab-caret, .anno-gutter") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      });
      for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
      const all = nodes.map((n) => n.data).join("");
      const at = all.indexOf(wanted);
      if (at === -1) throw new Error(`"${wanted}" is not in the editor`);
      const locate = (offset: number, preferEnd: boolean): [Text, number] => {
        let seen = 0;
        for (const n of nodes) {
          const end = seen + n.data.length;
          if (offset < end || (preferEnd && offset === end)) return [n, offset - seen];
          seen = end;
        }
        const last = nodes[nodes.length - 1]!;
        return [last, last.data.length];
      };
      const range = document.createRange();
      range.setStart(...locate(at, false));
      range.setEnd(...locate(at + wanted.length, true));
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    }, text);
    // ProseMirror reads the DOM selection on selectionchange.
    await this.page.waitForFunction(() => (window.getSelection()?.toString().length ?? 0) > 0);
  }

  /** Annotates the selected passage through the form. */
  async annotate(options: { stance: string; dimensions?: string[]; comment: string }): Promise<void> {
    await this.page.getByRole("button", { name: "Annotate", exact: true }).click();
    const form = this.page.getByRole("form", { name: "Annotate the passage" });
    await form.getByRole("radio", { name: options.stance }).check();
    for (const d of options.dimensions ?? []) await form.getByRole("checkbox", { name: d }).check();
    await form.getByLabel("Comment").fill(options.comment);
    await form.getByRole("button", { name: /^Annotate as / }).click();
    await expect(form).toHaveCount(0);
  }

  /** The sidebar's annotation cards. */
  annotations() {
    return this.page.getByTestId("annotation");
  }

  /** Types at the start of the editor's text. */
  async typeAtStart(text: string): Promise<void> {
    await this.moveCaret("ControlOrMeta+Home", "start");
    await this.page.keyboard.type(text, { delay: 5 });
  }

  async screenshot(name: string): Promise<void> {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await this.page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }
}

async function actor(browser: Browser, link: string, name: string, use: (a: Actor) => Promise<void>): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  // A page error or a CSP violation is a bug even when the scenario passes.
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error" && !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(m.text())) problems.push(m.text());
  });
  await use(new Actor(page, link, name));
  await context.close();
  expect(problems, `errors in ${name}'s page`).toEqual([]);
}

interface Fixtures {
  workshop: CreateWorkshopResponse;
  facilitator: Actor;
  district: Actor;
  university: Actor;
  observer: Actor;
}

export const test = base.extend<Fixtures, { relay: RelayProcess }>({
  relay: [
    // Playwright requires the destructuring pattern even when a fixture uses no others.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const relay = await spawnRelay({ env: { UNLOAD_DELAY_MS: "200" } });
      await use(relay);
      await relay.kill();
      fs.rmSync(relay.dataDir, { recursive: true, force: true });
    },
    { scope: "worker" },
  ],
  workshop: async ({ relay }, use) => {
    await use(await createWorkshop(relay, sampleWorkshop()));
  },
  facilitator: async ({ browser, workshop }, use) => actor(browser, workshop.links.facilitator, "Fatima (facilitator)", use),
  district: async ({ browser, workshop }, use) => actor(browser, workshop.links.participants[workshop.organizations[0]!.id]!, "Dana", use),
  university: async ({ browser, workshop }, use) => actor(browser, workshop.links.participants[workshop.organizations[1]!.id]!, "Uri", use),
  observer: async ({ browser, workshop }, use) => actor(browser, workshop.links.observer, "Olu (funder)", use),
});

export { expect };
