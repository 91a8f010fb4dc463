import type { Manifest, ManifestEntry } from "../cache/manifest.js";
import { composeDataset, type Store, type StoredDataset } from "../cache/store.js";
import { fileOf, routes } from "../catalog/routes.js";
import type { CrawlEntry, CrawlIssues } from "../crawl/crawl.js";
import type { Http } from "../crawl/http.js";
import { ApiShapeError, CacheError, FetchError, messageOf } from "../errors.js";
import { mapLimit } from "../limit.js";
import type { Log } from "../log.js";
import { type DatasetSummary, summarize, toDataset } from "../model/dataset.js";
import type { OdsRecord } from "../model/ods.js";
import { parseDatasetBody } from "../model/parse.js";
import { segmentFor } from "../model/paths.js";
import type { Output } from "../write/output.js";
import type { Engine } from "./engine.js";
import type { PageSources } from "./page-sources.js";
import { renderDatasetPage } from "./pages.js";
import type { SiteContext } from "./site.js";

/**
 * The render phase for dataset pages, one dataset at a time (16 in flight, so writes
 * overlap): read its document from the store, model it, render it, write it. A page whose
 * inputs are unchanged (same document, same templates and settings) is not rendered again:
 * the file already in the buffer is kept, or the published one hard-linked, which gives the
 * same bytes a fresh render would.
 */
export interface DatasetPagesOptions {
  store: Store;
  output: Output;
  site: SiteContext;
  engine: Engine;
  publicUrl: (url: string) => string;
  /** Folders an unchanged page can be taken from. */
  sources: PageSources;
  /** A manifest whose summaries were made with the same settings, for pages not rendered. */
  summaries: Manifest | undefined;
  /** For re-fetching a body whose cached copy turns out to be damaged. */
  http: Http;
  log: Log;
  issues: CrawlIssues;
  timing: { model: number; render: number };
  onProgress?: (done: number) => void;
}

export interface DatasetPagesResult {
  summaries: DatasetSummary[];
  entries: Record<string, ManifestEntry>;
  rendered: number;
  /** Pages taken from the buffer or the published site instead of being rendered. */
  reused: number;
}

export async function writeDatasetPages(
  entries: CrawlEntry[],
  options: DatasetPagesOptions,
): Promise<DatasetPagesResult> {
  const { output, timing } = options;
  let rendered = 0;
  let reused = 0;
  let done = 0;
  const results = await mapLimit(entries, 16, async (entry) => {
    const path = fileOf(routes.dataset(segmentFor(entry.id)));
    const known = options.summaries?.datasets[entry.id];
    let summary = known?.doc === entry.doc ? known.summary : undefined;
    if (summary && (await unchangedPage(entry, path, options))) {
      reused++;
    } else {
      summary = undefined;
      const stored = await loadDocument(entry, options);
      if (stored) {
        // Model and render are timed without any await inside: they are CPU time only.
        let t = performance.now();
        const dataset = toDataset(stored.body, {
          url: entry.url,
          publicUrl: options.publicUrl,
          lang: options.site.lang,
          records: stored.records,
        });
        timing.model += performance.now() - t;
        t = performance.now();
        const file = renderDatasetPage(dataset, options.site, options.engine);
        timing.render += performance.now() - t;
        await output.write(file);
        summary = summarize(dataset);
        rendered++;
      }
    }
    options.onProgress?.(++done);
    if (!summary) return undefined;
    const manifestEntry: ManifestEntry = {
      listingHash: entry.listingHash,
      doc: entry.doc,
      url: entry.url,
      source: entry.source,
      validators: entry.validators,
      page: path,
      summary,
    };
    return [entry.id, manifestEntry] as const;
  });
  const kept = results.filter((r) => r !== undefined);
  return {
    summaries: kept.map(([, e]) => e.summary),
    entries: Object.fromEntries(kept),
    rendered,
    reused,
  };
}

// --- internal ---

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
 * The dataset's document from the store: its parsed body and record sample. A damaged copy
 * is fetched again from its self link (the crawl's HTTP client is still open), without a
 * sample; a dataset that cannot be repaired is left out.
 */
async function loadDocument(entry: CrawlEntry, options: DatasetPagesOptions) {
  try {
    let stored: StoredDataset;
    try {
      stored = (await options.store.get(entry.doc)) as StoredDataset;
    } catch (error) {
      if (!(error instanceof CacheError) || entry.source !== "self") throw error;
      options.log.warn(`${messageOf(error)} Fetching dataset ${entry.id} again.`);
      const result = await options.http.getJson(entry.url);
      if (result.status !== "ok") {
        throw new FetchError(`${entry.url} answered ${result.status}.`, {
          url: entry.url,
          transient: false,
        });
      }
      entry.doc = await options.store.put(composeDataset(result.text, undefined));
      stored = { body: result.body, records: null };
    }
    const t = performance.now();
    const body = parseDatasetBody(stored.body, entry.url);
    options.timing.model += performance.now() - t;
    return { body, records: readRecords(stored.records) };
  } catch (error) {
    if (
      !(
        error instanceof ApiShapeError ||
        error instanceof CacheError ||
        error instanceof FetchError
      )
    )
      throw error;
    options.issues.skipped.push({ id: entry.id, reason: messageOf(error) });
    options.log.warn(`Dataset ${entry.id} left out: ${messageOf(error)}`);
    return undefined;
  }
}

/** The stored sample is ours, but the store is a file on disk: keep only well-formed records. */
function readRecords(records: unknown): OdsRecord[] {
  if (!Array.isArray(records)) return [];
  return records.filter(
    (r): r is OdsRecord =>
      typeof r === "object" &&
      r !== null &&
      typeof (r as OdsRecord).fields === "object" &&
      (r as OdsRecord).fields !== null,
  );
}
