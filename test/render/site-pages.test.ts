import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect } from "vitest";
import {
  createSummaryKeys,
  type DatasetSummary,
  summarize,
  toDataset,
} from "../../src/model/dataset.js";
import { parseDatasetBody } from "../../src/model/parse.js";
import { createEngine } from "../../src/render/engine.js";
import { createSite } from "../../src/render/site.js";
import { type SitePagesOptions, writeSitePages } from "../../src/render/site-pages.js";
import { type Output, openOutput } from "../../src/write/output.js";
import { makeDataset, manyIds } from "../support/datasets.js";
import { test } from "../support/fixtures.js";

const site = createSite({
  title: "Catalog",
  lang: "en",
  timeZone: "UTC",
  siteUrl: "https://cat.example/",
  portalOrigin: "https://data.example",
});

/** A dataset's summary, as a page worker makes it. */
function summaryOf(dataset: ReturnType<typeof makeDataset>): DatasetSummary {
  const url = `https://data.example/api/v2/catalog/datasets/${String(dataset.dataset_id)}`;
  const body = parseDatasetBody({ links: [], dataset }, url);
  return summarize(toDataset(body, { url, publicUrl: (u) => u, lang: "en" }));
}

/** Every site page of these datasets, made fresh (no buffer, no published site). */
function optionsFor(datasets: DatasetSummary[], output: Output): SitePagesOptions {
  return {
    datasets,
    site,
    engine: createEngine(),
    output,
    pageSize: 20,
    renderKey: "key",
    keyOf: createSummaryKeys(),
    sources: { renderKey: "key", live: undefined, buffer: undefined },
    timing: { render: 0 },
  };
}

describe("writeSitePages", () => {
  test("lets the event loop turn while it writes, so page workers' answers are not held up", async ({
    tmp,
  }) => {
    const datasets = manyIds(300).map((id) => summaryOf(makeDataset(id)));
    const output = await openOutput({ outDir: `${tmp}/site`, cwd: tmp });
    // Listing pages are written with blocking calls while the page workers make dataset pages;
    // their answers arrive as events, which wait for turns of the event loop. Files written
    // between two turns:
    let most = 0;
    let before = 0;
    let writing = true;
    const turn = () => {
      most = Math.max(most, output.stats.files - before);
      before = output.stats.files;
      if (writing) setImmediate(turn);
    };
    setImmediate(turn);
    const written = await writeSitePages(optionsFor(datasets, output)).finally(() => {
      writing = false;
    });
    await output.abort();
    // Listings of 15 pages in three orders, the facet pages, home, search, 404…
    expect(written.rendered).toBeGreaterThan(100);
    // At most a page from each of the 16 in the making at once: not the whole lot.
    expect(most).toBeLessThanOrEqual(16);
  });

  test("the Atom feed lists the 50 datasets modified last, newest first, ties by id, the undated left out", async ({
    tmp,
  }) => {
    const datasets = datedDatasets();
    const output = await openOutput({ outDir: `${tmp}/site`, cwd: tmp });
    await writeSitePages(optionsFor(datasets, output));
    const feed = await readFile(join(output.stagingDir, "feed.xml"), "utf8");
    await output.abort();
    const expected = datasets
      .filter((d) => d.modified && !Number.isNaN(Date.parse(d.modified)))
      .sort(
        (a, b) =>
          Date.parse(b.modified ?? "") - Date.parse(a.modified ?? "") || (a.id < b.id ? -1 : 1),
      )
      .slice(0, 50)
      .map((d) => d.id);
    const listed = [...feed.matchAll(/datasets\/(ds-\d+)\//g)].map((m) => m[1]);
    expect([...new Set(listed)]).toEqual(expected);
    expect(expected).toHaveLength(50);
  });

  test("the home page's latest changes are the 10 datasets modified last, newest first, ties by id", async ({
    tmp,
  }) => {
    // Shuffled, so the ten are found wherever they are in the order they come in.
    const dated = datedDatasets();
    const datasets = dated.map((_, i) => dated[(i * 37) % dated.length] as DatasetSummary);
    const output = await openOutput({ outDir: `${tmp}/site`, cwd: tmp });
    await writeSitePages(optionsFor(datasets, output));
    const home = await readFile(join(output.stagingDir, "index.html"), "utf8");
    await output.abort();
    const expected = datasets
      .filter((d) => d.modified)
      .sort((a, b) => (b.modified ?? "").localeCompare(a.modified ?? "") || (a.id < b.id ? -1 : 1))
      .slice(0, 10)
      .map((d) => d.id);
    const latest = /<ol class="latest">([\s\S]*?)<\/ol>/.exec(home)?.[1] ?? "";
    expect([...latest.matchAll(/datasets\/(ds-\d+)\//g)].map((m) => m[1])).toEqual(expected);
  });
});

/** 120 datasets: days spread over a year (some shared), a few undated or with no valid date. */
function datedDatasets(): DatasetSummary[] {
  const modifiedOf = (i: number) =>
    i % 17 === 0
      ? undefined
      : i % 23 === 0
        ? "not a date"
        : `2024-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 5) + 1).padStart(2, "0")}T08:00:00Z`;
  return manyIds(120).map((id, i) => {
    const modified = modifiedOf(i);
    const dataset = makeDataset(id, modified ? { modified } : {});
    if (!modified) delete (dataset.metas as { default: Record<string, unknown> }).default.modified;
    return summaryOf(dataset);
  });
}
