import type { Manifest, ManifestEntry } from "../cache/manifest.js";
import { composeDataset, hashBytes, type Store, type StoredDataset } from "../cache/store.js";
import { ApiShapeError, CacheError, FetchError, messageOf, QuotaError } from "../errors.js";
import type { Log } from "../log.js";
import { languageOf, linkOf } from "../model/dataset.js";
import type { OdsLink, OdsListingEntry, OdsRecord } from "../model/ods.js";
import { parseDatasetBody, parseLinks, parseRecordsPage } from "../model/parse.js";
import { sameOrigin, withQuery } from "../model/urls.js";
import { createBudget } from "./budget.js";
import type { Http, Validators } from "./http.js";
import { type ListingRecord, listCatalog } from "./listing.js";

/**
 * Walks an ODS API v2 portal the way its HATEOAS links describe it: the root collection,
 * rel `catalog`, rel `datasets`, the listing's `next` pages, then each dataset's `self`.
 * Only the root URL, the page size and (past 10,000 datasets) the listing's filters are
 * ours; every other URL comes from a link, and a link to another origin is reported and
 * not followed.
 *
 * With the previous build's manifest, a dataset whose listing entry is unchanged is not
 * fetched again; a changed one is fetched with the validators its last response carried.
 * Bodies go to the store as they arrive; the result is a small index, so memory stays flat.
 */

export interface CrawlOptions {
  http: Http;
  /** The API root, e.g. `https://host/api/v2`. */
  apiRoot: string;
  /** Datasets per listing page (the API's maximum is 100). */
  pageSize: number;
  store: Store;
  log: Log;
  /** The last successful build's manifest, for incremental crawls. */
  previous?: Manifest | undefined;
  /** Records to sample per dataset (0: none). */
  records: number;
  /** Requests in flight at once (the HTTP client's cap); parts of a split listing run this wide. */
  concurrency: number;
  /** Calls of the portal's quota to leave unspent. */
  quotaReserve: number;
  /** Called after each dataset is settled, for progress display. */
  onProgress?: (progress: { done: number; total: number | undefined }) => void;
  /** Called with each dataset settled, once its document is stored. */
  onSettled?: (entry: CrawlEntry) => void;
}

/** One dataset as the crawl left it: where its body is stored and how it was obtained. */
export interface CrawlEntry {
  id: string;
  /** Store key of the dataset document: its body (`{links, dataset}`) and record sample. */
  doc: string;
  /** The URL the body came from (for error messages and repairs). */
  url: string;
  /** `self`: from its self link; `listing`: the copy embedded in the listing page. */
  source: "self" | "listing";
  /** SHA-256 of the listing entry, for change detection on the next build. */
  listingHash: string;
  /** `metas.default.language`, to pick the site's language before rendering. */
  language: string | undefined;
  validators: Validators | undefined;
  /** Whether the body or records differ from what the previous build published. */
  changed: boolean;
}

export interface CrawlIssues {
  /** Datasets whose self fetch failed or was not attempted; their listing copy was used. */
  fallbacks: Array<{ id: string; reason: string }>;
  /** Datasets left out of the site, with why. */
  skipped: Array<{ id: string; reason: string }>;
  /** Ids the listing returned more than once (the catalog changed during the crawl). */
  duplicates: string[];
  /** Links not followed because they point to another origin. */
  offOrigin: string[];
  /** Datasets the listing announced but could not be paged to. */
  unreachable: number;
}

export interface CrawlResult {
  /** Entries sorted by dataset id. */
  entries: CrawlEntry[];
  /** What the portal said the listing holds. */
  totalCount: number | undefined;
  listingPages: number;
  /** Datasets not fetched again because their listing entry did not change, or a 304. */
  cacheHits: number;
  /** Listing pages the last build read with the same bytes, so not parsed again. */
  knownPages: number;
  /** What the next build may recall of each listing page read, by URL (origin left out). */
  listing: Record<string, ListingRecord>;
  issues: CrawlIssues;
}

export async function crawl(options: CrawlOptions): Promise<CrawlResult> {
  const { http, log } = options;
  const issues: CrawlIssues = {
    fallbacks: [],
    skipped: [],
    duplicates: [],
    offOrigin: [],
    unreachable: 0,
  };
  const origin = new URL(options.apiRoot).origin;

  const root = await fetchJson(http, options.apiRoot);
  const catalogUrl = follow(root.url, parseLinks(root.body, root.url).links, "catalog", origin);
  const catalog = await fetchJson(http, catalogUrl);
  const datasetsUrl = follow(
    catalog.url,
    parseLinks(catalog.body, catalog.url).links,
    "datasets",
    origin,
  );

  const seen = new Set<string>();
  const settled: CrawlEntry[] = [];
  const pending: Promise<void>[] = [];
  let total: number | undefined;
  let done = 0;
  const state = { cacheHits: 0, listingDone: false, listed: 0, knownPages: 0 };
  const records: Record<string, ListingRecord> = {};
  const { previous } = options;
  const sameSample = previous?.recordsSample === options.records;
  const budget = createBudget({
    stats: http.stats,
    reserve: options.quotaReserve,
    log,
    // Listing pages still to read, so the budget never starves the listing itself.
    pendingListing: () =>
      state.listingDone
        ? 0
        : Math.ceil(Math.max(0, (total ?? 0) - state.listed) / options.pageSize),
  });

  const listed = listCatalog({
    http,
    datasetsUrl,
    pageSize: options.pageSize,
    origin,
    log,
    parallel: options.concurrency,
    recall(url, hash) {
      const record = previous?.listing[pathOf(url)];
      // With the record sample asked for now, the page settles all its datasets as cache hits.
      return record?.hash === hash && sameSample && previous && fromSelf(record, previous.datasets)
        ? record
        : undefined;
    },
    onPage({ page, url, record, known }) {
      total ??= page.totalCount;
      if (record) records[pathOf(url)] = record;
      const unseen = (id: string) => {
        if (!seen.has(id)) {
          seen.add(id);
          return true;
        }
        issues.duplicates.push(id);
        log.warn(
          `Dataset ${id} was listed twice (the catalog changed during the crawl); kept the first copy.`,
        );
        return false;
      };
      const settle = (result: CrawlEntry | undefined) => {
        if (result) {
          settled.push(result);
          options.onSettled?.(result);
        }
        options.onProgress?.({ done: ++done, total });
      };
      if (known && record && previous) {
        state.knownPages++;
        state.listed += record.ids.length;
        record.ids.forEach((id, index) => {
          const kept = previous.datasets[id];
          if (!kept || !unseen(id)) return;
          state.cacheHits++;
          const language = record.languages[index] || undefined;
          settle({ id, listingHash: kept.listingHash, language, ...reused(kept), changed: false });
        });
        return;
      }
      state.listed += page.entries.length;
      for (const rejected of page.rejected) {
        issues.skipped.push({ id: rejected.path, reason: rejected.message });
        log.warn(`Skipped a listing entry: ${rejected.message}`);
      }
      page.entries.forEach((entry, index) => {
        if (!unseen(entry.dataset.id)) return;
        const context = { ...options, origin, listingUrl: url, index, issues, budget, state };
        pending.push(settleDataset(entry, context).then(settle));
      });
    },
  }).finally(() => {
    state.listingDone = true;
  });
  // Let every fetch finish (or fail) before returning or throwing, so nothing still writes to
  // the store once the crawl is over, even when the listing failed half-way.
  const [listingOutcome] = await Promise.allSettled([listed]);
  const outcomes = await Promise.allSettled(pending);
  if (listingOutcome.status === "rejected") throw listingOutcome.reason;
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (failure) throw failure.reason;
  const listing = listingOutcome.value;

  issues.offOrigin.push(...listing.offOrigin);
  issues.unreachable = listing.unreachable;
  const entries = settled.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    entries,
    totalCount: listing.totalCount,
    listingPages: listing.pages,
    cacheHits: state.cacheHits,
    knownPages: state.knownPages,
    listing: records,
    issues,
  };
}

/**
 * The listing pages a next build may recall (`crawled.listing`): those whose every dataset is
 * in the new manifest, from its self link. A page holding a dataset taken from the listing's
 * copy, or left out, is parsed again, so each of its entries is settled on its own.
 */
export function recallable(
  listing: Record<string, ListingRecord>,
  datasets: Record<string, ManifestEntry>,
): Record<string, ListingRecord> {
  return Object.fromEntries(
    Object.entries(listing).filter(([, record]) => fromSelf(record, datasets)),
  );
}

// --- internal ---

function fromSelf(record: ListingRecord, datasets: Record<string, ManifestEntry>): boolean {
  return record.ids.every((id) => datasets[id]?.source === "self");
}

/** A listing URL without its origin: the demo portal's changes with every build. */
function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

type SettleContext = CrawlOptions & {
  origin: string;
  listingUrl: string;
  index: number;
  issues: CrawlIssues;
  budget: ReturnType<typeof createBudget>;
  state: { cacheHits: number };
};

function follow(from: string, links: OdsLink[], rel: string, origin: string): string {
  const href = linkOf(links, rel);
  if (!href)
    throw new ApiShapeError({
      url: from,
      path: "$.links",
      expected: `a link with rel "${rel}"`,
      got: links,
    });
  const absolute = new URL(href, from).href;
  if (!sameOrigin(absolute, origin)) {
    throw new FetchError(
      `${from} links its ${rel} to another origin (${absolute}); not following it.`,
      {
        url: absolute,
        transient: false,
      },
    );
  }
  return absolute;
}

async function fetchJson(http: Http, url: string): Promise<{ url: string; body: unknown }> {
  const result = await http.getJson(url);
  if (result.status !== "ok")
    throw new FetchError(`${url} answered ${result.status}.`, { url, transient: false });
  return result;
}

/**
 * Settles one listed dataset: reuses the previous build's body when the listing entry is
 * unchanged, otherwise fetches its self link (conditionally, when validators are known),
 * falling back to the listing copy when that fails or the quota must be spared.
 */
async function settleDataset(
  entry: OdsListingEntry,
  context: SettleContext,
): Promise<CrawlEntry | undefined> {
  const { http, store, log, issues } = context;
  const id = entry.dataset.id;
  const listingBytes = JSON.stringify(entry.raw);
  // Hashed without the origin it was served from, so a mirror or the demo's changing port
  // does not make every dataset look changed.
  const listingHash = hashBytes(listingBytes.replaceAll(context.origin, ""));
  const language = languageOf(entry.dataset);
  const previous = context.previous?.datasets[id];
  const base = { id, listingHash, language };

  const sameSample = context.previous?.recordsSample === context.records;
  /** The previous body again, with a record sample taken now (the sample size changed). */
  const resample = async (kept: ManifestEntry): Promise<CrawlEntry> => {
    const stored = (await store.get(kept.doc)) as StoredDataset;
    const records = await sampleRecords(entry.links, entry.dataset, context);
    const doc = await store.put(composeDataset(JSON.stringify(stored.body), records));
    return { ...base, ...reused(kept), doc, changed: doc !== kept.doc };
  };
  // The cached document is not checked here: a page kept unchanged never reads it, and one
  // rendered again finds it missing or damaged and fetches it anew (see dataset-pages.ts).
  if (previous && previous.listingHash === listingHash && previous.source === "self") {
    if (sameSample) {
      context.state.cacheHits++;
      return { ...base, ...reused(previous), changed: false };
    }
    const resampled = await resample(previous).catch((error: unknown) => {
      if (error instanceof CacheError) return undefined; // Gone from the cache: fetch it below.
      throw error;
    });
    if (resampled) {
      context.state.cacheHits++;
      return resampled;
    }
  }

  const useListing = async (reason: string): Promise<CrawlEntry> => {
    issues.fallbacks.push({ id, reason });
    log.warn(`Dataset ${id}: ${reason}; using its copy from the listing.`);
    const records = await sampleRecords(entry.links, entry.dataset, context);
    const doc = await store.put(composeDataset(listingBytes, records));
    return {
      ...base,
      doc,
      url: `${context.listingUrl}#datasets[${context.index}]`,
      source: "listing",
      validators: undefined,
      changed: doc !== previous?.doc,
    };
  };

  const href = linkOf(entry.links, "self");
  if (!href) return useListing("the listing gives no self link");
  const selfUrl = new URL(href, context.listingUrl).href;
  if (!sameOrigin(selfUrl, context.origin)) {
    issues.offOrigin.push(selfUrl);
    return useListing(`its self link ${selfUrl} is on another origin`);
  }
  if (!context.budget.allow()) return useListing("the portal's remaining quota is kept in reserve");
  log.debug(
    `Dataset ${id}: ${previous ? "its listing entry changed" : "new"}; fetching ${selfUrl}.`,
  );

  try {
    const validators = previous?.source === "self" ? previous.validators : undefined;
    const result = await http.getJson(selfUrl, {
      allowNotFound: true,
      ...(validators ? { validators } : {}),
    });
    if (result.status === "not-found") {
      issues.skipped.push({ id, reason: "gone (404) since it was listed" });
      log.warn(`Dataset ${id} was listed but its self link ${selfUrl} answers 404; left out.`);
      return undefined;
    }
    if (result.status === "not-modified" && previous && (await store.has(previous.doc))) {
      context.state.cacheHits++;
      return sameSample ? { ...base, ...reused(previous), changed: false } : resample(previous);
    }
    if (result.status !== "ok")
      return useListing(`its self link answered ${result.status} without a cached copy`);
    const body = parseDatasetBody(result.body, result.url);
    if (body.dataset.id !== id)
      return useListing(`its self link returned dataset ${body.dataset.id} instead`);
    const records = await sampleRecords(
      body.links.length > 0 ? body.links : entry.links,
      body.dataset,
      context,
    );
    // The body is stored as received: no second serialisation of 40,000 documents.
    const doc = await store.put(composeDataset(result.raw, records));
    return {
      ...base,
      doc,
      url: result.url,
      source: "self",
      validators:
        result.validators.etag || result.validators.lastModified ? result.validators : undefined,
      changed: doc !== previous?.doc,
    };
  } catch (error) {
    if (error instanceof QuotaError) throw error;
    if (
      error instanceof FetchError ||
      error instanceof ApiShapeError ||
      error instanceof CacheError
    ) {
      return useListing(messageOf(error).replace(/\.$/, ""));
    }
    throw error;
  }
}

function reused(previous: ManifestEntry) {
  return {
    doc: previous.doc,
    url: previous.url,
    source: previous.source,
    validators: previous.validators,
  };
}

/**
 * Fetches the first records of a dataset into the store, when it has visible records and a
 * sample was asked for. A failure costs the page its sample, never the build.
 */
async function sampleRecords(
  links: OdsLink[],
  dataset: OdsListingEntry["dataset"],
  context: SettleContext,
): Promise<OdsRecord[] | undefined> {
  const count = dataset.metas.default?.records_count;
  if (context.records <= 0 || !dataset.hasRecords || !dataset.dataVisible || count === 0)
    return undefined;
  const href = linkOf(links, "records");
  if (!href) return undefined;
  const url = withQuery(new URL(href, context.listingUrl).href, { limit: String(context.records) });
  if (!sameOrigin(url, context.origin) || !context.budget.allow()) return undefined;
  try {
    const result = await context.http.getJson(url);
    if (result.status !== "ok") return undefined;
    return parseRecordsPage(result.body, result.url).records;
  } catch (error) {
    if (error instanceof QuotaError) throw error;
    if (!(error instanceof FetchError || error instanceof ApiShapeError)) throw error;
    context.log.warn(
      `Dataset ${dataset.id}: no record sample (${messageOf(error).replace(/\.$/, "")}).`,
    );
    return undefined;
  }
}
