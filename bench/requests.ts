import { loadPartition, loadRoutes } from "./lib.js";
import type { PortalFacts } from "./synthetic.js";

/**
 * Requests: what the server saw, sorted by kind, and the fewest a build could have made.
 *
 * The fewest: the root and the catalog (2), the listing at 100 datasets a page, then per
 * dataset fetched its `self` link and, when its page gets a sample (has_records,
 * data_visible, records_count > 0), one records request. Past 10,000 datasets the API stops
 * paging, so the crawler lists the catalog in parts by `modified` date; its probes and the
 * extra last page of each part are "a few" more, counted here by replaying the crawler's
 * own partition rule (lib/crawl/partition.js) on the portal's dates.
 */

export interface RequestCounts {
  total: number;
  root: number;
  catalog: number;
  /** Listing pages, filtered or not. */
  listing: number;
  self: number;
  records: number;
  other: number;
}

export interface Needed {
  /** Root, catalog and ceil(N/100) listing pages. */
  listing: number;
  /** The crawler's extra listing requests past the 10,000 cap ("a few"). */
  partition: number;
  self: number;
  records: number;
  /** Everything: the figure requests are checked against. */
  total: number;
}

/** Sorts request URLs by what they ask for; `selfIds` are the datasets whose `self` was fetched. */
export function classify(urls: readonly string[]): { counts: RequestCounts; selfIds: string[] } {
  const counts: RequestCounts = {
    total: urls.length,
    root: 0,
    catalog: 0,
    listing: 0,
    self: 0,
    records: 0,
    other: 0,
  };
  const selfIds: string[] = [];
  for (const url of urls) {
    const path = (url.split("?")[0] ?? "").replace(/\/+$/, "");
    const [, api, v2, catalog, datasets, id, sub, ...rest] = path.split("/");
    if (api !== "api" || v2 !== "v2" || rest.length > 0) counts.other++;
    else if (catalog === undefined) counts.root++;
    else if (catalog !== "catalog") counts.other++;
    else if (datasets === undefined) counts.catalog++;
    else if (datasets !== "datasets") counts.other++;
    else if (id === undefined) counts.listing++;
    else if (sub === undefined) {
      counts.self++;
      selfIds.push(decodeURIComponent(id));
    } else if (sub === "records") counts.records++;
    else counts.other++;
  }
  return { counts, selfIds };
}

/** The fewest requests for a build that fetches `self` (and record samples) for some datasets. */
export async function needed(
  facts: PortalFacts,
  fetched: { self: number; records: number },
): Promise<Needed> {
  const { MAX_LIMIT: pageSize } = await loadRoutes();
  const listing = 2 + Math.max(1, Math.ceil(facts.datasets / pageSize));
  const partition = (await listingRequests(facts)) - listing;
  return {
    listing,
    partition,
    self: fetched.self,
    records: fetched.records,
    total: listing + partition + fetched.self + fetched.records,
  };
}

/**
 * The listing requests the crawler makes (root and catalog included), replaying
 * lib/crawl/listing.js: one unfiltered page; past the cap, one probe per part, bisecting
 * parts still over the cap, then every page of each part under it.
 */
async function listingRequests(facts: PortalFacts): Promise<number> {
  const { OFFSET_CAP: cap, MAX_LIMIT: pageSize } = await loadRoutes();
  const { WHOLE_CATALOG, split } = await loadPartition();
  const pagesOf = (count: number) => Math.max(1, Math.ceil(count / pageSize));
  if (facts.datasets <= cap) return 2 + pagesOf(facts.datasets);
  let requests = 3; // root, catalog, the unfiltered first page that reveals the total
  const queue = [WHOLE_CATALOG];
  for (let part = queue.shift(); part; part = queue.shift()) {
    const { modified, records } = part;
    let count = 0;
    for (let i = 0; i < facts.datasets; i++) {
      const m = facts.modified[i] ?? Number.NaN;
      const r = facts.recordsCount[i] ?? Number.NaN;
      if (m >= modified[0] && m < modified[1] && (!records || (r >= records[0] && r < records[1])))
        count++;
    }
    const halves = count > cap ? split(part) : undefined;
    if (halves) {
      requests++; // the probe that found the part too large
      queue.push(...halves);
    } else {
      requests += pagesOf(Math.min(count, cap));
    }
  }
  return requests;
}
