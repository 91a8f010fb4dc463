import { hashBytesWithout } from "../cache/store.js";
import { FetchError } from "../errors.js";
import type { Log } from "../log.js";
import { languageOf, linkOf } from "../model/dataset.js";
import type { OdsListingPage } from "../model/ods.js";
import { parseListingPage } from "../model/parse.js";
import { sameOrigin, withQuery } from "../model/urls.js";
import type { Http } from "./http.js";
import { NO_MODIFIED_DATE, type Partition, split, WHOLE_CATALOG, whereOf } from "./partition.js";

/** The API refuses `offset + limit` beyond this (HTTP 400 InvalidRESTParameterError). */
export const OFFSET_CAP = 10_000;

export interface ListingOptions {
  http: Http;
  /** The `datasets` collection URL, from the catalog's links. */
  datasetsUrl: string;
  pageSize: number;
  origin: string;
  log: Log;
  /** Called with each page read, in no particular order across parts of the catalog. */
  onPage: (listed: ListedPage) => void;
  /**
   * The last build's record of the page at `url` when it read these very bytes (`hash`, as in
   * `ListingRecord`) and may stand for them: the page is then not parsed.
   */
  recall?: (url: string, hash: string) => ListingRecord | undefined;
  /** Filtered listings read at once when the catalog is split. */
  parallel: number;
}

/**
 * What the next build needs to know a listing page again without parsing it: at 40,000
 * datasets, parsing, checking and hashing each entry of 420 pages (176 MB) is most of a
 * rebuild's work when nothing changed.
 */
export interface ListingRecord {
  /** SHA-256 of the page's bytes, the portal's origin left out (as for entries' hashes). */
  hash: string;
  totalCount: number | undefined;
  /** Its `next` link, as given. */
  next: string | undefined;
  /** Its datasets' ids, in order, and their languages (`languageOf`, "" for none). */
  ids: string[];
  languages: string[];
}

/** A page of the listing: parsed, or recalled (`known`: entries empty, `record` standing in). */
export interface ListedPage {
  url: string;
  page: OdsListingPage;
  /** What the next build may recall; undefined when an entry was rejected. */
  record: ListingRecord | undefined;
  known: boolean;
}

export interface ListingSummary {
  /** What the unfiltered listing said the catalog holds. */
  totalCount: number | undefined;
  pages: number;
  /** Entries the listing holds but could not be paged to (reported, never silent). */
  unreachable: number;
  offOrigin: string[];
}

/**
 * Lists every dataset of the catalog. Up to 10,000 datasets this follows the `next` links
 * of the plain listing. Beyond, it splits the catalog by `modified` date ranges (bisecting
 * until each part is under the cap), and pages through each part, re-applying its filter to
 * every `next` link: ODS rebuilds link query strings, so the filter is our state to keep.
 */
export async function listCatalog(options: ListingOptions): Promise<ListingSummary> {
  const summary: ListingSummary = {
    totalCount: undefined,
    pages: 0,
    unreachable: 0,
    offOrigin: [],
  };
  const firstUrl = withQuery(options.datasetsUrl, { limit: String(options.pageSize) });
  const first = await readPage(options, firstUrl);
  summary.pages++;
  summary.totalCount = first.page.totalCount;
  if (first.page.totalCount === undefined || first.page.totalCount <= OFFSET_CAP) {
    options.onPage(first);
    const walked = await walk(options, first, undefined, summary);
    summary.pages += walked;
    return summary;
  }

  options.log.info(
    `The catalog holds ${first.page.totalCount} datasets, more than the API pages through (${OFFSET_CAP}): listing it in parts by modification date.`,
  );
  let listed = 0;
  const queue: Partition[] = [WHOLE_CATALOG];
  const part = async (where: string, partition: Partition | undefined) => {
    const url = withQuery(options.datasetsUrl, {
      limit: String(options.pageSize),
      where,
      timezone: "UTC",
    });
    const probe = await readPage(options, url);
    summary.pages++;
    const count = probe.page.totalCount ?? sizeOf(probe);
    const halves = count > OFFSET_CAP && partition ? split(partition) : undefined;
    if (halves) {
      queue.push(...halves);
      return;
    }
    if (count > OFFSET_CAP) {
      summary.unreachable += count - OFFSET_CAP;
      options.log.warn(
        `${count} datasets match ${where}, more than the API pages through; ${count - OFFSET_CAP} of them cannot be listed.`,
      );
    }
    listed += count;
    options.onPage(probe);
    // Not `summary.pages += await …`: that reads the count before the wait, and parts listed
    // at the same time would lose each other's pages.
    const walked = await walk(options, probe, where, summary);
    summary.pages += walked;
  };
  await drain(queue, options.parallel, (partition) => part(whereOf(partition), partition));

  if (listed < first.page.totalCount) {
    // Datasets without a modified date fall outside every date range.
    try {
      await part(NO_MODIFIED_DATE, undefined);
    } catch (error) {
      if (!(error instanceof FetchError && error.status === 400)) throw error;
    }
  }
  const missing = first.page.totalCount - listed;
  if (missing > 0) {
    summary.unreachable += missing;
    options.log.warn(
      `The catalog announced ${first.page.totalCount} datasets but its parts hold ${listed}; ${missing} could not be listed (the catalog may have changed during the crawl).`,
    );
  }
  return summary;
}

// --- internal ---

async function readPage(options: ListingOptions, url: string): Promise<ListedPage> {
  let hash = "";
  let recalled: ListingRecord | undefined;
  const result = await options.http.getJson(url, {
    known: (raw) => {
      hash = hashBytesWithout(raw, options.origin);
      recalled = options.recall?.(url, hash);
      return recalled !== undefined;
    },
  });
  if (result.status !== "ok") {
    throw new FetchError(`${url} answered ${result.status}.`, { url, transient: false });
  }
  if (result.known && recalled) {
    const { totalCount, next } = recalled;
    const links = next === undefined ? [] : [{ rel: "next", href: next }];
    const page = { totalCount, links, entries: [], rejected: [] };
    return { url: result.url, page, record: recalled, known: true };
  }
  const page = parseListingPage(result.body, result.url);
  const record: ListingRecord | undefined =
    page.rejected.length > 0
      ? undefined
      : {
          hash,
          totalCount: page.totalCount,
          next: linkOf(page.links, "next"),
          ids: page.entries.map((entry) => entry.dataset.id),
          languages: page.entries.map((entry) => languageOf(entry.dataset) ?? ""),
        };
  return { url: result.url, page, record, known: false };
}

/** Datasets a page lists. */
function sizeOf(listed: ListedPage): number {
  return listed.known
    ? (listed.record?.ids.length ?? 0)
    : listed.page.entries.length + listed.page.rejected.length;
}

/** Follows `next` links from `start`, handing each page over; returns the pages read. */
async function walk(
  options: ListingOptions,
  start: ListedPage,
  where: string | undefined,
  summary: ListingSummary,
) {
  const seen = new Set([start.url]);
  let current = start;
  let pages = 0;
  for (;;) {
    const href = linkOf(current.page.links, "next");
    if (!href) return pages;
    let next = new URL(href, current.url).href;
    if (!sameOrigin(next, options.origin)) {
      summary.offOrigin.push(next);
      options.log.warn(`Not following the next page ${next}: it is on another origin.`);
      return pages;
    }
    if (where !== undefined) next = withQuery(next, { where, timezone: "UTC" });
    if (seen.has(next)) {
      options.log.warn(
        `The listing's next link ${next} points back to a page already read; stopping there.`,
      );
      return pages;
    }
    const offset = Number(new URL(next).searchParams.get("offset") ?? 0);
    if (offset + options.pageSize > OFFSET_CAP) {
      options.log.warn(
        `Stopped at the API's paging limit (${OFFSET_CAP}) before ${next}; the listing may hold more datasets.`,
      );
      return pages;
    }
    seen.add(next);
    current = await readPage(options, next);
    pages++;
    if (sizeOf(current) === 0) return pages;
    options.onPage(current);
  }
}

/**
 * Runs `task` over a queue that tasks may grow, `parallel` at a time. On the first failure
 * no new task starts; the running ones are awaited, then the failure is thrown.
 */
async function drain<T>(
  queue: T[],
  parallel: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const start = (item: T) => {
    const promise: Promise<void> = task(item)
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => running.delete(promise));
    running.add(promise);
  };
  for (;;) {
    while (!failure && queue.length > 0 && running.size < parallel) start(queue.shift() as T);
    if (running.size === 0) break;
    await Promise.race(running);
  }
  if (failure) throw failure.error;
}
