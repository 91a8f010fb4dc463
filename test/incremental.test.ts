import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { createSummaryKeys } from "../src/model/dataset.js";
import type { PortalData } from "../src/portal-server/portal.js";
import type { PortalServer } from "../src/portal-server/server.js";
import { type BuiltSite, buildSite } from "./support/build-site.js";
import { damageDocument, storedDocuments } from "./support/cache.js";
import { makeDataset, manyIds } from "./support/datasets.js";
import { portalServer, test } from "./support/fixtures.js";

const IDS = manyIds(250);

function portalWith(changes: Record<string, string> = {}, removed: string[] = []): PortalData {
  return {
    datasets: IDS.filter((id) => !removed.includes(id)).map((id) => ({
      dataset: makeDataset(
        id,
        changes[id] ? { modified: changes[id], title: `Dataset ${id}, updated` } : {},
      ),
      records: [
        {
          id: `${id}-1`,
          timestamp: "2024-01-15T10:00:00Z",
          size: 10,
          fields: { code: id, value: 1 },
        },
      ],
    })),
  };
}

/** Requests a build made, from the server's log: paths only. */
function requestsSince(server: PortalServer, from: number): string[] {
  return server.requests.slice(from).map((r) => r.url);
}

/** The store key of a dataset's document, from the cache manifest. */
/** The dataset's manifest entry. */
async function entryOf(tmp: string, id: string): Promise<{ doc: string; model?: string }> {
  const lines = (await readFile(join(tmp, "cache", "manifest.jsonl"), "utf8")).split("\n");
  return lines.map((line) => (line ? JSON.parse(line) : {})).find((e) => e.dataset === id);
}

/** Damages the dataset's stored model, and its document too unless `documentToo` is false. */
async function damageStored(tmp: string, id: string, documentToo = true): Promise<void> {
  const { doc, model } = await entryOf(tmp, id);
  if (!model) throw new Error(`The manifest names no model of ${id}.`);
  await damageDocument(join(tmp, "cache"), model);
  if (documentToo) await damageDocument(join(tmp, "cache"), doc);
}

const ALONGSIDE = "Listing pages made alongside the dataset pages: every summary was at hand.";

/** The files of `dir` at the paths of `like`. */
async function snapshotOf(dir: string, like: Map<string, string>): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const path of like.keys()) files.set(path, await readFile(join(dir, path), "utf8"));
  return files;
}

async function snapshot(site: BuiltSite): Promise<Map<string, string>> {
  const files = await site.files();
  return new Map(
    await Promise.all(files.map(async (f) => [f, await site.read(f)] as [string, string])),
  );
}

describe("incremental rebuilds", () => {
  test("a warm rebuild with nothing changed requests only the listing and renders nothing again", async ({
    tmp,
  }) => {
    const server = await portalServer({ portal: portalWith() });
    const cold = await buildSite({ tmp, portal: server.origin });
    const coldFiles = await snapshot(cold);
    const before = server.requests.length;
    const warm = await buildSite({ tmp, portal: server.origin });
    expect(requestsSince(server, before)).toEqual([
      "/api/v2",
      "/api/v2/catalog",
      "/api/v2/catalog/datasets?limit=100",
      "/api/v2/catalog/datasets?limit=100&offset=100&timezone=UTC&include_app_metas=False",
      "/api/v2/catalog/datasets?limit=100&offset=200&timezone=UTC&include_app_metas=False",
    ]);
    // Not one file is written: every page, the sitemap and the feed are what the site has.
    expect(warm.report).toMatchObject({
      cacheHits: 250,
      // Each listing page came with the bytes the last build read: none was parsed again.
      listingPages: 3,
      listingPagesKnown: 3,
      datasetPages: { reused: 250, rendered: 0 },
      pages: { rendered: 0 },
      bytesWritten: 0,
    });
    expect(warm.log.lines).toContain(
      "Nothing changed since the last build: the published site stays as it is.",
    );
    expect(await snapshot(warm)).toEqual(coldFiles);
    // Each summary's key is kept with it, as the key a build makes of it: the next build reuses it.
    const lines = (await readFile(join(tmp, "cache", "manifest.jsonl"), "utf8")).split("\n");
    const entries = lines.filter((line) => line.startsWith('{"dataset"')).map((l) => JSON.parse(l));
    expect(entries).toHaveLength(250);
    const keyOf = createSummaryKeys();
    for (const entry of entries) expect(entry.summaryHash).toBe(keyOf(entry.summary));
  });

  test("only the listing pages whose bytes changed are parsed again", async ({ tmp }) => {
    const server = await portalServer({ portal: portalWith() });
    await buildSite({ tmp, portal: server.origin });
    // The last page changes: one dataset in it has a new title.
    server.setPortal(portalWith({ "ds-00249": "2025-02-03T00:00:00+00:00" }));
    const before = server.requests.length;
    const warm = await buildSite({ tmp, portal: server.origin });
    const fetched = requestsSince(server, before).filter((url) =>
      url.startsWith("/api/v2/catalog/datasets/"),
    );
    expect(fetched).toEqual([
      "/api/v2/catalog/datasets/ds-00249",
      "/api/v2/catalog/datasets/ds-00249/records?limit=5",
    ]);
    expect(warm.report).toMatchObject({
      listingPages: 3,
      listingPagesKnown: 2,
      cacheHits: 249,
      datasetPages: { reused: 249, rendered: 1 },
    });
    // A build with the same settings and no cache makes the same site.
    const cold = await buildSite({ tmp: join(tmp, "cold"), portal: server.origin });
    expect(await snapshot(warm)).toEqual(await snapshot(cold));
    // The next build recalls all three pages again.
    const again = await buildSite({ tmp, portal: server.origin });
    expect(again.report).toMatchObject({ listingPagesKnown: 3, cacheHits: 250 });
  });

  test("a rebuild with 3 changed datasets fetches only those 3 self links, and matches a cold build", async ({
    tmp,
  }) => {
    const server = await portalServer({ portal: portalWith() });
    await buildSite({ tmp, portal: server.origin });
    const changed = {
      "ds-00007": "2025-02-01T00:00:00+00:00",
      "ds-00123": "2025-02-02T00:00:00+00:00",
      "ds-00249": "2025-02-03T00:00:00+00:00",
    };
    server.setPortal(portalWith(changed, ["ds-00042"]));
    const before = server.requests.length;
    const warm = await buildSite({ tmp, portal: server.origin });
    const fetched = requestsSince(server, before).filter((url) =>
      url.startsWith("/api/v2/catalog/datasets/"),
    );
    expect(fetched.sort()).toEqual([
      "/api/v2/catalog/datasets/ds-00007",
      "/api/v2/catalog/datasets/ds-00007/records?limit=5",
      "/api/v2/catalog/datasets/ds-00123",
      "/api/v2/catalog/datasets/ds-00123/records?limit=5",
      "/api/v2/catalog/datasets/ds-00249",
      "/api/v2/catalog/datasets/ds-00249/records?limit=5",
    ]);
    expect(warm.report).toMatchObject({
      datasets: 249,
      cacheHits: 246,
      datasetPages: { reused: 246, rendered: 3 },
    });
    // Three summaries are new: the listing pages wait for them.
    expect(warm.log.lines).not.toContain(ALONGSIDE);
    expect(await warm.read("datasets/ds-00123/index.html")).toContain("Dataset ds-00123, updated");

    const cold = await buildSite({ tmp: join(tmp, "cold"), portal: server.origin });
    expect(await snapshot(warm)).toEqual(await snapshot(cold));
    expect((await warm.files()).some((f) => f.includes("ds-00042"))).toBe(false);
  });

  test("builds that rewrite the site of two builds ago match cold builds, change after change", async ({
    tmp,
  }) => {
    const server = await portalServer({ portal: portalWith() });
    await buildSite({ tmp, portal: server.origin });
    // Build 2 changes two datasets; build 3 reverts one, changes another and drops a third:
    // its buffer is build 1's folder, which has the reverted page but not build 2's changes.
    server.setPortal(
      portalWith({
        "ds-00003": "2025-03-01T00:00:00+00:00",
        "ds-00200": "2025-03-02T00:00:00+00:00",
      }),
    );
    await buildSite({ tmp, portal: server.origin });
    server.setPortal(
      portalWith(
        { "ds-00200": "2025-03-02T00:00:00+00:00", "ds-00100": "2025-03-03T00:00:00+00:00" },
        ["ds-00050"],
      ),
    );
    const third = await buildSite({ tmp, portal: server.origin });
    expect(third.report.pages.kept).toBeGreaterThan(200);
    expect(await third.read("datasets/ds-00003/index.html")).not.toContain("updated");
    expect(await third.read("datasets/ds-00200/index.html")).toContain("Dataset ds-00200, updated");
    const cold = await buildSite({ tmp: join(tmp, "cold"), portal: server.origin });
    expect(await snapshot(third)).toEqual(await snapshot(cold));
  });

  test("a published file removed by hand is reported, and a fresh cache rebuilds it", async ({
    tmp,
  }) => {
    const server = await portalServer({ portal: portalWith() });
    const first = await buildSite({ tmp, portal: server.origin, flags: { records: "0" } });
    await rm(join(first.outDir, "datasets", "ds-00001", "index.html"));
    server.setPortal(portalWith({ "ds-00002": "2025-04-01T00:00:00+00:00" }));
    await expect(
      buildSite({ tmp, portal: server.origin, flags: { records: "0" } }),
    ).rejects.toThrow(
      `${join(first.outDir, "datasets", "ds-00001", "index.html")} was removed outside ods-catalog, so it cannot be reused. Delete the cache folder to build every page again.`,
    );
    await rm(join(tmp, "cache"), { recursive: true });
    const rebuilt = await buildSite({ tmp, portal: server.origin, flags: { records: "0" } });
    expect(await rebuilt.read("datasets/ds-00001/index.html")).toContain("Dataset ds-00001");
  });

  test("a changed listing entry is fetched conditionally; a 304 reuses the cached body", async ({
    tmp,
  }) => {
    const lookup = makeDataset("a", { title: "The lookup's title" });
    const server = await portalServer({
      portal: { datasets: [{ dataset: makeDataset("a"), lookup }] },
      etags: true,
    });
    await buildSite({ tmp, portal: server.origin });
    server.setPortal({
      datasets: [{ dataset: makeDataset("a", { metas: { records_count: 43 } }), lookup }],
    });
    const before = server.requests.length;
    const warm = await buildSite({ tmp, portal: server.origin, flags: { records: "0" } });
    const self = server.requests.slice(before).find((r) => r.url === "/api/v2/catalog/datasets/a");
    expect(self?.headers["if-none-match"]).toMatch(/^"[0-9a-f]{40}"$/);
    expect(warm.report.cacheHits).toBe(1);
    expect(await warm.read("datasets/a/index.html")).toContain("The lookup&#39;s title");
  });

  test("settings that change every page re-render every page, without fetching again", async ({
    tmp,
  }) => {
    const server = await portalServer({ portal: portalWith() });
    await buildSite({ tmp, portal: server.origin });
    const before = server.requests.length;
    const retitled = await buildSite({
      tmp,
      portal: server.origin,
      flags: { title: "Another title" },
    });
    expect(requestsSince(server, before)).toHaveLength(5);
    expect(retitled.report.pages.reused).toBe(0);
    // Unchanged datasets: none is made during the crawl, all after it.
    expect(retitled.report.datasetPages).toEqual({
      reused: 0,
      rendered: 250,
      workers: 0,
      // From the models the first build stored: nothing parsed, validated or sanitized again.
      fromModels: 250,
      early: { started: 0, finished: 0, remade: 0 },
      listingAlongside: true,
    });
    expect(await retitled.read("datasets/ds-00001/index.html")).toContain("Another title");
    // Every summary was known: the listing pages were made alongside the dataset pages, and
    // the site is the one a cold build makes.
    expect(retitled.log.lines).toContain(ALONGSIDE);
    const cold = await buildSite({
      tmp: join(tmp, "cold"),
      portal: server.origin,
      flags: { title: "Another title" },
    });
    expect(cold.log.lines).not.toContain(ALONGSIDE);
    expect(await snapshot(retitled)).toEqual(await snapshot(cold));
  });

  test("listing pages made alongside say so when a damaged document changes a dataset meanwhile", async ({
    tmp,
  }) => {
    let broken = false;
    const server = await portalServer({
      portal: portalWith(),
      fault: ({ url }) =>
        broken && url === "/api/v2/catalog/datasets/ds-00010" ? { status: 404 } : undefined,
    });
    const first = await buildSite({ tmp, portal: server.origin });
    await damageStored(tmp, "ds-00010");
    broken = true;
    const flags = { title: "Re-render everything" };
    const second = await buildSite({ tmp, portal: server.origin, flags });
    expect(second.report.datasets).toBe(first.report.datasets - 1);
    expect(second.log.warnings).toContainEqual(expect.stringMatching(/^Dataset ds-00010 left out/));
    expect(second.log.warnings).toContainEqual(
      expect.stringMatching(/^1 of the listed datasets changed while their pages were made/),
    );
    // The next build lists it again, with its page.
    broken = false;
    const third = await buildSite({ tmp, portal: server.origin, flags });
    expect(third.log.warnings).toEqual([]);
    expect(third.report.datasets).toBe(first.report.datasets);
    expect(await third.read("datasets/ds-00010/index.html")).toContain("Dataset ds-00010");
  });

  test("pages made again in a recycled folder never write through to the published site's files", async ({
    tmp,
  }) => {
    const server = await portalServer({ portal: portalWith() });
    await buildSite({ tmp, portal: server.origin });
    // Build 2 links its unchanged pages from build 1's site, which then becomes the buffer:
    // the two folders share those files.
    server.setPortal(portalWith({ "ds-00003": "2025-03-01T00:00:00+00:00" }));
    const second = await buildSite({ tmp, portal: server.origin });
    expect(second.report.pages.linked).toBeGreaterThan(200);
    const published = await snapshot(second);
    // Build 3 rewrites, in build 1's folder, the pages another change touches (the home page,
    // listings), while build 2's site is live.
    server.setPortal(
      portalWith({
        "ds-00003": "2025-03-01T00:00:00+00:00",
        "ds-00100": "2025-04-01T00:00:00+00:00",
      }),
    );
    const third = await buildSite({ tmp, portal: server.origin });
    expect(third.report.pages.kept).toBeGreaterThan(200);
    expect(await snapshotOf(join(tmp, ".dist.prev"), published)).toEqual(published);
  });

  test("a manifest read in pieces, with CR LF line ends, is the manifest written", async ({
    tmp,
  }) => {
    const server = await portalServer({ portal: portalWith() });
    await buildSite({ tmp, portal: server.origin });
    const path = join(tmp, "cache", "manifest.jsonl");
    // Spaces after each line's JSON make it span the reader's 1 MB pieces, lines cut anywhere.
    const lines = (await readFile(path, "utf8")).split("\n").filter(Boolean);
    await writeFile(path, lines.map((line) => `${line}${" ".repeat(9_000)}\r\n`).join(""));
    const site = await buildSite({ tmp, portal: server.origin });
    expect(site.log.warnings).toEqual([]);
    expect(site.report.cacheHits).toBe(250);
  });

  test("a damaged cache manifest is set aside with a warning, never trusted", async ({ tmp }) => {
    const server = await portalServer({ portal: portalWith() });
    await buildSite({ tmp, portal: server.origin });
    const path = join(tmp, "cache", "manifest.jsonl");
    const lines = (await readFile(path, "utf8")).split("\n");
    // Cut off after a few entries, as a full disk or a killed write would leave it.
    await writeFile(path, lines.slice(0, 5).join("\n"));
    const before = server.requests.length;
    const site = await buildSite({ tmp, portal: server.origin });
    expect(site.log.warnings[0]).toBe(
      `Not using the cache in ${join(tmp, "cache")}: manifest.jsonl is damaged (it is incomplete). It was set aside; this build fetches everything.`,
    );
    expect(requestsSince(server, before).length).toBeGreaterThan(500);
    expect(await readFile(join(tmp, "cache", "manifest.jsonl.rejected"), "utf8")).toBe(
      lines.slice(0, 5).join("\n"),
    );
    expect(site.report.datasets).toBe(250);
  });

  test("a manifest from another version is set aside", async ({ tmp }) => {
    const server = await portalServer({ portal: portalWith() });
    await buildSite({ tmp, portal: server.origin });
    const path = join(tmp, "cache", "manifest.jsonl");
    const [header = "", ...rest] = (await readFile(path, "utf8")).split("\n");
    await writeFile(
      path,
      [JSON.stringify({ ...JSON.parse(header), tool: "0.0.1" }), ...rest].join("\n"),
    );
    const site = await buildSite({ tmp, portal: server.origin });
    expect(site.log.warnings[0]).toMatch(
      /it was written by ods-catalog 0\.0\.1, this is \d+\.\d+\.\d+\. It was set aside/,
    );
    expect(site.report.cacheHits).toBe(0);
  });

  test("a damaged cached body is fetched again when its page must be rendered", async ({ tmp }) => {
    const server = await portalServer({ portal: portalWith() });
    await buildSite({ tmp, portal: server.origin });
    await damageStored(tmp, "ds-00010");
    const before = server.requests.length;
    const site = await buildSite({
      tmp,
      portal: server.origin,
      flags: { title: "Re-render everything" },
    });
    expect(
      site.log.warnings.some((w) =>
        w.includes("is damaged (its hash does not match). Fetching dataset ds-00010 again."),
      ),
    ).toBe(true);
    expect(requestsSince(server, before)).toContain("/api/v2/catalog/datasets/ds-00010");
    expect(await site.read("datasets/ds-00010/index.html")).toContain("Dataset ds-00010");
  });

  test("a damaged stored model is made again from the document, which gives the same page", async ({
    tmp,
  }) => {
    const server = await portalServer({ portal: portalWith() });
    await buildSite({ tmp, portal: server.origin });
    await damageStored(tmp, "ds-00010", false);
    const before = server.requests.length;
    const flags = { title: "Re-render everything" };
    const site = await buildSite({ tmp, portal: server.origin, flags });
    expect(site.log.warnings).toEqual([]);
    expect(requestsSince(server, before)).not.toContain("/api/v2/catalog/datasets/ds-00010");
    expect(site.report.datasetPages).toMatchObject({ rendered: 250, fromModels: 249 });
    const cold = await buildSite({ tmp: join(tmp, "cold"), portal: server.origin, flags });
    expect(await site.read("datasets/ds-00010/index.html")).toBe(
      await cold.read("datasets/ds-00010/index.html"),
    );
    // Its model was stored again: the next build makes every page from a model.
    const again = await buildSite({ tmp, portal: server.origin, flags: { title: "Once more" } });
    expect(again.report.datasetPages).toMatchObject({ rendered: 250, fromModels: 250 });
  });

  test("the cache keeps only what the published site uses", async ({ tmp }) => {
    const server = await portalServer({ portal: portalWith() });
    await buildSite({ tmp, portal: server.origin, flags: { records: "0" } });
    const first = await storedDocuments(join(tmp, "cache"));
    server.setPortal(portalWith({}, IDS.slice(0, 100)));
    await buildSite({ tmp, portal: server.origin, flags: { records: "0" } });
    const second = await storedDocuments(join(tmp, "cache"));
    // Each dataset's document and model.
    expect(first.size).toBe(2 * 250);
    expect(second.size).toBe(2 * 150);
    expect([...second.keys()].every((key) => first.has(key))).toBe(true);
  });
});
