import { FACETS, type FacetKey, type FacetValue, facetOf } from "../catalog/facets.js";
import { firstBy } from "../catalog/first.js";
import { type Page, pageWindow, paginate } from "../catalog/paginate.js";
import { fileOf, routes, SORTS, type SortKey } from "../catalog/routes.js";
import type { Dataset, DatasetSummary } from "../model/dataset.js";
import type { OutputFile } from "../write/output.js";
import { apiConsole, curlExample, exportLinks, recordsTable } from "./dataset-view.js";
import type { Engine } from "./engine.js";
import { catalogJsonLd, datasetJsonLd, jsonLdScript } from "./seo.js";
import type { SiteContext } from "./site.js";

/**
 * Which pages exist, where each is written, and what data its template gets. Pure apart
 * from the engine reading template files once: pages are returned, never written. Every
 * template receives `{ site, page }`; the layout reads `page.title`, `page.description`,
 * `page.route` (canonical URL and current section), `page.jsonLd` and `page.noindex`.
 *
 * Pages other than dataset pages are planned (`planSitePages`) with the inputs they depend
 * on, so a rebuild can reuse any page whose inputs did not change.
 */

export interface PlannedPage {
  /** File path in the site. */
  path: string;
  /** Everything the page's bytes depend on besides templates and settings. */
  inputs: unknown;
  render(): OutputFile;
}

export function renderDatasetPage(
  dataset: Dataset,
  site: SiteContext,
  engine: Engine,
): OutputFile & { contents: string } {
  const route = routes.dataset(dataset.segment);
  const exports = exportLinks(dataset);
  const page = {
    title: dataset.title,
    description: dataset.summary,
    route,
    section: "catalog",
    jsonLd: jsonLdScript(datasetJsonLd(dataset, site, exports)),
    dataset,
    records: recordsTable(dataset, site),
    exports,
    curl: curlExample(dataset),
    apiConsole: apiConsole(dataset),
  };
  return { path: fileOf(route), contents: engine.render("pages/dataset", { site, page }) };
}

export interface SiteData {
  /** Every dataset, in title order. */
  datasets: readonly DatasetSummary[];
  facets: Map<FacetKey, FacetValue[]>;
  pageSize: number;
  /** How a dataset summary is identified in page inputs (a hash of it). */
  keyOf: (dataset: DatasetSummary) => string;
}

/** Every page besides dataset pages: home, listings, facets, search, 404. */
export function planSitePages(data: SiteData, site: SiteContext, engine: Engine): PlannedPage[] {
  const plan: PlannedPage[] = [];
  const add = (route: string, inputs: unknown, template: string, page: () => object) =>
    plan.push({
      path: fileOf(route),
      inputs,
      render: () => ({
        path: fileOf(route),
        contents: engine.render(template, { site, page: { route, ...page() } }),
      }),
    });

  add(routes.home, homeInputs(data), "pages/home", () => homePage(data, site));
  const filters = searchFilters(data, site);
  add(routes.search, ["search", filters], "pages/search", () => ({
    title: site.t.nav.search,
    noindex: true,
    section: "search",
    scripts: ["assets/search.js"],
    filters,
  }));
  add(routes.notFound, [], "pages/not-found", () => ({
    title: site.t.notFoundTitle,
    description: site.t.notFoundText,
    noindex: true,
  }));
  add(routes.datasetsIndex, [], "pages/moved", () => ({
    title: site.t.allDatasets,
    noindex: true,
    target: routes.catalog("title"),
    refresh: routes.catalog("title"),
  }));

  const sorted = sortedViews(data.datasets);
  for (const sort of SORTS) {
    for (const page of paginate(sorted[sort], data.pageSize)) {
      const route = routes.catalog(sort, page.number);
      add(route, ["catalog", sort, pageInputs(page, data)], "pages/catalog", () => ({
        title: pagedTitle(site.t.allDatasets, page, site),
        section: "catalog",
        sort,
        sorts: SORTS.map((key) => ({
          key,
          label: site.t.sorts[key],
          url: site.url(routes.catalog(key)),
          current: key === sort,
        })),
        list: page,
        pagination: pagination(page, (n) => routes.catalog(sort, n), site),
      }));
    }
  }

  for (const [key, values] of data.facets) {
    const facet = facetOf(key);
    const name = site.t.facetNames[key] ?? key;
    for (const page of paginate(values, FACET_INDEX_SIZE)) {
      const route = routes.facetIndex(facet.path, page.number);
      add(
        route,
        [
          "facet-index",
          key,
          page.number,
          page.count,
          page.items.map((v) => [v.value, v.datasets.length]),
        ],
        "pages/facet-index",
        () => ({
          title: pagedTitle(name, page, site),
          section: key,
          facet: key,
          facetName: name,
          list: {
            ...page,
            items: page.items.map((v) => ({
              label: site.facetLabel(key, v.value),
              url: site.facetUrl(key, v.value),
              count: v.datasets.length,
            })),
          },
          pagination: pagination(page, (n) => routes.facetIndex(facet.path, n), site),
        }),
      );
    }
    for (const value of values) {
      const label = site.facetLabel(key, value.value);
      for (const page of paginate(value.datasets, data.pageSize)) {
        const route = routes.facetValue(facet.path, value.segment, page.number);
        add(
          route,
          ["facet-value", key, value.value, pageInputs(page, data)],
          "pages/facet-value",
          () => ({
            title: pagedTitle(
              site.t.facetValueTitle(site.t.facetSingular[key] ?? key, label),
              page,
              site,
            ),
            section: key,
            facet: key,
            facetName: name,
            facetIndexUrl: site.url(routes.facetIndex(facet.path)),
            value: label,
            list: page,
            pagination: pagination(
              page,
              (n) => routes.facetValue(facet.path, value.segment, n),
              site,
            ),
          }),
        );
      }
    }
  }
  return plan;
}

/** Values per facet index page: long enough to scan, short enough for 20,000 keywords. */
const FACET_INDEX_SIZE = 300;
/** Datasets in the home page's "latest changes". */
const LATEST = 10;
/** Values of each facet shown on the home page. */
const HOME_VALUES = 8;
/** Values offered per filter on the search page; the rest are on the facet's own pages. */
const SEARCH_FILTER_VALUES = 12;

// --- internal ---

function sortedViews(
  byTitle: readonly DatasetSummary[],
): Record<SortKey, readonly DatasetSummary[]> {
  // Ties keep title order, so every view is a total, stable order.
  const rank = new Map(byTitle.map((d, i) => [d, i]));
  const byRank = (a: DatasetSummary, b: DatasetSummary) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0);
  return {
    title: byTitle,
    modified: [...byTitle].sort(
      (a, b) => (b.modified ?? "").localeCompare(a.modified ?? "") || byRank(a, b),
    ),
    records: [...byTitle].sort(
      (a, b) => (b.recordsCount ?? -1) - (a.recordsCount ?? -1) || byRank(a, b),
    ),
  };
}

/** The `LATEST` most recently modified datasets, newest first: the home page and its inputs. */
function latest(datasets: readonly DatasetSummary[]): DatasetSummary[] {
  return firstBy(
    datasets.filter((d) => d.modified),
    LATEST,
    (a, b) => (b.modified ?? "").localeCompare(a.modified ?? "") || (a.id < b.id ? -1 : 1),
  );
}

function homeInputs(data: SiteData): unknown {
  return [
    data.datasets.length,
    latest(data.datasets).map(data.keyOf),
    [...data.facets].map(([key, values]) => [
      key,
      values.length,
      values.slice(0, HOME_VALUES).map((v) => [v.value, v.datasets.length]),
    ]),
  ];
}

/**
 * The search page's filters, written into the page with the catalog's counts: loading every
 * filter of the index up front would cost each visitor hundreds of kilobytes at 40,000
 * datasets, where a search with one filter loads that filter only.
 */
function searchFilters(data: SiteData, site: SiteContext) {
  return FACETS.filter((f) => f.searchFilter).flatMap((facet) => {
    const values = data.facets.get(facet.key) ?? [];
    if (values.length === 0) return [];
    return {
      key: facet.key,
      name: site.t.facetNames[facet.key] ?? facet.key,
      total: values.length,
      url: site.url(routes.facetIndex(facet.path)),
      options: values.slice(0, SEARCH_FILTER_VALUES).map((v) => ({
        label: site.facetLabel(facet.key, v.value),
        count: v.datasets.length,
      })),
    };
  });
}

function homePage(data: SiteData, site: SiteContext) {
  const count = data.datasets.length;
  return {
    title: site.title,
    description: `${site.t.catalogOf(site.portal.host)}: ${site.t.datasetsCount(count, site.fmt.number(count))}.`,
    section: "home",
    jsonLd: jsonLdScript(catalogJsonLd(site, count)),
    count,
    latest: latest(data.datasets),
    sorts: SORTS.map((key) => ({ label: site.t.sorts[key], url: site.url(routes.catalog(key)) })),
    facets: [...data.facets]
      .filter(([, values]) => values.length > 0)
      .map(([key, values]) => ({
        key,
        name: site.t.facetNames[key] ?? key,
        total: values.length,
        url: site.url(routes.facetIndex(facetOf(key).path)),
        top: values.slice(0, HOME_VALUES).map((v) => ({
          label: site.facetLabel(key, v.value),
          url: site.facetUrl(key, v.value),
          count: v.datasets.length,
        })),
      })),
  };
}

function pageInputs(page: Page<DatasetSummary>, data: SiteData): unknown {
  return [page.number, page.count, page.total, page.items.map(data.keyOf)];
}

function pagedTitle(title: string, page: Page<unknown>, site: SiteContext): string {
  return page.count > 1
    ? `${title} (${site.t.pageOf(site.fmt.number(page.number), site.fmt.number(page.count))})`
    : title;
}

function pagination(page: Page<unknown>, routeOf: (n: number) => string, site: SiteContext) {
  if (page.count <= 1) return undefined;
  const url = (n: number) => site.url(routeOf(n));
  return {
    previous: page.number > 1 ? url(page.number - 1) : undefined,
    next: page.number < page.count ? url(page.number + 1) : undefined,
    items: pageWindow(page.number, page.count).map((n) =>
      n === undefined
        ? { gap: true }
        : { number: site.fmt.number(n), url: url(n), current: n === page.number },
    ),
  };
}
