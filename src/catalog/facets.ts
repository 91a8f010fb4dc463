import type { DatasetSummary } from "../model/dataset.js";
import { asciiSlug, segmentFor } from "../model/paths.js";

/**
 * The ways to browse the catalog: theme, keyword, publisher, license, feature, language and
 * year of modification. Pure: from the dataset summaries to each facet's values, with the
 * datasets holding each value. A value's page path depends on the value alone, so a dataset
 * page can link to it without knowing the rest of the catalog.
 */
export type FacetKey =
  | "theme"
  | "keyword"
  | "publisher"
  | "license"
  | "feature"
  | "language"
  | "year";

export interface Facet {
  key: FacetKey;
  /** First path segment of its pages: `themes/`, `themes/<value>/`. */
  path: string;
  /** Offered as a filter in search (keywords are too many for a small download). */
  searchFilter: boolean;
  values(dataset: DatasetSummary, context: FacetContext): string[];
}

export interface FacetContext {
  /** The calendar year of an ISO date in the site's time zone. */
  yearOf(iso: string): string;
}

export const FACETS: readonly Facet[] = [
  { key: "theme", path: "themes", searchFilter: true, values: (d) => d.themes },
  { key: "keyword", path: "keywords", searchFilter: false, values: (d) => d.keywords },
  {
    key: "publisher",
    path: "publishers",
    searchFilter: true,
    values: (d) => (d.publisher ? [d.publisher] : []),
  },
  {
    key: "license",
    path: "licenses",
    searchFilter: true,
    values: (d) => (d.license ? [d.license] : []),
  },
  { key: "feature", path: "features", searchFilter: true, values: (d) => d.features },
  {
    key: "language",
    path: "languages",
    searchFilter: true,
    values: (d) => (d.language ? [d.language] : []),
  },
  {
    key: "year",
    path: "years",
    searchFilter: true,
    values: (d, c) => (d.modified ? [c.yearOf(d.modified)] : []),
  },
];

export function facetOf(key: FacetKey): Facet {
  const facet = FACETS.find((f) => f.key === key);
  if (!facet) throw new Error(`Unknown facet ${key}`);
  return facet;
}

/** One value of a facet and the datasets that hold it. */
export interface FacetValue {
  /** The spelling most of its datasets use ("DGFiP" and "DGFIP" are one publisher). */
  value: string;
  segment: string;
  datasets: DatasetSummary[];
}

/**
 * The folder of a facet value's page. Values that differ only by case, accents or
 * punctuation share one page (`Économie`, `economie` → `economie/`), which is what someone
 * browsing wants; a value with no ASCII letters keeps its own hashed folder. Depends on the
 * value alone, so a dataset page links to it without knowing the rest of the catalog.
 */
export function facetSegment(value: string): string {
  let segment = segments.get(value);
  if (segment === undefined) {
    const slug = asciiSlug(value);
    segment = slug !== "" && slug.length <= 80 ? slug : segmentFor(value);
    segments.set(value, segment);
  }
  return segment;
}

// Every page of a big catalog links to its values again and again: slug each spelling once.
const segments = new Map<string, string>();

/**
 * Every value of every facet with its datasets (in the order given), values sorted by
 * number of datasets, then by `compare` on the value. Years sort newest first.
 */
export function groupFacets(
  datasets: readonly DatasetSummary[],
  context: FacetContext & { compare: (a: string, b: string) => number },
): Map<FacetKey, FacetValue[]> {
  const result = new Map<FacetKey, FacetValue[]>();
  for (const facet of FACETS) {
    const bySegment = new Map<
      string,
      { spellings: Map<string, number>; datasets: DatasetSummary[] }
    >();
    for (const dataset of datasets) {
      const seen = new Set<string>();
      for (const value of facet.values(dataset, context)) {
        const segment = facetSegment(value);
        let group = bySegment.get(segment);
        if (!group) {
          group = { spellings: new Map(), datasets: [] };
          bySegment.set(segment, group);
        }
        group.spellings.set(value, (group.spellings.get(value) ?? 0) + 1);
        if (!seen.has(segment)) group.datasets.push(dataset);
        seen.add(segment);
      }
    }
    const values = [...bySegment].map(([segment, group]) => ({
      value:
        [...group.spellings].sort(
          (a, b) => b[1] - a[1] || context.compare(a[0], b[0]) || (a[0] < b[0] ? -1 : 1),
        )[0]?.[0] ?? segment,
      segment,
      datasets: group.datasets,
    }));
    values.sort((a, b) =>
      facet.key === "year"
        ? b.value.localeCompare(a.value)
        : b.datasets.length - a.datasets.length ||
          context.compare(a.value, b.value) ||
          (a.value < b.value ? -1 : 1),
    );
    result.set(facet.key, values);
  }
  return result;
}
