import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fg from "fast-glob";
import { type BuildReport, emptyIssues, writeBuildReport } from "./build-report.js";
import {
  bufferStateOf,
  describeBuffer,
  dropSummaries,
  loadManifest,
  publishManifest,
  saveManifest,
  summaryKeysOf,
} from "./cache/manifest.js";
import { openStore, type Store } from "./cache/store.js";
import type { Config } from "./config/options.js";
import { crawl, recallable } from "./crawl/crawl.js";
import { createHttp, type Http } from "./crawl/http.js";
import { messageOf } from "./errors.js";
import { boundHeapGrowth } from "./heap.js";
import type { Log } from "./log.js";
import { createSummaryKeys, createSummarySharing, type DatasetSummary } from "./model/dataset.js";
import { DEMO_PUBLIC_ORIGIN, loadDemoPortal } from "./portal-server/demo.js";
import { type PortalServer, startPortalServer } from "./portal-server/server.js";
import type { Progress } from "./progress.js";
import { knownSummaries, summariesAtHand, writeDatasetPages } from "./render/dataset-pages.js";
import { type EarlyPages, startEarlyPages } from "./render/early-pages.js";
import { createEngine } from "./render/engine.js";
import { catalogLanguage, type Lang } from "./render/i18n.js";
import { createSummaryMaker, type PageSettings } from "./render/page-maker.js";
import type { PageSources } from "./render/page-sources.js";
import { createSite, type SiteContext } from "./render/site.js";
import { writeSitePages } from "./render/site-pages.js";
import { writeSearchIndex } from "./search/index.js";
import { codeFingerprint, USER_AGENT, VERSION } from "./version.js";
import { openOutput } from "./write/output.js";

/**
 * The pipeline: crawl the portal into the store (fetching only what changed since the last
 * build), then model, render and write one dataset at a time into a staging folder (reusing
 * unchanged pages), then the pages that list them, then swap the staging folder in and
 * record what was published in the cache's manifest. Any failure before the swap leaves the
 * published site untouched; a report is written to the cache folder either way.
 */

export type { BuildReport };

export interface BuildDeps {
  log: Log;
  cwd?: string;
  progress?: Progress;
  /** Hands the HTTP client over once it exists (for request-rate display). */
  onHttp?: (http: Http) => void;
}

export async function build(config: Config, deps: BuildDeps): Promise<BuildReport> {
  const started = performance.now();
  const { log, progress } = deps;
  const report: BuildReport = {
    tool: VERSION,
    ok: false,
    portal: config.portal ?? "demo",
    outDir: "",
    datasets: 0,
    pages: { total: 0, rendered: 0, reused: 0 },
    datasetPages: { rendered: 0, reused: 0 },
    files: 0,
    requests: 0,
    retries: 0,
    listingPages: 0,
    listingPagesKnown: 0,
    cacheHits: 0,
    bytesDownloaded: 0,
    bytesWritten: 0,
    ms: { crawl: 0, model: 0, render: 0, write: 0, total: 0 },
    issues: emptyIssues(),
  };
  // Check the output folder first: a bad --out should fail before any request is made.
  const output = await openOutput({
    outDir: config.outDir,
    ...(deps.cwd ? { cwd: deps.cwd } : {}),
  });
  report.outDir = output.outDir;
  let demo: PortalServer | undefined;
  let http: Http | undefined;
  let store: Store | undefined;
  let early: EarlyPages | undefined;
  try {
    let apiRoot = config.portal;
    let publicPortal = config.publicPortal;
    if (apiRoot === undefined) {
      demo = await startPortalServer({ portal: loadDemoPortal() });
      apiRoot = demo.apiRoot;
      publicPortal ??= DEMO_PUBLIC_ORIGIN;
      log.info(`No --portal given: building the bundled demo portal (served on ${demo.origin}).`);
    }
    // The demo's port changes on every run; its cache is keyed on what it stands for.
    const cacheKey = demo ? `demo:${DEMO_PUBLIC_ORIGIN}` : apiRoot;
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
      timeouts: {
        connectMs: Math.min(config.timeoutMs, 10_000),
        headersMs: config.timeoutMs,
        bodyMs: config.timeoutMs,
      },
      onRetry: (event) => {
        progress?.retry();
        log.debug(
          `Retrying ${event.url} in ${event.delayMs} ms (attempt ${event.attempt + 1}): ${event.reason}.`,
        );
      },
    });
    deps.onHttp?.(http);
    store = openStore(config.cacheDir);
    let t = performance.now();
    const previous = await loadManifest(config.cacheDir, {
      portal: cacheKey,
      log,
      liveId: output.liveId,
    });
    const buffer = bufferStateOf(previous, output.bufferId);
    report.ms.cache = performance.now() - t;

    log.info(
      `Crawling ${demo ? "the demo portal" : apiRoot}${previous ? " (incremental: only what changed is fetched)" : ""} …`,
    );
    progress?.phase("Crawling", undefined, { requests: true });
    const fingerprint = await codeFingerprint();
    const settingsFor = (lang: Lang): PageSettings => ({
      site: {
        title: config.title,
        lang,
        timeZone: config.timeZone,
        siteUrl: new URL(config.basePath, config.siteUrl).href,
        portalOrigin: publicOrigin,
      },
      templates: config.templates,
      crawlOrigin,
      publicOrigin,
      modelKey: modelKeyOf(fingerprint, { lang, crawlOrigin, publicOrigin }),
    });
    const share = createSummarySharing();
    early = startEarlyPages({
      settingsFor,
      share,
      lang: config.lang,
      cacheDir: config.cacheDir,
      stagingDir: output.stagingDir,
      fresh: output.fresh,
    });
    const crawlStarted = performance.now();
    const crawled = await crawl({
      http,
      apiRoot,
      pageSize: 100,
      store,
      log: withProgressClear(log, progress),
      previous: demo ? rebase(previous, demo.apiRoot) : previous,
      records: config.records,
      concurrency: config.concurrency,
      quotaReserve: config.quotaReserve,
      onProgress: ({ done, total }) => progress?.update(done, total),
      onSettled: (entry) => early?.add(entry),
    });
    report.ms.crawl = performance.now() - crawlStarted;
    boundHeapGrowth();
    report.issues = crawled.issues;
    report.cacheHits = crawled.cacheHits;
    report.listingPages = crawled.listingPages;
    report.listingPagesKnown = crawled.knownPages;

    const settings = settingsFor(
      config.lang ?? catalogLanguage(crawled.entries.map((entry) => entry.language)),
    );
    const site = createSite(settings.site);
    const engine = createEngine({ userTemplates: settings.templates });
    const renderKey = await renderKeyOf(engine.templateDirs, {
      site,
      publicOrigin,
      records: config.records,
      pageSize: config.pageSize,
      timeZone: config.timeZone,
    });
    const summaryKey = await summaryKeyOf({ lang: site.lang, publicOrigin });
    const known = previous?.summaryKey === summaryKey ? previous : undefined;
    if (previous && !known) dropSummaries(previous);
    // The published site's pages can be linked only if the manifest describes that very site.
    const live =
      previous && previous.buildId === output.liveId && previous.outDir === output.outDir
        ? previous
        : undefined;
    const pageSources: PageSources = {
      renderKey,
      live: live?.renderKey === renderKey ? live : undefined,
      buffer: buffer?.renderKey === renderKey ? buffer : undefined,
    };

    const writeStarted = performance.now();
    const timing = { model: 0, render: 0 };
    progress?.phase("Rendering", crawled.entries.length);
    const earlyResult = await early.finish(settings);
    const keyOf = createSummaryKeys(summaryKeysOf(known));
    const sitePagesOf = (datasets: DatasetSummary[]) =>
      writeSitePages({
        datasets,
        site,
        engine,
        output,
        pageSize: config.pageSize,
        renderKey,
        keyOf,
        sources: pageSources,
        timing,
      });
    // With every summary known (new settings or templates, the same documents) or at hand
    // (most brought back by pages made during the crawl), the listing pages need nothing the
    // dataset pages make: this thread makes them meanwhile, while the workers make the dataset
    // pages, instead of after them with the workers idle.
    const knownListing =
      knownSummaries(crawled.entries, known) ??
      (await summariesAtHand(crawled.entries, {
        early: earlyResult,
        known,
        store,
        summaryOf: createSummaryMaker(settings, site),
        share,
      }));
    const listedEarly = knownListing && sortForListing(knownListing, site);
    const alongside = listedEarly && sitePagesOf(listedEarly);
    // Awaited below; until then, a failure of the dataset pages must not leave it unhandled.
    alongside?.catch(() => undefined);
    const pages = await writeDatasetPages(crawled.entries, {
      early: earlyResult,
      store,
      cacheDir: config.cacheDir,
      output,
      settings,
      site,
      engine,
      sources: pageSources,
      summaries: known,
      keyOf,
      share,
      http,
      log: withProgressClear(log, progress),
      issues: crawled.issues,
      timing,
      onProgress: (done) => progress?.update(done, crawled.entries.length),
    }).catch(async (error: unknown) => {
      await alongside?.catch(() => undefined);
      throw error;
    });
    progress?.clear();
    const differ = listedEarly ? differentSummaries(listedEarly, pages.summaries) : 0;
    // Sorting 40,000 titles takes a while: the listing made early is the same when none differ.
    const listed =
      listedEarly && differ === 0 ? listedEarly : sortForListing(pages.summaries, site);
    const sitePages = (await alongside) ?? (await sitePagesOf(listed));
    if (listedEarly) {
      log.debug("Listing pages made alongside the dataset pages: every summary was at hand.");
      // Only a damaged cached document, fetched again and changed, or left out, can do this.
      if (differ > 0)
        log.warn(
          `${differ} of the listed datasets changed while their pages were made (a damaged cached document, fetched again or left out): the listing pages show them as the last build did, until the next build.`,
        );
    }
    const rendered = pages.rendered + sitePages.rendered;
    const reusedPages = pages.reused + sitePages.reused;
    report.pages = { total: rendered + reusedPages, rendered, reused: reusedPages };
    report.datasetPages = {
      rendered: pages.rendered,
      reused: pages.reused,
      workers: pages.workers,
      fromModels: pages.fromModels,
      early: earlyResult.counts,
      listingAlongside: Boolean(listedEarly),
    };
    report.ms.model = timing.model;
    report.ms.render = timing.render;
    report.ms.write = performance.now() - writeStarted - timing.model - timing.render;

    let searchKey: string | undefined;
    if (config.search) {
      const searchStarted = performance.now();
      log.info("Indexing for search …");
      const search = await writeSearchIndex({
        datasets: listed,
        site,
        output,
        bufferKey: buffer?.searchKey,
        liveKey: live?.searchKey,
        keyOf,
        timeZone: config.timeZone,
      });
      searchKey = search.key;
      log.debug(
        search.reused
          ? "The search index is unchanged: reused."
          : `Search index written: ${search.files} files.`,
      );
      report.ms.search = performance.now() - searchStarted;
    }
    t = performance.now();
    const files = output.stats.files + 1; // the marker too
    if (output.isPublished(live?.files)) {
      // Nothing changed: the published site is the new one, and its manifest still holds (so
      // none is made: at 40,000 datasets that is a few hundred milliseconds of this thread).
      await output.keepPublished();
      log.info("Nothing changed since the last build: the published site stays as it is.");
    } else {
      const keyed = Object.fromEntries(
        Object.entries(pages.entries).map(([id, e]) => [
          id,
          { ...e, summaryHash: e.summary && keyOf(e.summary) },
        ]),
      );
      const datasets = demo ? rebaseEntries(keyed, demo.apiRoot, DEMO_API) : keyed;
      const manifest = {
        portal: cacheKey,
        outDir: output.outDir,
        renderKey,
        summaryKey,
        recordsSample: config.records,
        pages: sitePages.keys,
        listing: recallable(crawled.listing, datasets),
        searchKey,
        // The published site becomes the next build's buffer: record how it differs.
        ...describeBuffer(
          { datasets, pages: sitePages.keys },
          live && output.liveId ? { manifest: live, buildId: output.liveId } : undefined,
        ),
      };
      // The manifest is written first, as pending, naming the folder it describes: whatever
      // happens next, a manifest is trusted only for the folder it names.
      await saveManifest(config.cacheDir, { buildId: output.stagingId, files, ...manifest });
      await output.commit();
      await publishManifest(config.cacheDir);
    }
    // The store keeps what the published site uses, and nothing a failed build left.
    const keep = new Set<string>();
    for (const entry of Object.values(pages.entries)) {
      keep.add(entry.doc);
      if (entry.model) keep.add(entry.model);
    }
    const pruned = await store.prune(keep);
    if (pruned > 0) log.debug(`Removed ${pruned} documents no longer used from the cache.`);
    report.ms.publish = performance.now() - t;
    Object.assign(report.pages, {
      kept: output.stats.kept,
      linked: output.stats.reused,
      removed: output.stats.removed,
    });

    Object.assign(report, {
      ok: true,
      datasets: pages.summaries.length,
      files,
      bytesWritten: output.stats.bytes,
    });
    return report;
  } catch (error) {
    progress?.clear();
    report.error = messageOf(error);
    // Page workers may still be writing into the folder about to be removed: stop them first.
    await early?.close();
    await output.abort();
    throw error;
  } finally {
    // Page workers are closed by now: by the render phase, or above when the build failed.
    await store?.close();
    if (http) {
      report.requests = http.stats.requests;
      report.retries = http.stats.retries;
      report.bytesDownloaded = http.stats.bytes;
      await http.close();
    }
    await demo?.close();
    report.ms.total = performance.now() - started;
    await writeBuildReport(config.cacheDir, report).catch((error: unknown) =>
      log.warn(`Could not write the build report: ${messageOf(error)}`),
    );
  }
}

// --- internal ---

/** A stable stand-in for the demo server's changing origin in the cached manifest. */
const DEMO_API = "http://demo.invalid/api/v2";

/**
 * Everything a page's bytes depend on besides its own data: the tool's code, every template
 * file in use, and the site settings. Pages are reused only when it matches.
 */
async function renderKeyOf(
  templateDirs: string[],
  settings: {
    site: SiteContext;
    publicOrigin: string;
    records: number;
    pageSize: number;
    timeZone: string;
  },
) {
  const hash = createHash("sha256").update(await codeFingerprint());
  for (const dir of templateDirs) {
    for (const file of (await fg("**/*.eta", { cwd: dir })).sort()) {
      hash.update(`\0${file}\0`).update(await readFile(join(dir, file)));
    }
  }
  const { site } = settings;
  hash.update(
    JSON.stringify([
      site.title,
      site.lang,
      site.siteUrl,
      settings.timeZone,
      settings.publicOrigin,
      settings.records,
      settings.pageSize,
    ]),
  );
  return hash.digest("hex");
}

function withProgressClear(log: Log, progress: Progress | undefined): Log {
  if (!progress) return log;
  return {
    info: (m) => {
      progress.clear();
      log.info(m);
    },
    warn: (m) => {
      progress.clear();
      log.warn(m);
    },
    debug: (m) => {
      progress.clear();
      log.debug(m);
    },
  };
}

/** The demo's URLs in the manifest use a fixed origin, restored to the live server's on load. */
function rebase(manifest: Awaited<ReturnType<typeof loadManifest>>, apiRoot: string) {
  return manifest && { ...manifest, datasets: rebaseEntries(manifest.datasets, DEMO_API, apiRoot) };
}

function rebaseEntries<T extends { url: string }>(
  entries: Record<string, T>,
  from: string,
  to: string,
): Record<string, T> {
  return Object.fromEntries(
    Object.entries(entries).map(([id, e]) => [
      id,
      { ...e, url: e.url.startsWith(from) ? to + e.url.slice(from.length) : e.url },
    ]),
  );
}

/**
 * What every dataset summary depends on besides its document: the code that makes it, the
 * language it picks translations in, and the origin of its links. The crawled origin is not
 * part of it: links are printed on the public one.
 */
async function summaryKeyOf(settings: { lang: string; publicOrigin: string }): Promise<string> {
  return createHash("sha256")
    .update(`${await codeFingerprint()}\0${settings.lang}\0${settings.publicOrigin}`)
    .digest("hex");
}

/**
 * What a dataset's model depends on besides its document (`toDataset`'s context): the code,
 * the site language, and the origins its links are read on and printed with.
 */
function modelKeyOf(
  fingerprint: string,
  settings: { lang: string; crawlOrigin: string; publicOrigin: string },
): string {
  return createHash("sha256")
    .update(`${fingerprint}\0${settings.lang}\0${settings.crawlOrigin}\0${settings.publicOrigin}`)
    .digest("hex");
}

/** Datasets in `before` that `after` lacks or holds with another summary. */
function differentSummaries(before: DatasetSummary[], after: DatasetSummary[]): number {
  const now = new Map(after.map((d) => [d.id, d]));
  return before.filter((d) => {
    const same = now.get(d.id);
    return same !== d && JSON.stringify(same) !== JSON.stringify(d);
  }).length;
}

/** Titles in the site language's alphabetical order; ids break ties so order is total. */
function sortForListing(summaries: DatasetSummary[], site: SiteContext): DatasetSummary[] {
  const collator = new Intl.Collator(site.t.locale, { sensitivity: "base", numeric: true });
  return [...summaries].sort(
    (a, b) => collator.compare(a.title, b.title) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
