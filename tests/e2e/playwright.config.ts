import { defineConfig } from "@playwright/test";

// Debian's Chromium, never a downloaded browser; flags as this machine needs them
// (its closed network refuses Chromium's background connections).
export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  outputDir: "../../test-results",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 2,
  // One retry: on this shared 2-core machine a page can still be settling when a click lands.
  // A test that passes only on its retry is listed as flaky; one that fails twice fails the run.
  retries: 1,
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
    viewport: { width: 1280, height: 860 },
    trace: "retain-on-failure",
  },
});
