import { createHash } from "node:crypto";
import { setImmediate } from "node:timers/promises";
import { groupFacets } from "../catalog/facets.js";
import { firstBy } from "../catalog/first.js";
import { fileOf, routes } from "../catalog/routes.js";
import { mapLimit } from "../limit.js";
import type { DatasetSummary } from "../model/dataset.js";
import { BUILTIN_PUBLIC, readAssets } from "../write/assets.js";
import type { Output } from "../write/output.js";
import type { Engine } from "./engine.js";
import type { PageSources } from "./page-sources.js";
import { type PlannedPage, planSitePages } from "./pages.js";
import { catalogJson, robotsTxt, type SitemapEntry, sitemapFiles } from "./seo.js";
import type { SiteContext } from "./site.js";

/**
 * Writes every page besides dataset pages (home, listings, facet pages, search, 404) and
 * the machine-readable files (sitemap, robots.txt, Atom feed, catalog.json). A page whose
 * inputs (the summaries it lists, its position, the render settings) match the previous
 * build's is hard-linked instead of rendered: on a large catalog most listing pages do not
 * change from one night to the next.
 */
export interface SitePagesOptions {
  /** Every dataset, in title order. */
  datasets: DatasetSummary[];
  site: SiteContext;
  engine: Engine;
  output: Output;
  pageSize: number;
  renderKey: string;
  /** Each dataset's content key (`createSummaryKeys`). */
  keyOf: (dataset: DatasetSummary) => string;
  /** Folders an unchanged page can be taken from. */
  sources: PageSources;
  timing: { render: number };
}

export interface SitePagesResult {
  /** Input key of every planned page, for the next build. */
  keys: Record<string, string>;
  rendered: number;
  reused: number;
  /** Pages and files written, for the sitemap's benefit and the report. */
  sitemap: SitemapEntry[];
}

export async function writeSitePages(options: SitePagesOptions): Promise<SitePagesResult> {
  const { site, output, timing, keyOf } = options;
  const facets = groupFacets(options.datasets, site);
  const plan = planSitePages(
    { datasets: options.datasets, facets, pageSize: options.pageSize, keyOf },
    site,
    options.engine,
  );
  const keys: Record<string, string> = {};
  let rendered = 0;
  let reused = 0;
  const writePlanned = async (page: PlannedPage) => {
    const key = hash(options.renderKey + JSON.stringify(page.inputs));
    keys[page.path] = key;
    if (await unchangedFile(page.path, key, options)) {
      reused++;
      return;
    }
    const t = performance.now();
    const file = page.render();
    timing.render += performance.now() - t;
    await output.write(file);
    rendered++;
    // A page is written with blocking calls, and everything else here resolves at once: without
    // a turn of the event loop, the page workers' answers (and so their next jobs) would wait
    // until every listing page is written, seconds on a large catalog, with the workers idle.
    await setImmediate();
  };
  await mapLimit(plan, 16, writePlanned);
  // catalog.json is keyed by its inputs, like a page, rather than by its 60 MB of content, and
  // written as it is made (so its making counts as writing).
  await writePlanned({
    path: routes.catalogJson,
    inputs: ["catalog.json", options.datasets.map(keyOf)],
    render: () => ({ path: routes.catalogJson, contents: catalogJson(options.datasets, site) }),
  });

  const t = performance.now();
  const sitemap = sitemapEntries(
    options.datasets,
    plan.map((p) => p.path),
    facets,
    site,
  );
  const files = [
    ...sitemapFiles(sitemap, site),
    { path: routes.robots, contents: robotsTxt(site) },
    { path: routes.feed, contents: feed(options.datasets, site, options.engine) },
  ];
  timing.render += performance.now() - t;
  // Machine-readable files and assets are cheap to make: they are keyed by their content.
  for (const file of [...files, ...(await readAssets(BUILTIN_PUBLIC))]) {
    const key = hash(file.contents);
    keys[file.path] = key;
    if (await unchangedFile(file.path, key, options)) reused++;
    else {
      await output.write(file);
      rendered++;
    }
  }
  return { keys, rendered, reused, sitemap };
}

// --- internal ---

/** Datasets in the Atom feed. */
const FEED_SIZE = 50;

function hash(text: string | Buffer): string {
  return createHash("sha1").update(text).digest("hex");
}

function unchangedFile(path: string, key: string, options: SitePagesOptions): Promise<boolean> {
  const { buffer, live } = options.sources;
  return options.output.unchanged(path, {
    buffer: buffer?.keyOf(path) === key,
    live: live?.pages[path] === key,
  });
}

function feed(datasets: readonly DatasetSummary[], site: SiteContext, engine: Engine): string {
  // Each date parsed once: parsed in the comparison, 40,000 datasets took 1.2 million parses.
  const recent = firstBy(
    datasets
      .map((dataset) => ({ dataset, time: Date.parse(dataset.modified ?? "") }))
      .filter((d) => !Number.isNaN(d.time)),
    FEED_SIZE,
    (a, b) => b.time - a.time || (a.dataset.id < b.dataset.id ? -1 : 1),
  ).map((d) => d.dataset);
  // The feed's date is its newest entry's, so an unchanged catalog gives an unchanged feed.
  const updated = new Date(recent[0]?.modified ?? 0).toISOString();
  return engine.render("feed", { site, datasets: recent, updated });
}

/**
 * Indexable pages with their last modification: a dataset page's is the dataset's; a listing
 * page's is the newest among the datasets it shows. Search, 404 and the redirect are left out.
 */
function sitemapEntries(
  datasets: readonly DatasetSummary[],
  pagePaths: string[],
  facets: ReturnType<typeof groupFacets>,
  site: SiteContext,
): SitemapEntry[] {
  // Each dataset's day, once: a dataset is in a dozen facet values' lists.
  const days = new Map(
    datasets.map((d) => [d, d.modified ? site.fmt.isoDate(d.modified) : undefined]),
  );
  const newest = (list: readonly DatasetSummary[]) =>
    list.reduce<string | undefined>((max, d) => {
      const day = days.get(d);
      return day && (!max || day > max) ? day : max;
    }, undefined);
  const all = newest(datasets);
  const skip = new Set([routes.search, routes.notFound, routes.datasetsIndex].map(fileOf));
  const entries: SitemapEntry[] = pagePaths
    .filter((path) => !skip.has(path))
    .map((path) => ({ path: path.replace(/index\.html$/, ""), lastmod: all }));
  const facetDates = new Map<string, string | undefined>();
  for (const [key, values] of facets) {
    const facet = site.facets.find((f) => f.key === key);
    for (const value of values)
      facetDates.set(`${facet?.path}/${value.segment}/`, newest(value.datasets));
  }
  for (const entry of entries) {
    const match = /^([^/]+\/[^/]+\/)/.exec(entry.path);
    if (match?.[1] && facetDates.has(match[1])) entry.lastmod = facetDates.get(match[1]);
  }
  for (const d of datasets) {
    entries.push({ path: routes.dataset(d.segment), lastmod: days.get(d) });
  }
  return entries;
}
