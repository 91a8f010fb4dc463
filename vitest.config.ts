import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real servers and write real folders; a few files at once is plenty on 2 cores.
    maxWorkers: 2,
  },
});
