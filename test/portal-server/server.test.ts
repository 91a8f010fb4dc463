import { request } from "undici";
import { describe, expect, it } from "vitest";
import { whereOf } from "../../src/crawl/partition.js";
import { loadDemoPortal } from "../../src/portal-server/demo.js";
import { PortalIndex } from "../../src/portal-server/routes.js";
import { makePortal, manyIds } from "../support/datasets.js";
import { portalServer } from "../support/fixtures.js";

async function get(url: string) {
  const response = await request(url);
  return {
    status: response.statusCode,
    body: (await response.body.json()) as Record<string, unknown>,
  };
}

describe("the local ODS API v2 portal", () => {
  it("writes its own origin into every href", async () => {
    const server = await portalServer({ portal: makePortal(["a"]) });
    const { body } = await get(`${server.origin}/api/v2/catalog/datasets?limit=1`);
    const hrefs = JSON.stringify(body).match(/"href":"[^"]+"/g) ?? [];
    expect(hrefs.length).toBeGreaterThan(3);
    for (const href of hrefs) expect(href).toContain(`"href":"${server.origin}/api/v2/`);
  });

  it("enforces the API's paging rules: limit ≤ 100 and offset + limit ≤ 10000, while `last` points past the cap", async () => {
    const server = await portalServer({ portal: makePortal(manyIds(10_050)) });
    const tooBig = await get(`${server.apiRoot}/catalog/datasets?limit=101`);
    expect(tooBig).toEqual({
      status: 400,
      body: {
        error_code: "InvalidRESTParameterError",
        message:
          "Invalid value for limit API parameter: 101 was found but -1 <= limit <= 100 is expected.",
      },
    });
    const past = await get(`${server.apiRoot}/catalog/datasets?limit=100&offset=9950`);
    expect(past.body).toEqual({
      error_code: "InvalidRESTParameterError",
      message:
        "Invalid value for sum of offset + limit API parameter: 10050 was found but <= 10000 is expected.",
    });
    const last = await get(`${server.apiRoot}/catalog/datasets?limit=100&offset=9900`);
    expect(last.status).toBe(200);
    const links = last.body.links as Array<{ rel: string; href: string }>;
    expect(links.find((l) => l.rel === "last")?.href).toContain("offset=10000");
    expect(links.find((l) => l.rel === "next")?.href).toContain("offset=10000");
  });

  it("with cache, answers a GET asked before, or primed, as the first time, until the catalog changes", async () => {
    const portal = makePortal(["a", "b"]);
    const server = await portalServer({ portal, cache: true });
    const listing = `${server.apiRoot}/catalog/datasets?limit=1&offset=1`;
    const self = `${server.apiRoot}/catalog/datasets/b`;
    const titleOf = (body: Record<string, unknown>) =>
      JSON.stringify(body).match(/"title":"([^"]*)"/)?.[1];
    const first = await get(listing);
    server.prime([new URL(self).pathname]);
    // Edited behind the server's back: the answers made before stay as they were, others do not.
    const b = portal.datasets[1]?.dataset as { metas: { default: { title: string } } };
    b.metas.default.title = "Edited";
    expect(titleOf(first.body)).toBe("Dataset b");
    expect(await get(listing)).toEqual(first);
    expect(titleOf((await get(self)).body)).toBe("Dataset b");
    expect(titleOf((await get(`${listing}&x=1`)).body)).toBe("Edited");
    server.setPortal(portal);
    expect(titleOf((await get(listing)).body)).toBe("Edited");
    expect(titleOf((await get(self)).body)).toBe("Edited");
  });

  it("answers 404 NotFoundResource for an unknown dataset, and decodes encoded ids", async () => {
    const server = await portalServer({ portal: makePortal(["a/b", "x@y"]) });
    expect((await get(`${server.apiRoot}/catalog/datasets/nope`)).status).toBe(404);
    expect((await get(`${server.apiRoot}/catalog/datasets/a%2Fb`)).status).toBe(200);
    expect((await get(`${server.apiRoot}/catalog/datasets/x@y`)).status).toBe(200);
  });

  it("serves the demo assembled from the recorded responses", async () => {
    const demo = loadDemoPortal();
    expect(demo.datasets.map((d) => d.dataset.dataset_id)).toEqual([
      "mef-catalogue-temporaire",
      "france-relance-donnees-agregees",
      "plan-de-relance-france-num-laureats-et-montants-par-departement",
      "fichier-fantoir-des-voies-et-lieux-dits",
      "world-administrative-boundaries-countries-and-territories",
      "geonames-all-cities-with-a-population-1000",
      "evolution_region_longueurs_circuits_files@rte",
      "programa-nacional-de-diagnostico-precoce",
      "my-dataset",
    ]);
    const server = await portalServer({ portal: demo });
    const records = await get(
      `${server.apiRoot}/catalog/datasets/programa-nacional-de-diagnostico-precoce/records?limit=2`,
    );
    expect(records.body.total_count).toBe(3);
    expect((records.body.records as unknown[]).length).toBe(2);
  });
});

describe("the local portal's index", () => {
  it("keeps the filters a crawl is still paging through, however many others it probes", () => {
    const index = new PortalIndex(makePortal(manyIds(50)));
    const year = (y: number) => whereOf({ modified: [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)] });
    const inUse = index.matching(year(2000));
    for (let y = 1900; y < 2000; y++) {
      index.matching(year(y)); // A probe, used once.
      expect(index.matching(year(2000))).toBe(inUse); // The part being paged, not scanned again.
    }
  });
});
