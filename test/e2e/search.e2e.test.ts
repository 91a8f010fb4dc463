import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type PreviewServer, startPreviewServer } from "../../src/preview/server.js";
import { buildSite } from "../support/build-site.js";
import { runAxe, useChromium } from "./support/browser.js";

/**
 * Browsing and searching the demo site as a visitor does, in Chromium: from home to a facet
 * to a dataset, and the search with its filters, under the site's own CSP and under a base
 * path, with no console error and no failed request.
 */

const chromium = useChromium();
let tmp: string;
let server: PreviewServer;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "ods-catalog-search-"));
  // Served under a sub-path, as on GitHub Pages: every link and the index must follow it.
  const site = await buildSite({ tmp, search: true, flags: { "base-path": "/opendata/" } });
  server = await startPreviewServer({ root: site.outDir, basePath: "/opendata/" });
});

afterAll(async () => {
  await server?.close();
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
  test("finds datasets by a word of their description, from the header's search box", async () => {
    const { page, assertClean } = await chromium.openPage(server.url());
    // The home page finishes loading (its icon comes after the load event) before the search
    // leaves it, or the icon's request is aborted and counted as a failed one.
    await page.waitForLoadState("networkidle");
    await page.locator("#site-q").fill("FANTOIR");
    await page.locator("#site-q").press("Enter");
    await page.waitForURL(/\/opendata\/search\/\?q=FANTOIR$/);
    // The dataset named for the word ranks above the one whose description has it.
    expect(await resultTitles(page)).toEqual([
      "Fichier FANTOIR des voies et lieux-dits",
      "Fichier des entités topographiques - février 2024",
    ]);
    // The text shown of the one whose description has it marks the word.
    const second = page.locator(".search-results ol.results li").nth(1);
    expect(await second.locator("p mark").first().textContent()).toMatch(/^fantoir$/i);
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
