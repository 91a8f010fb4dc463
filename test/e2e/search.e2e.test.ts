import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type PreviewServer, startPreviewServer } from "../../src/preview/server.js";
import { VOCABULARY_FILTER } from "../../src/search/index.js";
import { buildSite } from "../support/build-site.js";
import { runAxe, useChromium } from "./support/browser.js";

/**
 * Browsing and searching the demo site as a visitor does, in Chromium: from home to a facet
 * to a dataset, and the Pagefind search with its filters, under the site's own CSP and under a
 * base path, with no console error and no failed request.
 */

const chromium = useChromium();
let tmp: string;
let server: PreviewServer;
let parts: string[];
let words: string[];
/** The same site with its index in one part, to compare with. */
let whole: PreviewServer;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "ods-catalog-search-"));
  // Served under a sub-path, as on GitHub Pages: every link and the index must follow it.
  // A tiny memory budget splits the index into parts, as a large catalog's would be, so
  // every search below runs over parts merged in the browser.
  const site = await buildSite({
    tmp,
    search: true,
    flags: { "base-path": "/opendata/", "search-memory": "0.2" },
  });
  parts = JSON.parse(await site.read("pagefind/parts.json"));
  server = await startPreviewServer({ root: site.outDir, basePath: "/opendata/" });
  const catalog = JSON.parse(await site.read("catalog.json")) as {
    datasets: { title: string; description: string }[];
  };
  words = [
    ...new Set(
      catalog.datasets.flatMap((d) => `${d.title} ${d.description}`.toLowerCase().split(/\P{L}+/u)),
    ),
  ].filter((w) => w.length >= 3);
  const single = await buildSite({
    tmp: join(tmp, "whole"),
    search: true,
    flags: { "base-path": "/opendata/" },
  });
  whole = await startPreviewServer({ root: single.outDir, basePath: "/opendata/" });
});

afterAll(async () => {
  await server?.close();
  await whole?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** The titles of the search results shown. */
async function resultTitles(page: Page): Promise<string[]> {
  await page.locator(".search-results .count").waitFor();
  return (await page.locator(".search-results ol.results h2").allTextContents()).map((t) =>
    t.trim(),
  );
}

describe("browsing", () => {
  test("home → a theme → a dataset, by clicking links", async () => {
    const { page, assertClean } = await chromium.openPage(server.url());
    // Each page finishes loading (icon, stylesheet) before the next click, as a person's would.
    await page.waitForLoadState("networkidle");
    await page.locator("main").getByRole("link", { name: "Thèmes" }).first().click();
    await page.waitForURL(/\/opendata\/themes\/$/);
    await page.waitForLoadState("networkidle");
    await page.locator("main ul.facet-values a").first().click();
    await page.waitForURL(/\/opendata\/themes\/[^/]+\/$/);
    expect(await page.locator("h1").textContent()).toMatch(/^Thème\u00a0: /);
    await page.waitForLoadState("networkidle");
    const first = page.locator("main ol.datasets h2 a").first();
    const title = (await first.textContent())?.trim();
    await first.click();
    await page.waitForURL(/\/opendata\/datasets\/[^/]+\/$/);
    expect((await page.locator("h1").textContent())?.trim()).toBe(title);
    await assertClean();
  });
});

describe("search", () => {
  test("runs over an index built in parts", () => {
    expect(parts).toEqual(["part-2", "part-3"]);
  });

  test("an index in parts finds what the index in one part finds, for every word", async () => {
    /** Each word's results, as Pagefind gives them to the search script. */
    const resultsOf = async (site: PreviewServer): Promise<Record<string, string[]>> => {
      // The home page: the search page's own script would merge the parts a second time.
      const { page } = await chromium.openPage(site.url());
      // Source text, not a function: the test runner would rewrite a function's import().
      return page.evaluate(`(async (words, exclude) => {
        const pagefind = await import("/opendata/pagefind/pagefind.js");
        await pagefind.options({ baseUrl: "/opendata/", noWorker: true });
        await pagefind.init();
        const parts = await (await fetch("/opendata/pagefind/parts.json")).json();
        for (const part of parts) await pagefind.mergeIndex("/opendata/pagefind/" + part + "/");
        const found = {};
        for (const word of words) {
          const { results } = await pagefind.search(word, { filters: { not: exclude } });
          const data = await Promise.all(results.map((r) => r.data()));
          found[word] = data.map((d) => d.url).sort();
        }
        return found;
      })(${JSON.stringify(words)}, ${JSON.stringify({ [VOCABULARY_FILTER]: "1" })})`);
    };
    expect(words.length).toBeGreaterThan(100);
    const inParts = await resultsOf(server);
    const inOne = await resultsOf(whole);
    expect(inParts).toEqual(inOne);
    // Not vacuous: most words are found, none of them in the vocabulary records.
    expect(Object.values(inOne).filter((urls) => urls.length > 0).length).toBeGreaterThan(100);
    expect(Object.values(inParts).flat()).not.toContainEqual(expect.stringContaining("vocabulary"));
  });

  test("finds datasets by a word of their description, from the header's search box", async () => {
    const { page, assertClean } = await chromium.openPage(server.url());
    await page.locator("#site-q").fill("FANTOIR");
    await page.locator("#site-q").press("Enter");
    await page.waitForURL(/\/opendata\/search\/\?q=FANTOIR$/);
    const titles = await resultTitles(page);
    expect(titles).toContain("Fichier FANTOIR des voies et lieux-dits");
    expect(titles).toContain("Fichier des entités topographiques - février 2024");
    const link = page.locator(".search-results ol.results a").first();
    expect(await link.getAttribute("href")).toMatch(/^\/opendata\/datasets\/[^/]+\/$/);
    await assertClean();
  });

  test("narrows results with a filter, and keeps the state in the URL", async () => {
    const { page, assertClean } = await chromium.openPage(server.url("search/?feature=Analyse"));
    const all = await resultTitles(page);
    expect(all).toHaveLength(7);
    // Another filter narrows the results (values within one filter would widen them).
    await page.getByRole("checkbox", { name: /^anglais/ }).check();
    await expect.poll(() => page.url()).toContain("language=anglais");
    await expect.poll(() => resultTitles(page)).toHaveLength(2);
    expect((await resultTitles(page)).sort()).toEqual([
      "Geonames - All Cities with a population > 1000",
      "World Administrative Boundaries - Countries and Territories",
    ]);
    await assertClean();
  });

  test("browses by filter alone, with no words typed", async () => {
    const { page, assertClean } = await chromium.openPage(server.url("search/?publisher=DGFIP"));
    expect((await resultTitles(page)).sort()).toEqual([
      "Fichier FANTOIR des voies et lieux-dits",
      "Fichier des entités topographiques - février 2024",
    ]);
    expect(await page.getByRole("checkbox", { name: /^DGFIP/ }).isChecked()).toBe(true);
    await assertClean();
  });

  test("a filter value from the URL that the page does not offer is shown, checked", async () => {
    const { page, assertClean } = await chromium.openPage(server.url("search/?theme=Astronomie"));
    await page.locator(".search-results .count").waitFor();
    expect(await page.locator(".search-results").textContent()).toContain("Aucun jeu de données");
    expect(await page.getByRole("checkbox", { name: "Astronomie" }).isChecked()).toBe(true);
    // Unchecking it leaves no filter, hence nothing to show, and offers no clearing.
    await page.getByRole("checkbox", { name: "Astronomie" }).uncheck();
    await expect.poll(() => page.url()).not.toContain("theme=");
    expect(await page.getByRole("button", { name: "Effacer les filtres" }).isVisible()).toBe(false);
    await assertClean();
  });

  test("the search page with results has no accessibility violation", async () => {
    const { page } = await chromium.openPage(server.url("search/?q=donn%C3%A9es"));
    await resultTitles(page);
    expect(await runAxe(page)).toEqual([]);
  });

  test("without JavaScript, explains itself and links to browsing", async () => {
    const { page } = await chromium.openPage(server.url("search/"), {
      context: { javaScriptEnabled: false },
    });
    const notice = page.locator("noscript, .notice");
    expect(await page.content()).toContain("demande JavaScript");
    expect(await page.locator('a[href="/opendata/themes/"]').count()).toBeGreaterThan(0);
    expect(notice).toBeDefined();
  });
});
