import { openStore } from "./cache/store.js";
import type { Config } from "./config.js";
import { type CrawlEntry, type CrawlIssues, crawl } from "./crawl/crawl.js";
import { createHttp, type Http } from "./crawl/http.js";
import { mapLimit } from "./crawl/limit.js";
import { ApiShapeError, CacheError, messageOf } from "./errors.js";
import type { Log } from "./log.js";
import { type DatasetSummary, summarize, toDataset } from "./model/dataset.js";
import { parseDatasetBody } from "./model/parse.js";
import { DEMO_PUBLIC_ORIGIN, loadDemoPortal } from "./portal-server/demo.js";
import { type PortalServer, startPortalServer } from "./portal-server/server.js";
import { createEngine, type Engine } from "./render/engine.js";
import { isLang, type Lang } from "./render/i18n.js";
import { renderDatasetPage, renderHomePage, renderNotFoundPage } from "./render/pages.js";
import { createSite, type SiteContext } from "./render/site.js";
import { USER_AGENT, VERSION } from "./version.js";
import { BUILTIN_PUBLIC, copyAssets } from "./write/assets.js";
import { type Output, openOutput } from "./write/output.js";

/**
 * The pipeline: crawl the portal into the store, then model, render and write one dataset
 * at a time into a staging folder, then the pages that list them, then swap the staging
 * folder in. Any failure before the swap leaves the published site untouched.
 */

export interface BuildReport {
  portal: string;
  outDir: string;
  datasets: number;
  pages: number;
  files: number;
  /** HTTP attempts, retries included. */
  requests: number;
  retries: number;
  bytesDownloaded: number;
  bytesWritten: number;
  /** Wall time per phase and in total, in milliseconds. */
  ms: { crawl: number; model: number; render: number; write: number; total: number };
  issues: CrawlIssues;
}

export interface BuildDeps {
  log: Log;
  cwd?: string;
  /** Progress of the crawl, for the terminal. */
  onProgress?: (progress: { done: number; total: number | undefined }) => void;
  onRetry?: (event: { url: string; attempt: number; reason: string; delayMs: number }) => void;
}

export async function build(config: Config, deps: BuildDeps): Promise<BuildReport> {
  const started = performance.now();
  const { log } = deps;
  // Check the output folder first: a bad --out should fail before any request is made.
  const output = await openOutput({
    outDir: config.outDir,
    ...(deps.cwd ? { cwd: deps.cwd } : {}),
  });
  let demo: PortalServer | undefined;
  let http: Http | undefined;
  try {
    let apiRoot = config.portal;
    let publicPortal = config.publicPortal;
    if (apiRoot === undefined) {
      demo = await startPortalServer({ portal: loadDemoPortal() });
      apiRoot = demo.apiRoot;
      publicPortal ??= DEMO_PUBLIC_ORIGIN;
      log.info(`No --portal given: building the bundled demo portal (served on ${demo.origin}).`);
    }
    const crawlOrigin = new URL(apiRoot).origin;
    const publicOrigin = publicPortal ?? crawlOrigin;
    http = createHttp({
      origin: crawlOrigin,
      userAgent: USER_AGENT,
      concurrency: config.concurrency,
      requestsPerSecond: config.requestsPerSecond,
      apiKey: config.apiKey,
      retry: {
        retries: config.retries,
        baseDelayMs: config.retryDelayMs,
        maxDelayMs: 30_000,
        maxWaitMs: 120_000,
      },
      ...(deps.onRetry ? { onRetry: deps.onRetry } : {}),
    });
    const store = openStore(config.cacheDir);

    log.info(`Crawling ${apiRoot} …`);
    const crawlStarted = performance.now();
    const crawled = await crawl({
      http,
      apiRoot,
      pageSize: 100,
      store,
      log,
      ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    });
    const crawlMs = performance.now() - crawlStarted;

    const lang = config.lang ?? portalLanguage(crawled.entries);
    const site = createSite({
      title: config.title,
      lang,
      timeZone: config.timeZone,
      basePath: config.basePath,
      portalOrigin: publicOrigin,
    });
    const engine = createEngine({ userTemplates: config.templates });
    const publicUrl = (url: string) => swapOrigin(url, crawlOrigin, publicOrigin);

    const writeStarted = performance.now();
    const timing = { model: 0, render: 0 };
    const summaries = await renderDatasets(crawled.entries, {
      store,
      site,
      engine,
      output,
      publicUrl,
      timing,
      log,
      issues: crawled.issues,
    });
    const listed = sortForListing(summaries, site);
    const timed = (file: () => ReturnType<typeof renderHomePage>) => {
      const t = performance.now();
      const result = file();
      timing.render += performance.now() - t;
      return result;
    };
    await output.write(timed(() => renderHomePage(listed, site, engine)));
    await output.write(timed(() => renderNotFoundPage(site, engine)));
    const pages = output.stats.files;
    await copyAssets({ publicDir: BUILTIN_PUBLIC, output });
    await output.commit();
    const writeMs = performance.now() - writeStarted - timing.model - timing.render;

    return {
      portal: apiRoot === demo?.apiRoot ? "demo" : apiRoot,
      outDir: output.outDir,
      datasets: summaries.length,
      pages,
      files: output.stats.files + 1,
      requests: http.stats.requests,
      retries: http.stats.retries,
      bytesDownloaded: http.stats.bytes,
      bytesWritten: output.stats.bytes,
      ms: {
        crawl: crawlMs,
        model: timing.model,
        render: timing.render,
        write: writeMs,
        total: performance.now() - started,
      },
      issues: crawled.issues,
    };
  } catch (error) {
    await output.abort();
    throw error;
  } finally {
    await http?.close();
    await demo?.close();
  }
}

// --- internal ---

interface RenderContext {
  store: ReturnType<typeof openStore>;
  site: SiteContext;
  engine: Engine;
  output: Output;
  publicUrl: (url: string) => string;
  timing: { model: number; render: number };
  log: Log;
  issues: CrawlIssues;
}

/** Models, renders and writes each dataset page, a few at a time so writes overlap. */
async function renderDatasets(
  entries: CrawlEntry[],
  context: RenderContext,
): Promise<DatasetSummary[]> {
  const { store, site, engine, output, timing } = context;
  const results = await mapLimit(entries, 16, async (entry) => {
    const doc = await store.get(entry.doc);
    let t = performance.now();
    let dataset: ReturnType<typeof toDataset>;
    try {
      const body = parseDatasetBody(doc, entry.url);
      dataset = toDataset(body, { url: entry.url, publicUrl: context.publicUrl, lang: site.lang });
    } catch (error) {
      if (!(error instanceof ApiShapeError || error instanceof CacheError)) throw error;
      context.issues.skipped.push({ id: entry.id, reason: messageOf(error) });
      context.log.warn(`Dataset ${entry.id} left out: ${messageOf(error)}`);
      return undefined;
    }
    timing.model += performance.now() - t;
    t = performance.now();
    const file = renderDatasetPage(dataset, site, engine);
    timing.render += performance.now() - t;
    await output.write(file);
    return summarize(dataset);
  });
  return results.filter((summary): summary is DatasetSummary => summary !== undefined);
}

/** Titles in the site language's alphabetical order; ids break ties so order is total. */
function sortForListing(summaries: DatasetSummary[], site: SiteContext): DatasetSummary[] {
  const collator = new Intl.Collator(site.t.locale, { sensitivity: "base", numeric: true });
  return [...summaries].sort(
    (a, b) => collator.compare(a.title, b.title) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The language most datasets declare, when the interface speaks it; English otherwise. */
function portalLanguage(entries: CrawlEntry[]): Lang {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const lang = entry.language?.slice(0, 2);
    if (lang) counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const top = ranked[0]?.[0];
  return top !== undefined && isLang(top) ? top : "en";
}

function swapOrigin(url: string, from: string, to: string): string {
  return from !== to && url.startsWith(`${from}/`) ? to + url.slice(from.length) : url;
}

export { VERSION };
