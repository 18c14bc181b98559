/// <reference lib="dom" />
// What runs in the benchmark's Chromium page (hence the DOM lib): a reader of the editor as a
// person sees it, a watch that records when it first shows an expected state, counters of what
// else the page did (long main-thread tasks, sidebar passages unmounted); and the Node-side
// calls that drive them through Playwright.
import type { Page } from "playwright-core";

/**
 * The editor as a person sees it: text (gutter counts left out), gutter counts in order, and
 * how many annotations have an element of their own (data-annotation-id). The page counts as
 * up to date when text and gutters match: see SpanCensus for why the last may fall short.
 */
export interface EditorView {
  text: string;
  gutters: string;
  highlighted: number;
}

/**
 * The highlight spans in the editor. ProseMirror draws overlapping inline decorations that
 * name no nodeName as ONE span: classes and styles concatenated (the last --anno-color and
 * --anno-level win), other attributes (data-annotation-id, title) from the last decoration.
 */
export interface SpanCensus {
  spans: number;
  /** Spans standing for annotations of two or more organizations (drawn in one colour). */
  merged: number;
}

/** What the page records for one edit, in epoch milliseconds (performance.timeOrigin + now()). */
export interface WatchResult {
  textAt: number | null;
  viewAt: number | null;
  checks: number;
  /** Gutter markers in the editor when the new text first showed. */
  guttersAtText: number | null;
  /**
   * Gutter markers in the following animation frame, after the editor's own frame callback
   * (registered earlier) has run and before that frame is painted: 0 means a frame without
   * highlights reached the screen.
   */
  guttersNextFrame: number | null;
  /** Main-thread time the watch itself spent reading the editor (it adds to the page's work). */
  checkMs: number;
  last: EditorView | null;
}

/** The page's globals that defineWatch adds. */
interface BenchWindow {
  __benchRead(): EditorView | null;
  __benchSpans(): SpanCensus;
  __benchWatch(expected: EditorView, timeoutMs: number): void;
  __benchDone: Promise<WatchResult> | null;
  __benchLongTasks: Array<{ start: number; duration: number }>;
  /** Sidebar passages taken out of the DOM (React unmounting them) since the watch started. */
  __benchPassagesRemoved: number;
}

/** Epoch milliseconds with sub-millisecond resolution, the same expression in Node and in the page. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/**
 * Runs in the page before its scripts: a reader of the editor's view, a watch that records
 * when the view first matches an expected one (a MutationObserver, so at the DOM change, not
 * at a polling tick), a log of long main-thread tasks and a count of sidebar passages removed
 * from the DOM.
 */
export function defineWatch(): void {
  // tsx compiles with esbuild's keepNames, which wraps named inner functions in __name(); a
  // function sent to the page needs it there.
  (globalThis as unknown as { __name?: (f: unknown) => unknown }).__name ??= (f) => f;
  const w = window as unknown as BenchWindow;
  w.__benchLongTasks = [];
  w.__benchDone = null;
  w.__benchPassagesRemoved = 0;
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of Array.from(r.removedNodes)) {
        if (n instanceof Element) w.__benchPassagesRemoved += n.matches("[data-testid=passage]") ? 1 : n.querySelectorAll("[data-testid=passage]").length;
      }
    }
  }).observe(document, { subtree: true, childList: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__benchLongTasks.push({ start: performance.timeOrigin + e.startTime, duration: e.duration });
  }).observe({ type: "longtask", buffered: true });
  w.__benchRead = () => {
    const editor = document.querySelector("[data-testid=editor]");
    if (!editor) return null;
    const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement?.closest(".anno-gutter, .collab-caret") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    const parts: string[] = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) parts.push((n as Text).data);
    const gutters = Array.from(editor.querySelectorAll(".anno-gutter"), (g) => g.textContent ?? "").join(",");
    const ids = new Set(Array.from(editor.querySelectorAll(".anno"), (e) => e.getAttribute("data-annotation-id")));
    return { text: parts.join(""), gutters, highlighted: ids.size };
  };
  w.__benchSpans = () => {
    const spans = Array.from(document.querySelectorAll("[data-testid=editor] .anno"));
    // One pattern class per organization (six patterns for six organizations here).
    const orgsOf = (e: Element): number => Array.from(e.classList).filter((c) => c.startsWith("anno--p-")).length;
    return { spans: spans.length, merged: spans.filter((e) => orgsOf(e) > 1).length };
  };
  w.__benchWatch = (expected, timeoutMs) => {
    const editor = document.querySelector("[data-testid=editor]")!;
    const result: WatchResult = { textAt: null, viewAt: null, guttersAtText: null, guttersNextFrame: null, checks: 0, checkMs: 0, last: null };
    w.__benchDone = new Promise<WatchResult>((resolve) => {
      const finish = (): void => {
        observer.disconnect();
        clearTimeout(timer);
        // After the next-frame reading below (registered earlier, so it runs first).
        requestAnimationFrame(() => resolve(result));
      };
      const check = (): void => {
        result.checks++;
        const started = performance.now();
        const view = w.__benchRead();
        result.checkMs += performance.now() - started;
        if (!view || view.text !== expected.text) return;
        if (result.textAt === null) {
          result.textAt = performance.timeOrigin + performance.now();
          result.guttersAtText = view.gutters === "" ? 0 : view.gutters.split(",").length;
          requestAnimationFrame(() => (result.guttersNextFrame = editor.querySelectorAll(".anno-gutter").length));
        }
        if (view.gutters !== expected.gutters) return;
        result.viewAt = performance.timeOrigin + performance.now();
        finish();
      };
      const observer = new MutationObserver(check);
      observer.observe(editor, { subtree: true, childList: true, characterData: true, attributes: true });
      const timer = setTimeout(() => {
        result.last = w.__benchRead();
        finish();
      }, timeoutMs);
    });
  };
}

/** How a page's view differs from the expected one, in a few words. */
export function describeDifference(got: EditorView | null, expected: EditorView): string {
  if (got === null) return "no editor on the page";
  const gutters = (v: EditorView): number => (v.gutters === "" ? 0 : v.gutters.split(",").length);
  return [
    got.text === expected.text ? "text matched" : `text differed (${got.text.length} vs ${expected.text.length} characters)`,
    got.gutters === expected.gutters ? "gutters matched" : `gutters differed (${gutters(got)} vs ${gutters(expected)})`,
    `highlighted ${got.highlighted}/${expected.highlighted}`,
  ].join(", ");
}

/** Installs defineWatch in every document the page loads, before the app's scripts. */
export async function installWatch(page: Page): Promise<void> {
  await page.addInitScript(defineWatch);
}

/** The editor's view now (null while there is no editor). */
export async function readView(page: Page): Promise<EditorView | null> {
  return page.evaluate(() => (window as unknown as BenchWindow).__benchRead());
}

/** The highlight spans now. */
export async function spanCensus(page: Page): Promise<SpanCensus> {
  return page.evaluate(() => (window as unknown as BenchWindow).__benchSpans());
}

/** Waits, polling, until the editor shows `expected`'s text and gutter counts. */
export async function waitForView(page: Page, expected: EditorView, timeoutMs: number): Promise<void> {
  try {
    await page.waitForFunction(
      (want) => {
        const view = (window as unknown as BenchWindow).__benchRead();
        return view !== null && view.text === want.text && view.gutters === want.gutters;
      },
      expected,
      { timeout: timeoutMs, polling: 50 },
    );
  } catch (error) {
    const view = await readView(page).catch(() => null);
    throw new Error(`the page did not show the section within ${timeoutMs} ms (${describeDifference(view, expected)})`, { cause: error });
  }
}

/** Starts watching for `expected`; call before the change that should bring it. Also clears the long-task log. */
export async function startWatch(page: Page, expected: EditorView, timeoutMs: number): Promise<void> {
  await page.evaluate(
    ({ want, timeout }) => {
      const w = window as unknown as BenchWindow;
      w.__benchLongTasks.length = 0;
      w.__benchPassagesRemoved = 0;
      w.__benchWatch(want, timeout);
    },
    { want: expected, timeout: timeoutMs },
  );
}

/** The watch's result: once `expected` showed, or once its time ran out. */
export async function watchResult(page: Page): Promise<WatchResult> {
  return page.evaluate(() => (window as unknown as BenchWindow).__benchDone!);
}

/** What the page did since the watch started, besides the editor: long tasks (epoch ms) and sidebar passages unmounted. */
export async function sideEffects(page: Page): Promise<{ longTasks: Array<{ start: number; duration: number }>; passagesRemoved: number }> {
  return page.evaluate(() => {
    const w = window as unknown as BenchWindow;
    return { longTasks: w.__benchLongTasks.slice(), passagesRemoved: w.__benchPassagesRemoved };
  });
}

/**
 * Resolves once frames come smoothly again (ten in a row under 25 ms apart), or after
 * `timeoutMs`: the sidebar and the rest of the page react to an edit too, and the next edit
 * must not queue behind them.
 */
export async function waitForCalm(page: Page, timeoutMs: number): Promise<boolean> {
  return page.evaluate(
    (timeout) =>
      new Promise<boolean>((resolve) => {
        let calm = 0;
        let last = performance.now();
        const deadline = last + timeout;
        const frame = (t: number): void => {
          calm = t - last < 25 ? calm + 1 : 0;
          last = t;
          if (calm >= 10 || t > deadline) resolve(calm >= 10);
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
    timeoutMs,
  );
}

/** The page's clock minus ours, from the round trip with the smallest delay. */
export async function clockOffset(page: Page): Promise<{ offset: number; uncertainty: number }> {
  let best = { offset: 0, uncertainty: Infinity };
  for (let i = 0; i < 10; i++) {
    const before = epochNow();
    const pageNow = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = epochNow();
    if ((after - before) / 2 < best.uncertainty) best = { offset: pageNow - (before + after) / 2, uncertainty: (after - before) / 2 };
  }
  return best;
}
