/**
 * Where every page of the site lives, as paths relative to the site root (`catalog/`,
 * `datasets/x/`). The one place URLs are decided, so templates, the sitemap, the link
 * checker and the tests agree. Listings live under `catalog/`, apart from `datasets/<id>/`,
 * so no dataset id can collide with a listing page.
 */

import { segmentFor } from "../model/paths.js";

export type SortKey = "title" | "modified" | "records";
export const SORTS: readonly SortKey[] = ["title", "modified", "records"];

const SORT_PATHS: Record<SortKey, string> = {
  title: "catalog/",
  modified: "catalog/by-modified/",
  records: "catalog/by-records/",
};

export const routes = {
  home: "",
  search: "search/",
  /** A redirect to the catalog, for people trimming a dataset URL. */
  datasetsIndex: "datasets/",
  dataset: (segment: string) => `datasets/${segment}/`,
  catalog: (sort: SortKey, page = 1) => paged(SORT_PATHS[sort], page),
  facetIndex: (facetPath: string, page = 1) => paged(`${facetPath}/`, page),
  facetValue: (facetPath: string, valueSegment: string, page = 1) =>
    paged(`${facetPath}/${valueSegment}/`, page),
  notFound: "404.html",
  feed: "feed.xml",
  sitemap: "sitemap.xml",
  robots: "robots.txt",
  catalogJson: "catalog.json",
};

/** The file a route is written to: `x/` → `x/index.html`. */
export function fileOf(route: string): string {
  return route === "" || route.endsWith("/") ? `${route}index.html` : route;
}

/** The file of a dataset's page, from its id. */
export function datasetPagePath(id: string): string {
  return fileOf(routes.dataset(segmentFor(id)));
}

function paged(base: string, page: number): string {
  return page <= 1 ? base : `${base}page/${page}/`;
}
