import { defineConfig } from "vitest/config";

// Two tiers run by `npm test`: unit (pure modules and in-memory relay parts) and integration
// (a real relay process, real WebSockets, real SQLite). Browser end-to-end tests are Playwright's.
// The "source" condition makes @crosswalk/shared resolve to its TypeScript source.
const resolve = { conditions: ["source", "module", "node", "default"] };

export default defineConfig({
  resolve,
  ssr: { resolve: { conditions: ["source", "node", "default"], externalConditions: ["source"] } },
  test: {
    projects: [
      {
        resolve,
        ssr: { resolve: { conditions: ["source", "node", "default"], externalConditions: ["source"] } },
        test: {
          name: "unit",
          include: ["shared/src/**/*.test.ts", "relay/src/**/*.test.ts", "web/src/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        resolve,
        ssr: { resolve: { conditions: ["source", "node", "default"], externalConditions: ["source"] } },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file starts its own relays on port 0; two workers fit this 2-core machine.
          maxWorkers: 2,
        },
      },
    ],
  },
});
