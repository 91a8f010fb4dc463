import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fg from "fast-glob";
import { type BuildReport, build } from "../../src/build.js";
import type { Config } from "../../src/config/options.js";
import { resolveConfig } from "../../src/config/resolve.js";
import { memoryLog } from "../../src/log.js";

export interface BuiltSite {
  report: BuildReport;
  outDir: string;
  log: ReturnType<typeof memoryLog>;
  read(path: string): Promise<string>;
  files(): Promise<string[]>;
}

/** Builds a site into `<tmp>/dist` with a cache in `<tmp>/cache`, as the CLI would. */
export async function buildSite(options: {
  tmp: string;
  /** Build the search index too (slower; off unless a test is about search). */
  search?: boolean;
  portal?: string;
  flags?: Record<string, string | boolean>;
  env?: NodeJS.ProcessEnv;
  config?: Partial<Config>;
}): Promise<BuiltSite> {
  const outDir = join(options.tmp, "dist");
  const config = {
    ...resolveConfig({
      flags: {
        out: outDir,
        "cache-dir": join(options.tmp, "cache"),
        retries: "2",
        "skip-search": !options.search,
        "retry-delay": "10",
        ...(options.portal
          ? { portal: options.portal, "site-url": "https://catalog.example.org/" }
          : {}),
        ...options.flags,
      },
      env: options.env ?? {},
      cwd: options.tmp,
    }),
    ...options.config,
  };
  const log = memoryLog();
  const report = await build(config, { log, cwd: options.tmp });
  return {
    report,
    outDir,
    log,
    read: (path) => readFile(join(outDir, path), "utf8"),
    files: async () => (await fg("**/*", { cwd: outDir, dot: true })).sort(),
  };
}
