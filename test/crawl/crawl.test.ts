import { describe, expect, it, onTestFinished } from "vitest";
import { openStore, type StoredDataset } from "../../src/cache/store.js";
import { crawl } from "../../src/crawl/crawl.js";
import { createHttp } from "../../src/crawl/http.js";
import { memoryLog } from "../../src/log.js";
import { parseDatasetBody } from "../../src/model/parse.js";
import { makeDataset, makePortal, manyIds } from "../support/datasets.js";
import { portalServer, test } from "../support/fixtures.js";
import { scriptedServer } from "../support/scripted-server.js";

function setup(origin: string, tmp: string) {
  const http = createHttp({
    origin,
    userAgent: "test",
    concurrency: 4,
    retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2, maxWaitMs: 100 },
  });
  const store = openStore(tmp);
  onTestFinished(async () => {
    await Promise.all([http.close(), store.close()]);
  });
  const log = memoryLog();
  return {
    http,
    log,
    store,
    pageSize: 100,
    records: 0,
    concurrency: 4,
    quotaReserve: 0,
  };
}

describe("crawl", () => {
  test("follows root → catalog → datasets → next pages → each self link, each URL once", async ({
    tmp,
  }) => {
    const server = await portalServer({ portal: makePortal(manyIds(250)) });
    const result = await crawl({ ...setup(server.origin, tmp), apiRoot: server.apiRoot });

    const paths = server.requests.map((r) => r.url);
    expect(paths.slice(0, 3)).toEqual([
      "/api/v2",
      "/api/v2/catalog",
      "/api/v2/catalog/datasets?limit=100",
    ]);
    const listing = paths.filter((p) => p.startsWith("/api/v2/catalog/datasets?"));
    expect(listing).toEqual([
      "/api/v2/catalog/datasets?limit=100",
      "/api/v2/catalog/datasets?limit=100&offset=100&timezone=UTC&include_app_metas=False",
      "/api/v2/catalog/datasets?limit=100&offset=200&timezone=UTC&include_app_metas=False",
    ]);
    expect(paths).toHaveLength(3 + 2 + 250);
    expect(new Set(paths).size).toBe(paths.length);
    expect(result.entries.map((e) => e.id)).toEqual(manyIds(250));
    expect(result.entries.every((e) => e.source === "self")).toBe(true);
    expect(result).toMatchObject({ totalCount: 250, listingPages: 3 });
  });

  test("stores each self body as received, with its record sample, for the render phase", async ({
    tmp,
  }) => {
    const server = await portalServer({
      portal: {
        datasets: [
          {
            dataset: makeDataset("a"),
            lookup: makeDataset("a", { title: "From the lookup" }),
            records: [
              { id: "r1", timestamp: "2024-01-01T00:00:00Z", size: 3, fields: { code: "X" } },
            ],
          },
        ],
      },
    });
    const options = { ...setup(server.origin, tmp), records: 3 };
    const [entry] = (await crawl({ ...options, apiRoot: server.apiRoot })).entries;
    const stored = (await options.store.get(entry?.doc ?? "")) as StoredDataset;
    const body = parseDatasetBody(stored.body, entry?.url ?? "");
    expect(body.dataset.metas.default?.title).toBe("From the lookup");
    expect(stored.records).toEqual([{ id: "r1", fields: { code: "X" } }]);
    expect(server.requests.map((r) => r.url)).toContain(
      "/api/v2/catalog/datasets/a/records?limit=3",
    );
    expect(entry?.url).toBe(`${server.apiRoot}/catalog/datasets/a`);
  });

  test("encodes ids with @, spaces, slashes, dots and non-ASCII so each self link resolves", async ({
    tmp,
  }) => {
    const ids = ["name@domain", "with space", "a/b", "../../x", "données-été", "日本"];
    const server = await portalServer({ portal: makePortal(ids) });
    const result = await crawl({ ...setup(server.origin, tmp), apiRoot: server.apiRoot });
    expect(result.entries.map((e) => [e.id, e.source])).toEqual(
      [...ids].sort().map((id) => [id, "self"]),
    );
    expect(server.requests.some((r) => r.url === "/api/v2/catalog/datasets/name@domain")).toBe(
      true,
    );
    expect(server.requests.some((r) => r.url === "/api/v2/catalog/datasets/a%2Fb")).toBe(true);
  });

  test("falls back to the listing copy when a self fetch fails, and reports it", async ({
    tmp,
  }) => {
    const server = await portalServer({
      portal: makePortal(["a", "b"]),
      fault: ({ url }) => (url.endsWith("/datasets/b") ? { status: 500 } : undefined),
    });
    const options = setup(server.origin, tmp);
    const result = await crawl({ ...options, apiRoot: server.apiRoot });
    expect(result.entries.map((e) => [e.id, e.source])).toEqual([
      ["a", "self"],
      ["b", "listing"],
    ]);
    expect(result.issues.fallbacks).toEqual([
      {
        id: "b",
        reason: `${server.apiRoot}/catalog/datasets/b answered HTTP 500 (Fault: Injected fault) (after 1 retry)`,
      },
    ]);
    expect(options.log.warnings[0]).toContain("Dataset b:");
  });

  test("fetches a dataset whose listing entry has an odd field, and keeps its self body", async ({
    tmp,
  }) => {
    // The listing's copy is read only as far as the crawl uses it: its odd field is no reason
    // to leave out a dataset whose own body is fine.
    let apiRoot = "";
    const server = await portalServer({
      portal: makePortal(["odd"]),
      fault: ({ url }) =>
        url.startsWith("/api/v2/catalog/datasets?")
          ? {
              status: 200,
              body: {
                total_count: 1,
                links: [],
                datasets: [
                  {
                    links: [{ rel: "self", href: `${apiRoot}/catalog/datasets/odd` }],
                    dataset: { ...makeDataset("odd"), fields: "not a list" },
                  },
                ],
              },
            }
          : undefined,
    });
    apiRoot = server.apiRoot;
    const options = setup(server.origin, tmp);
    const result = await crawl({ ...options, apiRoot });
    expect(result.entries.map((e) => [e.id, e.source])).toEqual([["odd", "self"]]);
    expect(result.issues).toMatchObject({ skipped: [], fallbacks: [] });
    const stored = (await options.store.get(result.entries[0]?.doc ?? "")) as StoredDataset;
    expect(parseDatasetBody(stored.body, apiRoot).dataset.fields).toHaveLength(2);
  });

  test("leaves out a dataset gone (404) between listing and self, and reports it", async ({
    tmp,
  }) => {
    const server = await portalServer({
      portal: makePortal(["a", "b"]),
      fault: ({ url }) =>
        url.endsWith("/datasets/a")
          ? { status: 404, body: { error_code: "NotFoundResource" } }
          : undefined,
    });
    const result = await crawl({ ...setup(server.origin, tmp), apiRoot: server.apiRoot });
    expect(result.entries.map((e) => e.id)).toEqual(["b"]);
    expect(result.issues.skipped).toEqual([{ id: "a", reason: "gone (404) since it was listed" }]);
  });

  test("fails when a listing page cannot be fetched", async ({ tmp }) => {
    const server = await portalServer({
      portal: makePortal(manyIds(150)),
      fault: ({ url }) => (url.includes("offset=100") ? { status: 503 } : undefined),
    });
    await expect(crawl({ ...setup(server.origin, tmp), apiRoot: server.apiRoot })).rejects.toThrow(
      /catalog\/datasets\?limit=100&offset=100.* answered HTTP 503/,
    );
  });

  test("never follows links to another origin; reports a next link elsewhere and stops there", async ({
    tmp,
  }) => {
    const entry = (id: string, self: string) => ({
      links: [{ rel: "self", href: self }],
      dataset: makeDataset(id),
    });
    const { origin, paths } = await scriptedServer({
      "/api/v2": { links: [{ rel: "catalog", href: "{origin}/api/v2/catalog" }] },
      "/api/v2/catalog": { links: [{ rel: "datasets", href: "{origin}/api/v2/catalog/datasets" }] },
      "/api/v2/catalog/datasets?limit=100": {
        total_count: 3,
        links: [
          { rel: "next", href: "https://elsewhere.example/api/v2/catalog/datasets?offset=100" },
        ],
        datasets: [
          entry("a", "{origin}/api/v2/catalog/datasets/a"),
          entry("b", "https://elsewhere.example/b"),
        ],
      },
      "/api/v2/catalog/datasets/a": entry("a", "{origin}/api/v2/catalog/datasets/a"),
    });
    const result = await crawl({ ...setup(origin, tmp), apiRoot: `${origin}/api/v2` });
    expect(result.entries.map((e) => [e.id, e.source])).toEqual([
      ["a", "self"],
      ["b", "listing"],
    ]);
    expect(result.issues.offOrigin.sort()).toEqual([
      "https://elsewhere.example/api/v2/catalog/datasets?offset=100",
      "https://elsewhere.example/b",
    ]);
    expect(paths.some((p) => p.includes("elsewhere"))).toBe(false);
  });

  test("refuses a catalog link to another origin", async ({ tmp }) => {
    const { origin } = await scriptedServer({
      "/api/v2": { links: [{ rel: "catalog", href: "https://elsewhere.example/api/v2/catalog" }] },
    });
    await expect(crawl({ ...setup(origin, tmp), apiRoot: `${origin}/api/v2` })).rejects.toThrow(
      `${origin}/api/v2 links its catalog to another origin (https://elsewhere.example/api/v2/catalog); not following it.`,
    );
  });

  test("stops on a next link that loops back, and keeps the first copy of a dataset listed twice", async ({
    tmp,
  }) => {
    const entry = (id: string) => ({ links: [], dataset: makeDataset(id) });
    const first = "/api/v2/catalog/datasets?limit=100";
    const second = "/api/v2/catalog/datasets?limit=100&offset=100";
    const { origin } = await scriptedServer({
      "/api/v2": { links: [{ rel: "catalog", href: "{origin}/api/v2/catalog" }] },
      "/api/v2/catalog": { links: [{ rel: "datasets", href: "{origin}/api/v2/catalog/datasets" }] },
      [first]: {
        links: [{ rel: "next", href: `{origin}${second}` }],
        datasets: [entry("a"), entry("b")],
      },
      [second]: {
        links: [{ rel: "next", href: `{origin}${first}` }],
        datasets: [entry("b"), entry("c")],
      },
    });
    const options = setup(origin, tmp);
    const result = await crawl({ ...options, apiRoot: `${origin}/api/v2` });
    expect(result.entries.map((e) => e.id)).toEqual(["a", "b", "c"]);
    expect(result.issues.duplicates).toEqual(["b"]);
    expect(options.log.warnings.some((w) => w.includes("points back to a page already read"))).toBe(
      true,
    );
  });

  test("names the URL and JSON path of a listing of the wrong shape", async ({ tmp }) => {
    const { origin } = await scriptedServer({
      "/api/v2": { links: [{ rel: "catalog", href: "{origin}/api/v2/catalog" }] },
      "/api/v2/catalog": { links: [{ rel: "datasets", href: "{origin}/api/v2/catalog/datasets" }] },
      "/api/v2/catalog/datasets?limit=100": { datasets: { oops: true } },
    });
    await expect(crawl({ ...setup(origin, tmp), apiRoot: `${origin}/api/v2` })).rejects.toThrow(
      `Unexpected API response from ${origin}/api/v2/catalog/datasets?limit=100 at $.datasets: expected an array, got an object.`,
    );
  });
});

it("the crawl module has no retry or network logic of its own", async () => {
  // All network behaviour lives in http.ts; crawl.ts only follows links.
  const source = await import("node:fs").then((fs) =>
    fs.readFileSync(new URL("../../src/crawl/crawl.ts", import.meta.url), "utf8"),
  );
  expect(source).not.toMatch(/from "undici"|setTimeout|retry/i);
});
