import { setImmediate } from "node:timers/promises";
import type { Manifest, ManifestEntry } from "../cache/manifest.js";
import { composeDataset, type Store, type StoredDataset } from "../cache/store.js";
import { datasetPagePath } from "../catalog/routes.js";
import type { CrawlEntry, CrawlIssues } from "../crawl/crawl.js";
import type { Http } from "../crawl/http.js";
import { ApiShapeError, CacheError, FetchError, messageOf, SiteError } from "../errors.js";
import { mapLimit } from "../limit.js";
import type { Log } from "../log.js";
import type { DatasetSummary, SummaryKeys } from "../model/dataset.js";
import type { Output } from "../write/output.js";
import type { EarlyResult } from "./early-pages.js";
import type { Engine } from "./engine.js";
import { createPageMaker, type PageMaker, type PageSettings } from "./page-maker.js";
import { JOBS_PER_WORKER, type PagePool, startPagePool, workersFor } from "./page-pool.js";
import type { PageSources } from "./page-sources.js";
import type { PageResult } from "./page-worker.js";
import type { SiteContext } from "./site.js";

/**
 * The render phase for dataset pages. First every page whose inputs are unchanged (same
 * document, same templates and settings) is declared so: the file already in the buffer is
 * kept, or the published one hard-linked, which gives the same bytes a fresh render would.
 * Then the other pages are made: in page workers when there are many (page-pool.ts), which
 * read the document from the store, render the page and write it; otherwise here, the same
 * way. Pages the workers took during the crawl (early-pages.ts) are collected instead of made;
 * those made in another language are made again. Only a summary of each dataset is kept.
 */
export interface DatasetPagesOptions {
  /** Pages made while the crawl ran, and the workers that made them (now this phase's). */
  early?: EarlyResult;
  store: Store;
  /** The cache folder (the workers open the store in it). */
  cacheDir: string;
  output: Output;
  /** What a page is made with; `site` and `engine` are this thread's, made from them. */
  settings: PageSettings;
  site: SiteContext;
  engine: Engine;
  /** Folders an unchanged page can be taken from. */
  sources: PageSources;
  /** The last build's manifest, when made with the same summary key: a summary holds while its document is unchanged. */
  summaries: Manifest | undefined;
  /** For re-fetching a body whose cached copy turns out to be damaged. */
  http: Http;
  log: Log;
  issues: CrawlIssues;
  timing: { model: number; render: number };
  /** The summaries' content keys (`createSummaryKeys`), made or taken in as summaries arrive. */
  keyOf: SummaryKeys;
  /** The build's `createSummarySharing`, which early pages share their summaries with too. */
  share: (summary: DatasetSummary) => DatasetSummary;
  onProgress?: (done: number) => void;
}

export interface DatasetPagesResult {
  summaries: DatasetSummary[];
  entries: Record<string, ManifestEntry>;
  rendered: number;
  /** Pages taken from the buffer or the published site instead of being rendered. */
  reused: number;
  /** Page workers the pages were made in (0: on the main thread). */
  workers: number;
  /** Pages made from the model the last build stored rather than from the document. */
  fromModels: number;
}

export async function writeDatasetPages(
  entries: CrawlEntry[],
  options: DatasetPagesOptions,
): Promise<DatasetPagesResult> {
  const paths = entries.map((entry) => datasetPagePath(entry.id));
  const summaries = new Array<DatasetSummary | undefined>(entries.length);
  /** Store key of each dataset's model, for the next build. */
  const models = new Array<string | undefined>(entries.length);
  const premade = options.early?.made;
  const spoiled = options.early?.spoiled;
  let done = 0;
  let fromModels = 0;
  const toMake: number[] = [];
  let pool = premade?.pool;
  let workers = premade?.workers ?? 0;
  try {
    await mapLimit(entries, IN_FLIGHT, async (entry, index) => {
      const known = knownSummary(entry, options.summaries);
      const fresh = premade?.results.has(entry.id) || spoiled?.has(entry.id);
      if (!fresh && known && (await unchangedPage(entry, paths[index] ?? "", options))) {
        summaries[index] = known;
        models[index] = knownModel(entry, options.summaries);
        options.onProgress?.(++done);
      } else {
        toMake.push(index);
      }
    });
    const reused = done;
    // In dataset order, so warnings and left-out datasets are reported in a stable order.
    toMake.sort((a, b) => a - b);

    if (!pool) {
      workers = workersFor(toMake.length);
      const setup = {
        settings: options.settings,
        cacheDir: options.cacheDir,
        stagingDir: options.output.stagingDir,
        fresh: options.output.fresh,
      };
      pool = workers > 0 ? startPagePool(setup, workers) : undefined;
    }
    const make = createPageMaker(options.settings, {
      store: options.store,
      built: { site: options.site, engine: options.engine },
    });
    const { share } = options;
    // The pages taken during the crawl come with their summaries shared and keyed by the
    // workers: taken in at once, so the listing pages' keys are never made again here.
    for (const made of premade?.results.values() ?? []) {
      made
        .then((result) => {
          if (result.ok && result.summary && result.summaryKey)
            options.keyOf.learn(result.summary, result.summaryKey);
        })
        // Whatever fails here fails again where the page is collected, and is reported there.
        .catch(() => undefined);
    }
    // As many pages as the workers hold at once: every one started is in a worker's hands.
    await mapLimit(toMake, pool ? workers * JOBS_PER_WORKER : IN_FLIGHT, async (index) => {
      const entry = entries[index] as CrawlEntry;
      const path = paths[index] ?? "";
      const made = premade?.results.get(entry.id);
      const page = pool
        ? await makeInWorker(pool, workers, entry, path, make, options, made)
        : await makeHere(entry, make, options);
      if (page?.fromModel) fromModels++;
      // The last build's summary of the same document is the same: keeping it (the listing
      // pages may already use it) leaves one summary per dataset in memory, not two. A summary
      // shared already (an early page's, a worker's) is its own shared copy.
      summaries[index] = page && (knownSummary(entry, options.summaries) ?? share(page.summary));
      models[index] = page?.model;
      options.onProgress?.(++done);
    });
    const kept = result(entries, { summaries, models, paths });
    const rendered = kept.summaries.length - reused;
    return { ...kept, rendered, reused, workers, fromModels };
  } finally {
    await pool?.close();
  }
}

/**
 * Every dataset's summary, when the last build made each from the document this crawl found
 * (with the same summary key): the listing pages can then be made without waiting for the
 * dataset pages.
 */
export function knownSummaries(
  entries: readonly CrawlEntry[],
  known: Manifest | undefined,
): DatasetSummary[] | undefined {
  if (!known) return undefined;
  const summaries: DatasetSummary[] = [];
  for (const entry of entries) {
    const summary = knownSummary(entry, known);
    if (!summary) return undefined;
    summaries.push(summary);
  }
  return summaries;
}

/**
 * Every dataset's summary right after the crawl, so that the listing pages can be made while
 * the workers make the last dataset pages, instead of after them with one core idle: the last
 * build's (same document), an early page's, or made here from the stored document. Made here
 * from the last dataset backwards, while the workers take the pages left in crawl order, so
 * the two share them, each summary found made by the time this reaches it taken as it is. A
 * dataset whose body is not a dataset is left out, as its page will be. Undefined (the listing
 * then waits for every page, as it must) unless the early pages were made in the site's final
 * settings and took every dataset needing a page, or when a document turns out damaged (its
 * page repairs it first).
 */
export async function summariesAtHand(
  entries: readonly CrawlEntry[],
  options: {
    early: EarlyResult;
    known: Manifest | undefined;
    store: Store;
    summaryOf: (stored: StoredDataset, url: string) => DatasetSummary;
    share: (summary: DatasetSummary) => DatasetSummary;
  },
): Promise<DatasetSummary[] | undefined> {
  const made = options.early.made;
  if (!made) return undefined;
  const summaries: DatasetSummary[] = [];
  let sinceYield = 0;
  for (let index = entries.length - 1; index >= 0; index--) {
    const entry = entries[index] as CrawlEntry;
    const known = knownSummary(entry, options.known);
    const answer = made.settled.get(entry.id);
    if (known) summaries.push(known);
    else if (answer) {
      if (answer.ok && answer.summary) summaries.push(answer.summary);
      // A body that is not a dataset is left out; a damaged document or a failure is settled
      // with its page.
      else if (answer.ok || answer.kind !== "shape") return undefined;
    } else if (!made.results.has(entry.id)) return undefined;
    else {
      try {
        const stored = options.store.getSync(entry.doc) as StoredDataset;
        summaries.push(options.share(options.summaryOf(stored, entry.url)));
      } catch (error) {
        if (error instanceof CacheError) return undefined;
        if (!(error instanceof ApiShapeError)) throw error;
      }
      // The workers' answers come in, and their next jobs go out, between turns of this loop.
      if (++sinceYield === SUMMARIES_PER_TURN) {
        sinceYield = 0;
        await setImmediate();
      }
    }
  }
  return summaries;
}

// --- internal ---

/** Summaries made between two turns of the event loop (a few milliseconds). */
const SUMMARIES_PER_TURN = 16;

/** The last build's entry of this very document (`entry.doc` changes on repair). */
function lastEntry(entry: CrawlEntry, known: Manifest | undefined): ManifestEntry | undefined {
  const last = known?.datasets[entry.id];
  return last?.doc === entry.doc ? last : undefined;
}

/** The summary the last build made from this very document. */
function knownSummary(entry: CrawlEntry, known: Manifest | undefined): DatasetSummary | undefined {
  return lastEntry(entry, known)?.summary;
}

/** The model the last build saved from this very document (with the same summary key). */
function knownModel(entry: CrawlEntry, known: Manifest | undefined): string | undefined {
  return lastEntry(entry, known)?.model;
}

/** Each dataset kept, with its page, summary and model, for the manifest. */
function result(
  entries: CrawlEntry[],
  made: {
    summaries: Array<DatasetSummary | undefined>;
    models: Array<string | undefined>;
    paths: string[];
  },
): Pick<DatasetPagesResult, "summaries" | "entries"> {
  const kept: Array<[string, ManifestEntry & { summary: DatasetSummary }]> = [];
  entries.forEach((entry, index) => {
    const summary = made.summaries[index];
    if (!summary) return;
    kept.push([
      entry.id,
      {
        listingHash: entry.listingHash,
        doc: entry.doc,
        url: entry.url,
        source: entry.source,
        validators: entry.validators,
        page: made.paths[index] ?? "",
        summary,
        model: made.models[index],
      },
    ]);
  });
  return {
    summaries: kept.map(([, e]) => e.summary),
    entries: Object.fromEntries(kept),
  };
}

/** Pages in the making at once on this thread: enough to keep the disk busy. */
const IN_FLIGHT = 16;

/** Declares the page unchanged when the buffer or the published site has it for this document. */
async function unchangedPage(
  entry: CrawlEntry,
  path: string,
  options: DatasetPagesOptions,
): Promise<boolean> {
  const { buffer, live } = options.sources;
  const inLive = live?.datasets[entry.id];
  return options.output.unchanged(path, {
    // Page paths follow from ids, so a matching document means the folder's page is this one.
    buffer: buffer?.docOf(entry.id) === entry.doc,
    live: inLive?.doc === entry.doc && inLive.page === path,
  });
}

/**
 * Has a worker make and write the page, unless one already is (`made`, since the crawl); a
 * damaged document is repaired and made here.
 */
async function makeInWorker(
  pool: PagePool,
  workers: number,
  entry: CrawlEntry,
  path: string,
  make: PageMaker,
  options: DatasetPagesOptions,
  made: Promise<PageResult> | undefined,
): Promise<Page | undefined> {
  const known = knownSummary(entry, options.summaries);
  const model = knownModel(entry, options.summaries);
  const job = { doc: entry.doc, url: entry.url, path, summary: known === undefined, model };
  const result = await (made ?? pool.make(job));
  if (result.ok) {
    // The workers run side by side: their CPU time divided by their number is what they add
    // to the phase's wall time. A page made during the crawl added nothing to this phase's.
    if (!made) {
      options.timing.model += result.modelMs / workers;
      options.timing.render += result.renderMs / workers;
    }
    options.output.adoptFile(path, result.bytes);
    const page = { model: result.model, fromModel: result.fromModel };
    if (known) return { summary: known, ...page };
    if (!result.summary) throw new Error(`The page worker sent no summary of ${entry.url}.`);
    const summary = options.share(result.summary);
    if (result.summaryKey) options.keyOf.learn(summary, result.summaryKey);
    return { summary, ...page };
  }
  // The worker tried the model first: here the document is read, or fetched again.
  if (result.kind === "damaged") return makeHere(entry, make, options, false);
  if (result.kind === "shape") return leaveOut(entry, result.message, options);
  throw result.site ? new SiteError(result.message) : new Error(result.message);
}

/** A dataset page made, with what the manifest keeps of it. */
interface Page {
  summary: DatasetSummary;
  model: string | undefined;
  fromModel: boolean;
}

/**
 * Makes and writes the page on this thread: from the last build's model, unless `tryModel`
 * is false, or else from the document.
 */
async function makeHere(
  entry: CrawlEntry,
  make: PageMaker,
  options: DatasetPagesOptions,
  tryModel = true,
): Promise<Page | undefined> {
  const model = tryModel ? knownModel(entry, options.summaries) : undefined;
  let made = model === undefined ? undefined : make.fromModel(model, entry.url);
  if (!made) {
    const stored = await loadDocument(entry, options);
    if (!stored) return undefined;
    try {
      made = make.fromDocument(stored, entry.url);
    } catch (error) {
      if (error instanceof ApiShapeError) return leaveOut(entry, error.message, options);
      throw error;
    }
  }
  options.timing.model += made.modelMs;
  options.timing.render += made.renderMs;
  await options.output.write(made.file);
  return made;
}

/**
 * The dataset's document from the store. A damaged copy is fetched again from its self link
 * (the crawl's HTTP client is still open), without a sample; a dataset that cannot be
 * repaired is left out.
 */
async function loadDocument(
  entry: CrawlEntry,
  options: DatasetPagesOptions,
): Promise<StoredDataset | undefined> {
  try {
    return (await options.store.get(entry.doc)) as StoredDataset;
  } catch (error) {
    if (!(error instanceof CacheError)) throw error;
    if (entry.source !== "self") return leaveOut(entry, error.message, options);
    options.log.warn(`${error.message} Fetching dataset ${entry.id} again.`);
  }
  try {
    const result = await options.http.getJson(entry.url);
    if (result.status !== "ok") {
      throw new FetchError(`${entry.url} answered ${result.status}.`, {
        url: entry.url,
        transient: false,
      });
    }
    entry.doc = await options.store.put(composeDataset(result.raw, undefined));
    return { body: result.body, records: null };
  } catch (error) {
    if (!(error instanceof FetchError || error instanceof ApiShapeError)) throw error;
    return leaveOut(entry, messageOf(error), options);
  }
}

function leaveOut(entry: CrawlEntry, reason: string, options: DatasetPagesOptions): undefined {
  options.issues.skipped.push({ id: entry.id, reason });
  options.log.warn(`Dataset ${entry.id} left out: ${reason}`);
  return undefined;
}
