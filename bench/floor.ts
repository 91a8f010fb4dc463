import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Eta } from "eta";
import { floorHelpers, floorPageTemplate } from "./floor-page.js";
import { measureSite } from "./site-size.js";
import { syntheticPortal } from "./synthetic.js";

/**
 * Child process: the floor. The same N dataset pages, from the same synthetic dataset
 * objects, rendered by one bare Eta template (floor-page.ts: the build's page, printed from
 * the raw object) and written, one after the other with blocking calls: no crawl, no store,
 * no sanitizer, no model. What rendering and writing this many pages costs on this machine,
 * so the build's render + write time can be read as a ratio to it. Blocking writes, because
 * they are the faster way here: until the sixth bench session the floor kept 16 writes in
 * flight through libuv's thread pool, and six alternating runs (2026-12-07) gave 6,835 to
 * 8,491 pages/s that way against 9,444 to 9,953 blocking, with a third less CPU. A floor
 * slower than the fastest known way would flatter the ratio.
 * Arguments: datasets, seed, output folder. Prints one JSON line (FloorResult).
 */

export interface FloorResult {
  pages: number;
  /** Render + write wall time, without generating the records the pages show. */
  ms: number;
  /** The part of `ms` spent inside Eta. */
  renderMs: number;
  bytes: number;
  avgPageBytes: number;
  maxRssKb: number;
  /** CPU time of the floor process, start-up and generation included. */
  cpuMs: number;
}

const [datasets, seed, outDir] = process.argv.slice(2);
if (datasets === undefined || seed === undefined || outDir === undefined) {
  throw new Error("floor.js takes: datasets seed outDir.");
}

const portal = syntheticPortal(Number(datasets), Number(seed));
const eta = new Eta({ autoEscape: true, autoTrim: [false, "nl"] });
eta.loadTemplate("@page", floorPageTemplate());
const helpers = floorHelpers("https://data.example.org", "Catalog, with a new title");

let renderMs = 0;
let recordsMs = 0;
const started = performance.now();
for (const [i, entry] of portal.datasets.entries()) {
  let t = performance.now();
  // Records are made on demand by the synthetic portal; that is not rendering.
  const records = (entry.records ?? []).slice(0, 5);
  recordsMs += performance.now() - t;
  t = performance.now();
  const html = eta.render("@page", { d: entry.dataset, records, h: helpers });
  renderMs += performance.now() - t;
  const dir = join(outDir, "datasets", folderOf(String(entry.dataset.dataset_id), i));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.html"), html);
}
const ms = performance.now() - started - recordsMs;

const site = await measureSite(outDir);
const usage = process.resourceUsage();
const result: FloorResult = {
  pages: site.datasetPages,
  ms,
  renderMs,
  bytes: site.datasetPageBytes,
  avgPageBytes: site.datasetPageBytes / Math.max(1, site.datasetPages),
  maxRssKb: usage.maxRSS,
  cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
};
process.stdout.write(`${JSON.stringify(result)}\n`);

/** Clean ids as they are; anything else made safe and unique (the floor needs no more). */
function folderOf(id: string, index: number): string {
  return /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/.test(id)
    ? id
    : `${id.toLowerCase().replace(/[^a-z0-9]+/g, "-")}--${index}`;
}
