import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import fg from "fast-glob";
import { describe, expect } from "vitest";
import { buildSite } from "./support/build-site.js";
import { makeDataset } from "./support/datasets.js";
import { portalServer, test } from "./support/fixtures.js";
import { activeContent, brokenInternalLinks } from "./support/site-checks.js";

describe("build of the bundled demo portal", () => {
  test("matches the golden files, page by page", async ({ tmp }) => {
    const site = await buildSite({ tmp });
    const files = await site.files();
    expect(files).toMatchInlineSnapshot(`
      [
        ".ods-catalog",
        "404.html",
        "assets/favicon.svg",
        "assets/search-engine.js",
        "assets/search.js",
        "assets/style.css",
        "catalog.json",
        "catalog/by-modified/index.html",
        "catalog/by-records/index.html",
        "catalog/index.html",
        "datasets/evolution-region-longueurs-circuits-files-rte--06c42e93cd71/index.html",
        "datasets/fichier-fantoir-des-voies-et-lieux-dits/index.html",
        "datasets/france-relance-donnees-agregees/index.html",
        "datasets/geonames-all-cities-with-a-population-1000/index.html",
        "datasets/index.html",
        "datasets/mef-catalogue-temporaire/index.html",
        "datasets/my-dataset/index.html",
        "datasets/plan-de-relance-france-num-laureats-et-montants-par-departement/index.html",
        "datasets/programa-nacional-de-diagnostico-precoce/index.html",
        "datasets/world-administrative-boundaries-countries-and-territories/index.html",
        "features/analyze/index.html",
        "features/geo/index.html",
        "features/index.html",
        "features/timeserie/index.html",
        "feed.xml",
        "index.html",
        "keywords/2022/index.html",
        "keywords/bilan-electrique/index.html",
        "keywords/boundaries/index.html",
        "keywords/cadastre/index.html",
        "keywords/circuit/index.html",
        "keywords/city/index.html",
        "keywords/communes/index.html",
        "keywords/countries/index.html",
        "keywords/diagnostico-precoce/index.html",
        "keywords/diagnosticos/index.html",
        "keywords/electricite/index.html",
        "keywords/fantoir/index.html",
        "keywords/file-de-pylones/index.html",
        "keywords/geonames/index.html",
        "keywords/index.html",
        "keywords/iso-3-code/index.html",
        "keywords/lieux-dits/index.html",
        "keywords/plan-de-relance/index.html",
        "keywords/programa-nacional-de-saude/index.html",
        "keywords/region/index.html",
        "keywords/reseau/index.html",
        "keywords/shape/index.html",
        "keywords/territoire/index.html",
        "keywords/territories/index.html",
        "keywords/united-nation/index.html",
        "keywords/voies/index.html",
        "keywords/world/index.html",
        "languages/en/index.html",
        "languages/fr/index.html",
        "languages/index.html",
        "languages/pt/index.html",
        "licenses/cc-by-4-0/index.html",
        "licenses/index.html",
        "licenses/licence-ouverte-etalab/index.html",
        "licenses/licence-ouverte-v2-0-etalab/index.html",
        "licenses/open-government-licence-v3-0/index.html",
        "publishers/dge/index.html",
        "publishers/dgfip/index.html",
        "publishers/geonames/index.html",
        "publishers/index.html",
        "publishers/insa/index.html",
        "publishers/opendatasoft/index.html",
        "publishers/rte/index.html",
        "publishers/sgpr/index.html",
        "publishers/world-food-programme-un-agency/index.html",
        "robots.txt",
        "search/index.html",
        "sitemap.xml",
        "themes/administration-government-public-finances-citizenship/index.html",
        "themes/administration/index.html",
        "themes/economie/index.html",
        "themes/index.html",
        "themes/qualidade/index.html",
        "themes/reseau/index.html",
        "themes/territoires-et-regions/index.html",
        "years/2016/index.html",
        "years/2019/index.html",
        "years/2021/index.html",
        "years/2022/index.html",
        "years/2024/index.html",
        "years/2026/index.html",
        "years/index.html",
      ]
    `);
    for (const file of files.filter((f) => /\.(html|xml|json|txt)$/.test(f))) {
      await expect(await site.read(file)).toMatchFileSnapshot(`./golden/demo/${file}`);
    }
    // 2 to reach the listing, 1 listing page, 9 self links, 7 record samples.
    expect(site.report).toMatchObject({
      portal: "demo",
      datasets: 9,
      pages: { total: 87, rendered: 87, reused: 0 },
      requests: 19,
      retries: 0,
    });
  });

  test("is deterministic: two builds give byte-identical files", async ({ tmp }) => {
    const first = await buildSite({ tmp: join(tmp, "one") });
    const second = await buildSite({ tmp: join(tmp, "two") });
    const files = await first.files();
    expect(await second.files()).toEqual(files);
    for (const file of files) {
      expect(await second.read(file), file).toBe(await first.read(file));
    }
  });

  test("every internal link resolves to a file of the site", async ({ tmp }) => {
    const site = await buildSite({ tmp });
    const pages = (await site.files()).filter((f) => f.endsWith(".html"));
    expect(pages.length).toBeGreaterThan(10);
    expect(brokenInternalLinks(site.outDir, pages)).toEqual([]);
  });

  test("every internal link resolves under a base path too", async ({ tmp }) => {
    const site = await buildSite({ tmp, flags: { "base-path": "/catalog/" } });
    const pages = (await site.files()).filter((f) => f.endsWith(".html"));
    expect(brokenInternalLinks(site.outDir, pages, "/catalog/")).toEqual([]);
    expect(await site.read("index.html")).toContain('href="/catalog/assets/style.css"');
  });
});

describe("the build report", () => {
  test("is written to the cache folder, never into the site, after success and failure", async ({
    tmp,
  }) => {
    const site = await buildSite({ tmp });
    expect(await site.files()).not.toContain("build-report.json");
    const report = JSON.parse(await readFile(join(tmp, "cache", "build-report.json"), "utf8"));
    expect(report).toMatchObject({
      ok: true,
      portal: "demo",
      datasets: 9,
      requests: 19,
      retries: 0,
      cacheHits: 0,
      listingPages: 1,
      pages: { total: 87, rendered: 87, reused: 0 },
      issues: { fallbacks: [], skipped: [], duplicates: [], offOrigin: [], unreachable: 0 },
    });
    expect(Object.keys(report.ms)).toEqual([
      "cache",
      "crawl",
      "model",
      "render",
      "write",
      "publish",
      "total",
    ]);
    expect(report.bytesDownloaded).toBeGreaterThan(10_000);

    await expect(
      buildSite({ tmp, portal: "http://127.0.0.1:9", flags: { retries: "0" } }),
    ).rejects.toThrow();
    const failed = JSON.parse(await readFile(join(tmp, "cache", "build-report.json"), "utf8"));
    expect(failed).toMatchObject({
      ok: false,
      error: "Could not fetch http://127.0.0.1:9/api/v2: the connection was refused.",
      requests: 1,
    });
  });
});

describe("build of hostile and odd input", () => {
  const hostile = `<p>Intro</p><script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">js</a><iframe src="https://evil.example"></iframe><style>body{display:none}</style><p style="color:red" onclick="alert(4)">styled</p><a href="https://ok.example/">ok</a>`;

  test("a hostile description, title and metas reach the page inert", async ({ tmp }) => {
    const dataset = makeDataset("hostile", {
      title: `<script>alert("title")</script> Budget`,
      description: hostile,
      metas: {
        publisher: `"><img src=x onerror=alert(5)>`,
        keyword: [`<svg onload=alert(6)>`],
        references: "javascript:alert(7)",
        license_url: "javascript:alert(8)",
      },
      fields: [
        {
          name: "f",
          label: "<b onmouseover=alert(9)>F</b>",
          type: "text",
          description: "<script>x()</script>ok",
          annotations: { unit: "<i>km</i>" },
        },
      ],
    });
    (dataset.metas as Record<string, unknown>).custom = {
      link: "javascript:alert(10)",
      note: `<iframe src=//evil.example></iframe>fine`,
    };
    const server = await portalServer({ portal: { datasets: [{ dataset }] } });
    const site = await buildSite({ tmp, portal: server.origin });
    const page = await site.read("datasets/hostile/index.html");
    expect(activeContent(page)).toEqual([]);
    expect(activeContent(await site.read("index.html"))).toEqual([]);
    expect(page).toContain("<h1>&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; Budget</h1>");
    expect(page).toContain(
      '<a href="https://ok.example/" rel="nofollow noopener noreferrer">ok</a>',
    );
    // An unsafe URL is shown as plain text, never as a link.
    expect(page).not.toMatch(/(href|src)="\s*javascript:/i);
    expect(page).toContain("<td>javascript:alert(7)</td>");
  });

  test("a dataset id such as ../../x stays inside the output folder", async ({ tmp }) => {
    const ids = ["../../x", "..", "/abs", "a/../../../b", "CON", "Data", "data"];
    const server = await portalServer({
      portal: { datasets: ids.map((id) => ({ dataset: makeDataset(id) })) },
    });
    const site = await buildSite({ tmp, portal: server.origin });
    expect(site.report.datasets).toBe(ids.length);
    const everything = await fg("**/*", { cwd: tmp, dot: true });
    const outside = everything.filter((f) => !f.startsWith("dist/") && !f.startsWith("cache/"));
    expect(outside).toEqual([]);
    const folders = (await readdir(join(site.outDir, "datasets"), { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders).toHaveLength(ids.length);
    expect(new Set(folders.map((f) => f.toLowerCase())).size).toBe(ids.length);
    for (const folder of folders) {
      expect(relative(site.outDir, join(site.outDir, "datasets", folder))).toMatch(
        /^datasets\/[a-z0-9][a-z0-9_-]*$/,
      );
    }
    const pages = (await site.files()).filter((f) => f.endsWith(".html"));
    expect(brokenInternalLinks(site.outDir, pages)).toEqual([]);
  });

  test("a failed build leaves the previous site exactly as it was", async ({ tmp }) => {
    const server = await portalServer({ portal: { datasets: [{ dataset: makeDataset("a") }] } });
    const first = await buildSite({ tmp, portal: server.origin });
    const before = await Promise.all(
      (await first.files()).map(async (f) => [f, await first.read(f)]),
    );
    server.setPortal({ datasets: [{ dataset: makeDataset("b") }] });
    const failing = await portalServer({
      portal: { datasets: [] },
      fault: ({ url }) => (url.includes("datasets?") ? { status: 500 } : undefined),
    });
    await expect(buildSite({ tmp, portal: failing.origin })).rejects.toThrow("answered HTTP 500");
    const after = await Promise.all(
      (await first.files()).map(async (f) => [f, await first.read(f)]),
    );
    expect(after).toEqual(before);
    const leftovers = (await readdir(tmp)).filter((f) => f.startsWith("."));
    expect(leftovers).toEqual([]);
    expect(await readFile(join(first.outDir, "datasets", "a", "index.html"), "utf8")).toContain(
      "Dataset a",
    );
  });
});
