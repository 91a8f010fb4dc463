import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fg from "fast-glob";
import { Parser } from "htmlparser2";
import { describe, expect } from "vitest";
import { main } from "../src/cli.js";
import { buildSite } from "./support/build-site.js";
import { makeDataset, manyIds } from "./support/datasets.js";
import { portalServer, test } from "./support/fixtures.js";
import { brokenInternalLinks } from "./support/site-checks.js";

/** Counts of the elements every page must have exactly once, and the html lang. */
function outline(html: string) {
  const counts = { h1: 0, title: 0, main: 0 };
  let lang: string | undefined;
  const parser = new Parser({
    onopentag(name, attributes) {
      if (name in counts) counts[name as keyof typeof counts]++;
      if (name === "html") lang = attributes.lang;
    },
  });
  parser.write(html);
  parser.end();
  return { ...counts, lang };
}

describe("the catalog site", () => {
  test("paginates listings, with sort views and facet pages that link each other", async ({
    tmp,
  }) => {
    const portal = {
      datasets: manyIds(120).map((id, i) => ({
        dataset: makeDataset(id, {
          title: `Dataset ${String(119 - i).padStart(3, "0")}`,
          modified: new Date(Date.UTC(2020, 0, 1 + i)).toISOString(),
          metas: {
            records_count: i * 10,
            theme: [i % 2 ? "Transport" : "Économie"],
            publisher: i % 3 ? "City" : "Region",
          },
        }),
      })),
    };
    const server = await portalServer({ portal });
    const site = await buildSite({
      tmp,
      portal: server.origin,
      flags: { "page-size": "50", records: "0" },
    });
    const files = await site.files();
    expect(files.filter((f) => f.startsWith("catalog/"))).toEqual([
      "catalog/by-modified/index.html",
      "catalog/by-modified/page/2/index.html",
      "catalog/by-modified/page/3/index.html",
      "catalog/by-records/index.html",
      "catalog/by-records/page/2/index.html",
      "catalog/by-records/page/3/index.html",
      "catalog/index.html",
      "catalog/page/2/index.html",
      "catalog/page/3/index.html",
    ]);
    const byTitle = await site.read("catalog/index.html");
    expect(byTitle.indexOf("Dataset 000")).toBeLessThan(byTitle.indexOf("Dataset 001"));
    expect(byTitle).toContain('<a href="/catalog/page/2/" rel="next">');
    const byModified = await site.read("catalog/by-modified/index.html");
    // Most recently modified first: the last dataset (titled 000) leads, the first (119) is on page 3.
    expect(byModified.indexOf("Dataset 000")).toBeLessThan(byModified.indexOf("Dataset 001"));
    expect(byModified).not.toContain("Dataset 119");
    expect(await site.read("catalog/by-records/page/3/index.html")).toContain("Dataset 119");

    expect(files).toContain("themes/index.html");
    expect(files).toContain("themes/economie/index.html");
    expect(files).toContain("themes/transport/page/2/index.html");
    const dataset = await site.read("datasets/ds-00001/index.html");
    for (const link of [
      "/themes/transport/",
      "/publishers/city/",
      "/keywords/test/",
      "/years/2020/",
      "/languages/en/",
      "/features/analyze/",
    ]) {
      expect(dataset, link).toContain(`href="${link}"`);
    }
    const home = await site.read("index.html");
    expect(home).toContain('"@type":"DataCatalog"');
    expect(home).toContain("Latest changes");

    const pages = files.filter((f) => f.endsWith(".html"));
    expect(brokenInternalLinks(site.outDir, pages)).toEqual([]);
    for (const page of pages) {
      const shape = outline(await site.read(page));
      expect(shape, page).toEqual({ h1: 1, title: 1, main: 1, lang: "en" });
    }
  });

  test("keeps dataset pages lean: under 14 KB on average for the demo portal", async ({ tmp }) => {
    const site = await buildSite({ tmp });
    const pages = await fg("datasets/*/index.html", { cwd: site.outDir, absolute: true });
    const sizes = await Promise.all(pages.map(async (p) => (await stat(p)).size));
    const average = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(pages).toHaveLength(9);
    expect(average).toBeLessThan(14_000);
  });
});

describe("languages", () => {
  test("speaks the portal's language by default, or --lang, and uses translated metas", async ({
    tmp,
  }) => {
    const dataset = makeDataset("m", {
      title: "Qualité de l'air",
      metas: {
        title_en: "Air quality",
        description_en: "<p>Hourly measurements.</p>",
        language: "fr",
        modified: "2024-03-31T23:30:00+00:00",
      },
    });
    const server = await portalServer({ portal: { datasets: [{ dataset }] } });
    const french = await buildSite({
      tmp: join(tmp, "fr"),
      portal: server.origin,
      flags: { records: "0" },
    });
    const fr = await french.read("datasets/m/index.html");
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toContain("<h1>Qualité de l&#39;air</h1>");
    expect(fr).toContain("31 mars 2024");

    const english = await buildSite({
      tmp: join(tmp, "en"),
      portal: server.origin,
      flags: { records: "0", lang: "en", "time-zone": "Europe/Paris" },
    });
    const en = await english.read("datasets/m/index.html");
    expect(en).toContain('<html lang="en">');
    expect(en).toContain("<h1>Air quality</h1>");
    expect(en).toContain("<p>Hourly measurements.</p>");
    // 23:30 UTC on 31 March is already 1 April in Paris: dates follow the configured zone.
    expect(en).toContain("1 April 2024");
  });
});

describe("customising", () => {
  test("a templates folder shadows built-in templates; a config file sets what flags would", async ({
    tmp,
  }) => {
    const templates = join(tmp, "my-templates", "pages");
    await mkdir(templates, { recursive: true });
    await writeFile(
      join(templates, "not-found.eta"),
      `<% layout("layout") %><h1>Lost? <%= it.site.title %></h1>`,
    );
    await writeFile(
      join(tmp, "ods-catalog.config.json"),
      JSON.stringify({
        title: "Our <Open> Data",
        templates: "my-templates",
        pageSize: 10,
        siteUrl: "https://data.example.org/opendata/",
      }),
    );
    const output: string[] = [];
    const code = await main(["--quiet", "--skip-search"], {
      stdout: (t) => output.push(t),
      stderr: (t) => output.push(t),
      env: {},
      cwd: tmp,
    });
    expect(code, output.join("")).toBe(0);
    const notFound = await readFile(join(tmp, "dist", "404.html"), "utf8");
    expect(notFound).toContain("<h1>Lost? Our &lt;Open&gt; Data</h1>");
    const home = await readFile(join(tmp, "dist", "index.html"), "utf8");
    expect(home).toContain('<link rel="canonical" href="https://data.example.org/opendata/">');
    expect(home).toContain('href="/opendata/assets/style.css"');
  });
});
