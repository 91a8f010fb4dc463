import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import fg from "fast-glob";
import { describe, expect } from "vitest";
import type { BuildReport } from "../src/build.js";
import type { PortalData } from "../src/portal-server/portal.js";
import { buildSite } from "./support/build-site.js";
import { makeDataset, manyIds } from "./support/datasets.js";
import { portalServer, test } from "./support/fixtures.js";

/**
 * The compiled binary makes dataset pages in worker threads once there are 500 or more to
 * make; the tests, run from the TypeScript sources, make them on the main thread. The two
 * must publish the same site, byte for byte.
 */
const BIN = fileURLToPath(new URL("../lib/bin.js", import.meta.url));
const SITE = "https://catalog.example.org/";

/**
 * Datasets with odd ids, hostile and empty descriptions, and record samples, declaring the
 * language `languageOf` gives for their position in the catalog.
 */
function variedPortal(count = 600, languageOf = (_i: number) => "en"): PortalData {
  return {
    datasets: manyIds(count).map((base, i) => {
      const id = i % 7 === 0 ? `${base.toUpperCase()} é@domain` : base;
      const description =
        i % 5 === 0
          ? `<p onclick="x()">Été <script>alert(${i})</script><a href="javascript:x">link</a></p>`
          : i % 11 === 0
            ? null
            : undefined;
      return {
        dataset: makeDataset(id, {
          ...(description === undefined ? {} : { description }),
          modified: new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString(),
          metas: { language: languageOf(i) },
        }),
        records:
          i % 3 === 0
            ? []
            : [
                {
                  id: `r${i}`,
                  timestamp: "2024-01-01T00:00:00Z",
                  size: 10,
                  fields: { code: `<b>${i}</b>`, value: i / 3 },
                },
              ],
      };
    }),
  };
}

async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const paths = (await fg("**/*", { cwd: dir, dot: true })).sort();
  return new Map(
    await Promise.all(paths.map(async (p) => [p, await readFile(join(dir, p))] as const)),
  );
}

/**
 * Builds the portal twice, on the main thread (from the sources) and with the compiled binary
 * (in workers), checks both publish the same files, byte for byte, and returns the binary's
 * report.
 */
async function buildBothWays(
  tmp: string,
  portal: PortalData | string,
  title?: string,
): Promise<BuildReport> {
  expect(existsSync(BIN), "run `npm run compile` first (npm test does)").toBe(true);
  const origin = typeof portal === "string" ? portal : (await portalServer({ portal })).origin;
  const titled = title === undefined ? {} : { title };
  const flags = { records: "2", concurrency: "8", ...titled };
  const count = typeof portal === "string" ? undefined : portal.datasets.length;

  const here = await buildSite({ tmp: join(tmp, "here"), portal: origin, flags });
  expect(here.report.datasetPages).toMatchObject({ rendered: count ?? here.report.datasets });
  expect(here.report.datasetPages.workers).toBe(0);

  const out = join(tmp, "workers", "dist");
  const cache = join(tmp, "workers", "cache");
  await promisify(execFile)(process.execPath, [
    BIN,
    "build",
    ...["--portal", origin, "--site-url", SITE, "--out", out, "--cache-dir", cache],
    ...["--records", "2", "--concurrency", "8", "--skip-search", "--quiet"],
    ...(title === undefined ? [] : ["--title", title]),
  ]);
  const report = JSON.parse(
    await readFile(join(cache, "build-report.json"), "utf8"),
  ) as BuildReport;
  expect(report.datasetPages.workers).toBeGreaterThan(0);
  expect(report.datasetPages.rendered).toBe(here.report.datasetPages.rendered);
  // Pages written by the workers count as the main thread's do.
  expect(report.bytesWritten).toBe(here.report.bytesWritten);

  const [expected, actual] = await Promise.all([filesOf(here.outDir), filesOf(out)]);
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  const differing = [...expected].filter(([path, bytes]) => !actual.get(path)?.equals(bytes));
  expect(differing.map(([path]) => path)).toEqual([]);
  return report;
}

describe("page workers in a whole build", { timeout: 120_000 }, () => {
  test("publish the site the main thread publishes, byte for byte", async ({ tmp }) => {
    const report = await buildBothWays(tmp, variedPortal());
    // The workers start once 500 datasets need a page, and take every later one at once.
    expect(report.datasetPages.early).toMatchObject({ started: 600, remade: 0 });
    // The summaries of the pages not made by the end of the crawl were made on the main
    // thread, or found made, so the listing pages were made alongside the last pages.
    expect(report.datasetPages.listingAlongside).toBe(true);
  });

  test("make every page again from the cache, with the summaries the last build made", async ({
    tmp,
  }) => {
    const server = await portalServer({ portal: variedPortal() });
    await buildBothWays(tmp, server.origin);
    // Nothing to fetch, every page to make: the workers need not send the summaries back.
    const again = await buildBothWays(tmp, server.origin, "Another title");
    expect(again).toMatchObject({ requests: 2 + 6, cacheHits: 600 });
    expect(again.datasetPages).toMatchObject({
      rendered: 600,
      // From the models the workers stored in the first build.
      fromModels: 600,
      early: { started: 0 },
      listingAlongside: true,
    });
    // The pages a cold build makes, byte for byte.
    const flags = { records: "2", title: "Another title" };
    const cold = await buildSite({ tmp: join(tmp, "cold"), portal: server.origin, flags });
    const [expected, actual] = await Promise.all([
      filesOf(cold.outDir),
      filesOf(join(tmp, "workers", "dist")),
    ]);
    const differing = [...expected].filter(([path, bytes]) => !actual.get(path)?.equals(bytes));
    expect(differing.map(([path]) => path)).toEqual([]);
  });

  test("make again the pages made during the crawl in another language than the catalog's", async ({
    tmp,
  }) => {
    // The first 520 datasets listed are in English: the pages made during the crawl are too.
    // Most of the catalog is in French, so the site is.
    const report = await buildBothWays(
      tmp,
      variedPortal(1100, (i) => (i < 520 ? "en" : "fr")),
    );
    expect(report.datasetPages.early?.remade).toBe(1100);
    // No summary at hand: the listing waited for the pages made again.
    expect(report.datasetPages.listingAlongside).toBe(false);
  });
});
