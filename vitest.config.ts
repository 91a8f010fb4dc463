import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real servers, write real folders and drive a real browser; a few files at
    // once is plenty on 2 cores.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/e2e/**"],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Browser tests in Debian's Chromium (test/e2e/support/browser.ts). `npm test` runs
        // them after the unit tests (a higher group order), so Chromium's processes never
        // compete for the 2 cores with timing-sensitive unit tests; `npm run test:e2e` runs
        // them alone.
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          sequence: { groupOrder: 1 },
          // Each file builds the demo site and starts Chromium; one test may visit a page of
          // every kind and every dataset page. Chromium's launch (20 s) and each navigation
          // (15 s) have shorter timeouts of their own, so a hung browser fails fast.
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
