import type { Store } from "../cache/store.js";
import { hashBytes } from "../cache/store.js";
import { ApiShapeError, FetchError, messageOf, QuotaError } from "../errors.js";
import type { Log } from "../log.js";
import { languageOf, linkOf } from "../model/dataset.js";
import type { OdsListingEntry } from "../model/ods.js";
import { parseDatasetBody, parseLinks, parseListingPage } from "../model/parse.js";
import { sameOrigin, withQuery } from "../model/urls.js";
import type { Http } from "./http.js";

/**
 * Walks an ODS API v2 portal the way its HATEOAS links describe it: the root collection,
 * rel `catalog`, rel `datasets`, each page's rel `next`, then each dataset's rel `self`.
 * Only the root URL and the page size are ours; every other URL comes from a link, and a
 * link to another origin is reported and not followed.
 *
 * Bodies go to the store as they arrive; the result is a small index of what was fetched,
 * so memory stays flat however large the catalog.
 */

export interface CrawlOptions {
  http: Http;
  /** The API root, e.g. `https://host/api/v2`. */
  apiRoot: string;
  /** Datasets per listing page (the API's maximum is 100). */
  pageSize: number;
  store: Store;
  log: Log;
  /** Called after each dataset is settled, for progress display. */
  onProgress?: (progress: { done: number; total: number | undefined }) => void;
}

/** One dataset as the crawl left it: where its body is stored and where it came from. */
export interface CrawlEntry {
  id: string;
  /** Store key of the dataset body (`{links, dataset}`). */
  doc: string;
  /** The URL the body was fetched from (for error messages). */
  url: string;
  /** `self`: fetched from its self link; `listing`: the copy embedded in the listing page. */
  source: "self" | "listing";
  /** SHA-256 of the listing entry, for change detection on the next build. */
  listingHash: string;
  /** `metas.default.language`, to pick the site's language before rendering. */
  language: string | undefined;
}

export interface CrawlIssues {
  /** Datasets whose self fetch failed or was impossible; their listing copy was used. */
  fallbacks: Array<{ id: string; reason: string }>;
  /** Datasets left out of the site, with why. */
  skipped: Array<{ id: string; reason: string }>;
  /** Ids the listing returned more than once (the catalog changed during the crawl). */
  duplicates: string[];
  /** Links not followed because they point to another origin. */
  offOrigin: string[];
}

export interface CrawlResult {
  /** Entries sorted by dataset id. */
  entries: CrawlEntry[];
  /** What the portal said the listing holds. */
  totalCount: number | undefined;
  listingPages: number;
  issues: CrawlIssues;
}

export async function crawl(options: CrawlOptions): Promise<CrawlResult> {
  const { http, log } = options;
  const issues: CrawlIssues = { fallbacks: [], skipped: [], duplicates: [], offOrigin: [] };
  const origin = new URL(options.apiRoot).origin;
  const follow = (from: string, links: { href: string; rel: string }[], rel: string): string => {
    const href = linkOf(links, rel);
    if (!href) {
      throw new ApiShapeError({
        url: from,
        path: "$.links",
        expected: `a link with rel "${rel}"`,
        got: links,
      });
    }
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
  };

  const root = await fetchJson(http, options.apiRoot);
  const catalogUrl = follow(root.url, parseLinks(root.body, root.url).links, "catalog");
  const catalog = await fetchJson(http, catalogUrl);
  const datasetsUrl = follow(catalog.url, parseLinks(catalog.body, catalog.url).links, "datasets");

  const seenIds = new Set<string>();
  const settled: CrawlEntry[] = [];
  const pending: Promise<void>[] = [];
  let totalCount: number | undefined;
  let listingPages = 0;
  let done = 0;

  const seenPages = new Set<string>();
  let pageUrl: string | undefined = withQuery(datasetsUrl, { limit: String(options.pageSize) });
  while (pageUrl) {
    seenPages.add(pageUrl);
    const page = await fetchJson(http, pageUrl);
    const listing = parseListingPage(page.body, page.url);
    listingPages++;
    totalCount ??= listing.totalCount;
    for (const rejected of listing.rejected) {
      issues.skipped.push({ id: rejected.path, reason: rejected.message });
      log.warn(`Skipped a listing entry: ${rejected.message}`);
    }
    listing.entries.forEach((entry, index) => {
      const id = entry.dataset.id;
      if (seenIds.has(id)) {
        issues.duplicates.push(id);
        log.warn(
          `Dataset ${id} was listed twice (the catalog changed during the crawl); kept the first copy.`,
        );
        return;
      }
      seenIds.add(id);
      const context = { ...options, listingUrl: page.url, index, issues };
      pending.push(
        settleDataset(entry, context).then((result) => {
          if (result) settled.push(result);
          options.onProgress?.({ done: ++done, total: totalCount });
        }),
      );
    });
    pageUrl = nextPage(page.url, listing.links, { origin, seen: seenPages, issues, log });
  }
  await Promise.all(pending);
  const sorted = settled.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { entries: sorted, totalCount, listingPages, issues };
}

// --- internal ---

async function fetchJson(http: Http, url: string): Promise<{ url: string; body: unknown }> {
  const result = await http.getJson(url);
  if (result.status !== "ok")
    throw new FetchError(`${url} answered ${result.status}.`, { url, transient: false });
  return result;
}

function nextPage(
  from: string,
  links: { href: string; rel: string }[],
  context: { origin: string; seen: Set<string>; issues: CrawlIssues; log: Log },
): string | undefined {
  const href = linkOf(links, "next");
  if (!href) return undefined;
  const next = new URL(href, from).href;
  if (!sameOrigin(next, context.origin)) {
    context.issues.offOrigin.push(next);
    context.log.warn(`Not following the next page ${next}: it is on another origin.`);
    return undefined;
  }
  if (context.seen.has(next)) {
    context.log.warn(
      `The listing's next link ${next} points back to a page already read; stopping there.`,
    );
    return undefined;
  }
  return next;
}

/** Fetches a dataset's self link into the store; falls back to the listing copy on failure. */
async function settleDataset(
  entry: OdsListingEntry,
  context: CrawlOptions & { listingUrl: string; index: number; issues: CrawlIssues },
): Promise<CrawlEntry | undefined> {
  const { http, store, log, issues } = context;
  const id = entry.dataset.id;
  const listingBytes = JSON.stringify(entry.raw);
  const listingHash = hashBytes(listingBytes);
  const language = languageOf(entry.dataset);
  const useListing = async (reason: string): Promise<CrawlEntry> => {
    issues.fallbacks.push({ id, reason });
    log.warn(`Dataset ${id}: ${reason}; using its copy from the listing.`);
    return {
      id,
      doc: await store.put(listingBytes),
      url: `${context.listingUrl}#datasets[${context.index}]`,
      source: "listing",
      listingHash,
      language,
    };
  };

  const href = linkOf(entry.links, "self");
  if (!href) return useListing("the listing gives no self link");
  const selfUrl = new URL(href, context.listingUrl).href;
  if (!sameOrigin(selfUrl, context.apiRoot)) {
    issues.offOrigin.push(selfUrl);
    return useListing(`its self link ${selfUrl} is on another origin`);
  }
  try {
    const result = await http.getJson(selfUrl, { allowNotFound: true });
    if (result.status === "not-found") {
      issues.skipped.push({ id, reason: "gone (404) since it was listed" });
      log.warn(`Dataset ${id} was listed but its self link ${selfUrl} answers 404; left out.`);
      return undefined;
    }
    if (result.status !== "ok") return useListing(`its self link answered ${result.status}`);
    const body = parseDatasetBody(result.body, result.url);
    if (body.dataset.id !== id) {
      return useListing(`its self link returned dataset ${body.dataset.id} instead`);
    }
    return {
      id,
      doc: await store.put(JSON.stringify(result.body)),
      url: result.url,
      source: "self",
      listingHash,
      language,
    };
  } catch (error) {
    if (error instanceof QuotaError) throw error;
    if (error instanceof FetchError || error instanceof ApiShapeError) {
      return useListing(messageOf(error).replace(/\.$/, ""));
    }
    throw error;
  }
}
