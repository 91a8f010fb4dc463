import { describe, expect } from "vitest";
import type { PortalData } from "../src/portal-server/portal.js";
import { buildSite } from "./support/build-site.js";
import { makeDataset, manyIds } from "./support/datasets.js";
import { portalServer, test } from "./support/fixtures.js";

/** Datasets modified one hour apart from 2015 on, like a catalog grown over years. */
function spreadPortal(count: number): PortalData {
  const start = Date.UTC(2015, 0, 1);
  return {
    datasets: manyIds(count).map((id, i) => ({
      dataset: makeDataset(id, { modified: new Date(start + i * 3_600_000).toISOString() }),
    })),
  };
}

// Each test builds a site of more than 10,000 pages: minutes on a loaded 2-core machine.
describe("catalogs larger than the API's 10,000 paging cap", { timeout: 240_000 }, () => {
  test("a 12,000-dataset portal is published whole", async ({ tmp }) => {
    const server = await portalServer({ portal: spreadPortal(12_000) });
    const site = await buildSite({
      tmp,
      portal: server.origin,
      flags: { records: "0", concurrency: "8" },
    });
    expect(site.report.datasets).toBe(12_000);
    expect(site.report.issues).toMatchObject({
      unreachable: 0,
      duplicates: [],
      skipped: [],
      fallbacks: [],
    });
    const pages = (await site.files()).filter((f) => /^datasets\/[^/]+\/index\.html$/.test(f));
    expect(pages).toHaveLength(12_000);
    // The server enforces the cap: no request asked past it, and every listing request was answered.
    const listing = server.requests.filter((r) => r.url.startsWith("/api/v2/catalog/datasets?"));
    for (const request of listing) {
      const query = new URL(request.url, server.origin).searchParams;
      expect(Number(query.get("offset") ?? 0) + Number(query.get("limit"))).toBeLessThanOrEqual(
        10_000,
      );
    }
    // The report counts every listing page read, across the parts listed at the same time.
    expect(site.report.listingPages).toBe(listing.length);
    // Each dataset's self link was fetched exactly once.
    const selfs = server.requests.filter((r) =>
      /^\/api\/v2\/catalog\/datasets\/[^/?]+$/.test(r.url),
    );
    expect(selfs).toHaveLength(12_000);
    expect(new Set(selfs.map((r) => r.url)).size).toBe(12_000);
  });

  test("datasets sharing one modification second are split by record count", async ({ tmp }) => {
    const portal: PortalData = {
      datasets: manyIds(10_150).map((id, i) => ({
        dataset: makeDataset(id, {
          modified: "2024-03-01T00:00:00+00:00",
          metas: { records_count: i },
        }),
      })),
    };
    const server = await portalServer({ portal });
    const site = await buildSite({
      tmp,
      portal: server.origin,
      flags: { records: "0", concurrency: "8" },
    });
    expect(site.report.datasets).toBe(10_150);
    const filters = server.requests.map(
      (r) => new URL(r.url, server.origin).searchParams.get("where") ?? "",
    );
    expect(filters.some((where) => where.includes("records_count >= "))).toBe(true);
  });
});
