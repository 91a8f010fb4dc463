import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import type { Browser, Page, Request } from "playwright-core";
import type { PreviewServer } from "../src/preview/server.js";
import { CHROMIUM_PATH, launchChromium, named } from "../test/support/chromium.js";
import { loadPreview } from "./lib.js";
import type { Bytes, QueryDownload, SearchDownloads } from "./results.js";

/**
 * What one search query downloads, as a visitor's browser does it: the cold site served by the
 * project's preview server, each query's search page opened in a fresh Chromium context (empty
 * cache), and every response body the page loaded summed once the results are shown and the
 * network is quiet. Nothing here knows the index's file layout: whatever the page fetches counts,
 * split only by where it lies (under `search-index/` or not).
 */

/**
 * A word in a third of the descriptions, a word in 2% of the titles, a word with a filter, and
 * a filter alone; words and filter labels from bench/vocabulary.ts (the site speaks French, the
 * language most synthetic datasets declare). The result counts in the report show how common
 * each one really is. Parameters as public/assets/search.js writes them in the URL.
 */
const QUERIES: ReadonlyArray<readonly [name: string, params: Record<string, string>]> = [
  ["common word", { q: "données" }],
  ["rare word", { q: "Lauréats" }],
  ["word + filter", { q: "données", theme: "Environnement" }],
  ["filter only", { publisher: "INSEE" }],
];

/** The search shows `.search-results .count` with its results, also when there are none. */
const COUNT = ".search-results .count";
const TIMEOUT_MS = 30_000;
/** The network counts as idle after this long without a request in flight. */
const QUIET_MS = 500;
const LARGEST = 4;
/** Types a static host compresses (Pagefind's files, in older commits, were gzip already). */
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|wasm|xml|manifest\+json)|image\/svg)/;

export async function measureSearchDownloads(siteDir: string): Promise<SearchDownloads> {
  if (!existsSync(CHROMIUM_PATH)) {
    return { status: "skipped", reason: `no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH)` };
  }
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    return { status: "skipped", reason: messageOf(error) };
  }
  let server: PreviewServer | undefined;
  try {
    // The builds' --site-url (https://catalog.example.org/) puts the site at the root.
    server = await (await loadPreview()).startPreviewServer({ root: siteDir });
    const queries: QueryDownload[] = [];
    for (const [name, params] of QUERIES) {
      const path = `search/?${new URLSearchParams(params)}`;
      queries.push({ name, path, ...(await openSearch(browser, server.url(path))) });
    }
    return { status: "measured", queries };
  } catch (error) {
    return { status: "failed", reason: messageOf(error) };
  } finally {
    await browser.close();
    await server?.close();
  }
}

async function openSearch(
  browser: Browser,
  url: string,
): Promise<Omit<QueryDownload, "name" | "path">> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const network = watchNetwork(page);
    const count = await page
      .goto(url, { waitUntil: "load", timeout: TIMEOUT_MS })
      .then(() => page.locator(COUNT).textContent({ timeout: TIMEOUT_MS }))
      .catch((error: unknown) => {
        throw named(error, `${url} showed no ${COUNT} within ${TIMEOUT_MS / 1000} s`);
      });
    await network.idle();
    if (network.failed.length > 0) {
      throw new Error(`${url}: requests failed: ${network.failed.join(", ")}`);
    }
    // Only what came over HTTP: a `data:` URL costs no download.
    const fetched = network.finished.filter((r) => r.url().startsWith("http"));
    const files = await Promise.all(fetched.map(fileOf));
    const sum = (list: typeof files) =>
      list.reduce((s, f) => ({ raw: s.raw + f.raw, gzip: s.gzip + f.gzip }), { raw: 0, gzip: 0 });
    // The index's folder (`pagefind/` in commits before 2026-12-02).
    const inSearch = (f: (typeof files)[number]) => /^\/(search-index|pagefind)\//.test(f.path);
    return {
      results: Number((count ?? "").replace(/\D/g, "")),
      requests: files.length,
      page: sum(files.filter((f) => !inSearch(f))),
      search: sum(files.filter(inSearch)),
      total: sum(files),
      largest: files.sort((a, b) => b.raw - a.raw).slice(0, LARGEST),
    };
  } finally {
    await context.close();
  }
}

/** Requests finished and failed, and a wait until none is in flight for QUIET_MS. */
function watchNetwork(page: Page) {
  const finished: Request[] = [];
  const failed: string[] = [];
  let inFlight = 0;
  let lastChange = Date.now();
  const settle = () => {
    inFlight--;
    lastChange = Date.now();
  };
  page.on("request", () => {
    inFlight++;
    lastChange = Date.now();
  });
  page.on("requestfinished", (request) => {
    finished.push(request);
    settle();
  });
  page.on("requestfailed", (request) => {
    failed.push(`${request.url()} (${request.failure()?.errorText})`);
    settle();
  });
  return {
    finished,
    failed,
    async idle() {
      const deadline = Date.now() + TIMEOUT_MS;
      while (inFlight > 0 || Date.now() - lastChange < QUIET_MS) {
        if (Date.now() > deadline) throw new Error(`${page.url()}: the network never went idle`);
        await sleep(50);
      }
    },
  };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function fileOf(request: Request): Promise<Bytes & { path: string }> {
  const response = await request.response();
  // A redirect has no body to read (Playwright refuses): its few bytes are headers.
  const redirect = response !== null && response.status() >= 300 && response.status() < 400;
  const body = response && !redirect ? await response.body() : Buffer.alloc(0);
  const type = response?.headers()["content-type"] ?? "";
  return {
    path: new URL(request.url()).pathname,
    raw: body.length,
    gzip: COMPRESSIBLE.test(type) ? gzipSync(body, { level: 6 }).length : body.length,
  };
}
