import { Eta } from "eta";
import { expect, it } from "vitest";
import { floorHelpers, floorPageTemplate } from "../../bench/floor-page.js";
import { syntheticPortal } from "../../bench/synthetic.js";
import type { StoredDataset } from "../../src/cache/store.js";
import { createPageMaker } from "../../src/render/page-maker.js";

const PORTAL = "https://data.example.org";

/** What a page is made of: its sections in order, and how many of each element it holds. */
function outline(html: string) {
  const count = (pattern: RegExp) => html.match(pattern)?.length ?? 0;
  return {
    sections: [...html.matchAll(/<h2 id="([^"]+)"/g)].map((m) => m[1]),
    head: {
      meta: count(/<meta /g),
      link: count(/<link /g),
      jsonLd: count(/application\/ld\+json/g),
    },
    rows: count(/<tr>/g),
  };
}

it("the bench's floor prints the build's dataset page from the raw object: the same sections, head and rows, within 10% of its size", () => {
  const portal = syntheticPortal(80);
  const eta = new Eta({ autoEscape: true, autoTrim: [false, "nl"] });
  eta.loadTemplate("@page", floorPageTemplate());
  const h = floorHelpers(PORTAL, "Catalog");
  const make = createPageMaker({
    site: {
      title: "Catalog",
      lang: "fr",
      timeZone: "UTC",
      siteUrl: "https://catalog.example.org/",
      portalOrigin: PORTAL,
    },
    templates: undefined,
    crawlOrigin: PORTAL,
    publicOrigin: PORTAL,
    modelKey: "model key",
  });
  let floorBytes = 0;
  let buildBytes = 0;
  for (const entry of portal.datasets) {
    const records = (entry.records ?? []).slice(0, 5);
    const floor = eta.render("@page", { d: entry.dataset, records, h });
    const url = `${PORTAL}/api/v2/catalog/datasets/${entry.dataset.dataset_id}`;
    // Stored as the crawl stores a self answer and its record sample (checked when read).
    const stored: StoredDataset = {
      body: { links: [], dataset: entry.dataset },
      records: records as unknown as StoredDataset["records"],
    };
    const built = make.fromDocument(stored, url).file.contents;
    expect({ id: entry.dataset.dataset_id, ...outline(floor) }).toEqual({
      id: entry.dataset.dataset_id,
      ...outline(built),
    });
    floorBytes += Buffer.byteLength(floor);
    buildBytes += Buffer.byteLength(built);
  }
  expect(Math.abs(floorBytes / buildBytes - 1)).toBeLessThan(0.1);
});
