import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type PreviewServer, startPreviewServer } from "../../src/preview/server.js";
import { type BuiltSite, buildSite } from "../support/build-site.js";
import { runAxe, useChromium } from "./support/browser.js";
import { validateHtml } from "./support/html-validate.js";

/**
 * The bundled demo site in real Chromium, served by the preview server exactly as a visitor
 * would get it. Built once for the file; every test opens pages in a fresh browser context.
 */

const chromium = useChromium();
let tmp: string;
let site: BuiltSite;
let server: PreviewServer;
/** Site paths of every dataset page (`datasets/<folder>/`). */
let datasetPages: string[];
/**
 * Site paths of one page of each kind (by first folder and depth: `catalog/`, `themes/`,
 * `themes/<value>/`, `search/`, …) and of every dataset page, home first. Redirect stubs
 * (`<meta http-equiv="refresh">`) are left out: they leave as soon as they load.
 */
let pages: string[];
/** The files behind `pages`, with the redirect stubs and 404.html: what html-validate reads. */
let htmlFiles: string[];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "ods-catalog-e2e-"));
  // The whole site as published, search index included.
  site = await buildSite({ tmp, search: true });
  server = await startPreviewServer({ root: site.outDir });
  const files = (await site.files()).filter((file) => file.endsWith(".html"));
  const datasetFiles = files.filter((file) => /^datasets\/[^/]+\/index\.html$/.test(file));
  const kinds = new Map<string, string>();
  for (const file of files) {
    const parts = file.split("/");
    const kind = `${parts[0]}/${parts.length}`;
    if (!kinds.has(kind)) kinds.set(kind, file);
  }
  htmlFiles = [...new Set(["index.html", ...kinds.values(), ...datasetFiles])];
  const stubs = new Set<string>();
  for (const file of htmlFiles) {
    if (/<meta http-equiv="refresh"/i.test(await site.read(file))) stubs.add(file);
  }
  pages = htmlFiles
    .filter((file) => file !== "404.html" && !stubs.has(file))
    .map((file) => file.replace(/index\.html$/, ""));
  datasetPages = datasetFiles.map((file) => file.replace(/index\.html$/, ""));
});

afterAll(async () => {
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** The links of the home page's main content that lead to dataset pages, in order. */
async function datasetLinks(page: Page): Promise<string[]> {
  const hrefs: string[] = [];
  for (const link of await page.locator('main a[href*="/datasets/"]').all()) {
    hrefs.push((await link.getAttribute("href")) ?? "");
  }
  return [...new Set(hrefs)];
}

describe("home page", () => {
  test("lists the 9 datasets of the demo portal", async () => {
    const { page, response } = await chromium.openPage(server.url());
    expect(response?.status()).toBe(200);
    expect(await datasetLinks(page)).toHaveLength(9);
    expect(datasetPages).toHaveLength(9);
  });

  test("opens a dataset's page when its link is clicked", async () => {
    const { page, assertClean } = await chromium.openPage(server.url());
    // Loaded to the icon first, as in the search tests: leaving earlier aborts its request.
    await page.waitForLoadState("networkidle");
    const link = page.locator('main a[href*="/datasets/"]').first();
    const href = (await link.getAttribute("href")) ?? "";
    await Promise.all([page.waitForURL(new URL(href, server.origin).href), link.click()]);
    const h1 = page.locator("h1");
    expect(await h1.count()).toBe(1);
    expect((await h1.textContent())?.trim()).toBeTruthy();
    await assertClean();
  });

  test("Tab from the top focuses the skip link first, and Enter moves focus to main", async () => {
    const { page } = await chromium.openPage(server.url());
    await page.keyboard.press("Tab");
    expect(await focusedElement(page)).toMatch(/^<a [^>]*href="#main"/);
    // Shown when focused: inside the viewport, not parked off-screen.
    const box = await page.locator(":focus").boundingBox();
    expect(box, "skip link box").not.toBeNull();
    expect(
      box && box.x >= 0 && box.y >= 0 && box.width > 1 && box.height > 1,
      "skip link shown",
    ).toBe(true);
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.hash === "#main");
    // main is not focusable itself (no tabindex), so focus leaves the link and the focus
    // navigation starting point moves to main: the next Tab lands inside main, past the header.
    await page.keyboard.press("Tab");
    const next = await focusedElement(page);
    expect(await page.locator("main :focus").count(), `focused after Enter, Tab: ${next}`).toBe(1);
  });

  test("loads with no console error and no failed request", async () => {
    const { assertClean } = await chromium.openPage(server.url());
    await assertClean();
  });
});

describe("every kind of page", () => {
  test("loads with no console error and no failed request", async () => {
    for (const path of pages) {
      const { assertClean } = await chromium.openPage(server.url(path));
      await assertClean();
    }
  });
});

describe("unknown paths", () => {
  test("get the site's 404 page with status 404", async () => {
    const url = server.url("datasets/no-such-dataset/");
    const { page, response, assertClean } = await chromium.openPage(url, { status: 404 });
    expect(response?.status()).toBe(404);
    expect(await page.locator("h1").count()).toBe(1);
    expect(await response?.text()).toBe(await site.read("404.html"));
    await assertClean();
  });
});

describe("accessibility (axe-core, WCAG 2.2 AA)", () => {
  test("finds no violation on the home page", async () => {
    const { page } = await chromium.openPage(server.url());
    expect(await runAxe(page)).toEqual([]);
  });

  test("finds no violation on any kind of page, nor on any dataset page", async () => {
    const violations: string[] = [];
    for (const path of pages) {
      const { page } = await chromium.openPage(server.url(path));
      violations.push(...(await runAxe(page)).map((v) => `/${path}: ${v}`));
    }
    expect(violations).toEqual([]);
  });

  test("finds no violation in the dark theme either", async () => {
    const violations: string[] = [];
    for (const path of pages) {
      const { page } = await chromium.openPage(server.url(path), {
        context: { colorScheme: "dark" },
      });
      violations.push(...(await runAxe(page)).map((v) => `/${path}: ${v}`));
    }
    expect(violations).toEqual([]);
  });

  test("finds no violation on the 404 page", async () => {
    const { page } = await chromium.openPage(server.url("nope/"), { status: 404 });
    expect(await runAxe(page)).toEqual([]);
  });
});

describe("small screens", () => {
  test("a 320 px wide viewport scrolls no page sideways", async () => {
    const overflowing: string[] = [];
    for (const path of pages) {
      const { page } = await chromium.openPage(server.url(path), {
        context: { viewport: { width: 320, height: 640 } },
      });
      const width = await page.evaluate<number>("document.documentElement.scrollWidth");
      if (width > 320) overflowing.push(`/${path}: ${width} px`);
    }
    expect(overflowing).toEqual([]);
  });
});

describe("html-validate (recommended rules)", () => {
  // Real findings in the templates fail these tests by design, each named by page, line,
  // column and rule. Fix the template rather than turning the rule off.
  test("passes on the home page", async () => {
    expect(await validateHtml(await site.read("index.html"), "index.html")).toEqual([]);
  });

  test("passes on every dataset page", async () => {
    const findings: string[] = [];
    for (const path of datasetPages) {
      const file = `${path}index.html`;
      findings.push(...(await validateHtml(await site.read(file), file)));
    }
    expect(findings).toEqual([]);
  });

  test("passes on one page of every other kind", async () => {
    const findings: string[] = [];
    const others = htmlFiles.filter(
      (file) => !["index.html", "404.html"].includes(file) && !/^datasets\/[^/]+\//.test(file),
    );
    expect(others.length).toBeGreaterThan(0);
    for (const file of others) {
      findings.push(...(await validateHtml(await site.read(file), file)));
    }
    expect(findings).toEqual([]);
  });

  test("passes on the 404 page", async () => {
    expect(await validateHtml(await site.read("404.html"), "404.html")).toEqual([]);
  });
});

/** The focused element's start tag, for assertions and failure messages. */
function focusedElement(page: Page): Promise<string> {
  return page.evaluate<string>(
    "document.activeElement ? document.activeElement.outerHTML.replace(/>[\\s\\S]*/, '>') : 'nothing'",
  );
}
