import { describe, expect } from "vitest";
import { createSummaryKeys, summarize, toDataset } from "../../src/model/dataset.js";
import { parseDatasetBody } from "../../src/model/parse.js";
import { createEngine } from "../../src/render/engine.js";
import { createSite } from "../../src/render/site.js";
import { writeSitePages } from "../../src/render/site-pages.js";
import { openOutput } from "../../src/write/output.js";
import { makeDataset, manyIds } from "../support/datasets.js";
import { test } from "../support/fixtures.js";

describe("writeSitePages", () => {
  test("lets the event loop turn while it writes, so page workers' answers are not held up", async ({
    tmp,
  }) => {
    const site = createSite({
      title: "Catalog",
      lang: "en",
      timeZone: "UTC",
      siteUrl: "https://cat.example/",
      portalOrigin: "https://data.example",
    });
    const datasets = manyIds(300).map((id) => {
      const url = `https://data.example/api/v2/catalog/datasets/${id}`;
      const body = parseDatasetBody({ links: [], dataset: makeDataset(id) }, url);
      return summarize(toDataset(body, { url, publicUrl: (u) => u, lang: "en" }));
    });
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
    const written = await writeSitePages({
      datasets,
      site,
      engine: createEngine(),
      output,
      pageSize: 20,
      renderKey: "key",
      keyOf: createSummaryKeys(),
      sources: { renderKey: "key", live: undefined, buffer: undefined },
      timing: { render: 0 },
    }).finally(() => {
      writing = false;
    });
    await output.abort();
    // Listings of 15 pages in three orders, the facet pages, home, search, 404…
    expect(written.rendered).toBeGreaterThan(100);
    // At most a page from each of the 16 in the making at once: not the whole lot.
    expect(most).toBeLessThanOrEqual(16);
  });
});
