import { writeFileSync } from "node:fs";

/**
 * Preloaded into each build child (`node --import …/usage-probe.js lib/bin.js build …`).
 * At exit it writes the process's peak RSS and CPU time, from getrusage, to the file named
 * by BENCH_USAGE_FILE: the build's own memory, measured exactly rather than by polling, with
 * the portal server in another process. Nothing else of the build is touched.
 */
export interface Usage {
  maxRssKb: number;
  userMs: number;
  systemMs: number;
}

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    const result: Usage = {
      maxRssKb: usage.maxRSS,
      userMs: usage.userCPUTime / 1000,
      systemMs: usage.systemCPUTime / 1000,
    };
    writeFileSync(file, JSON.stringify(result));
  });
}
