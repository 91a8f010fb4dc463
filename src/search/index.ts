import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import * as pagefind from "pagefind";
import { type FacetKey, facetSegment, groupFacets } from "../catalog/facets.js";
import { routes } from "../catalog/routes.js";
import { messageOf, SiteError } from "../errors.js";
import type { DatasetSummary } from "../model/dataset.js";
import type { SiteContext } from "../render/site.js";
import type { Output } from "../write/output.js";

/**
 * The search index: one Pagefind record per dataset (title, description, keywords, themes,
 * publisher, field names and labels), with the catalog's facets as filters, written to
 * `pagefind/` in the site. Pagefind splits it into chunks, so a query downloads a small part
 * of it however large the catalog. Its binary ships in an npm package; nothing is fetched.
 *
 * Indexing is all-or-nothing in Pagefind, so an unchanged catalog reuses the previous index.
 */
export const SEARCH_DIR = "pagefind";

export interface SearchIndexResult {
  /** Identifies the indexed content; equal keys mean an identical index. */
  key: string;
  reused: boolean;
  files: number;
}

export async function writeSearchIndex(options: {
  datasets: readonly DatasetSummary[];
  site: SiteContext;
  output: Output;
  /** Content keys of the index in the buffer and in the published site. */
  bufferKey: string | undefined;
  liveKey: string | undefined;
}): Promise<SearchIndexResult> {
  const { site, output } = options;
  // Filter values use each facet value's canonical spelling, as its page does.
  const canonical = new Map<string, string>();
  for (const [key, values] of groupFacets(options.datasets, site)) {
    for (const v of values) canonical.set(`${key}\0${v.segment}`, site.facetLabel(key, v.value));
  }
  const labelOf = (key: FacetKey, value: string) =>
    canonical.get(`${key}\0${facetSegment(value)}`) ?? value;
  const records = options.datasets.map((d) => recordOf(d, site, labelOf));
  // Hashed record by record: one JSON string of 40,000 records would be tens of megabytes.
  const hash = createHash("sha256").update(`${VERSION_OF_INDEX}\0${site.lang}\0`);
  for (const record of records) hash.update(JSON.stringify(record)).update("\n");
  const key = hash.digest("hex");
  if (key === options.bufferKey || key === options.liveKey) {
    const files = await output.unchangedTree(SEARCH_DIR, {
      buffer: key === options.bufferKey,
      live: key === options.liveKey,
    });
    if (files > 0) return { key, reused: true, files };
  }
  await output.clearTree(SEARCH_DIR);
  const target = join(output.stagingDir, SEARCH_DIR);
  try {
    // Fragments (the text shown in results) are bundled past 5,000 datasets: 40,000 one-page
    // files would cost more to write and host than they save per query.
    const created = await pagefind.createIndex({ forceLanguage: site.lang, maxFragments: 5000 });
    if (!created.index) throw new Error(created.errors.join("; "));
    const { index } = created;
    // Records go to Pagefind's service in batches: one at a time is three times slower.
    for (let i = 0; i < records.length; i += BATCH) {
      const responses = await Promise.all(
        records.slice(i, i + BATCH).map((r) => index.addCustomRecord(r)),
      );
      const failed = responses.find((r) => r.errors.length > 0);
      if (failed) throw new Error(failed.errors.join("; "));
    }
    const written = await index.writeFiles({ outputPath: target });
    if (written.errors.length > 0) throw new Error(written.errors.join("; "));
  } catch (error) {
    throw new SiteError(
      `Building the search index failed: ${messageOf(error)}. Run with --skip-search to publish without search.`,
      { cause: error },
    );
  } finally {
    await pagefind.close();
  }
  // Pagefind also writes its own search interfaces; the site ships its own small script.
  await Promise.all(UNUSED_FILES.map((file) => rm(join(target, file), { force: true })));
  const files = await output.adopt(SEARCH_DIR);
  return { key, reused: false, files };
}

// --- internal ---

/** Bump when the records change shape, so old indexes are not reused. */
const VERSION_OF_INDEX = 1;
const BATCH = 500;
const UNUSED_FILES = [
  ...["pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css"],
  ...["pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js"],
];

function recordOf(
  dataset: DatasetSummary,
  site: SiteContext,
  labelOf: (key: FacetKey, value: string) => string,
): pagefind.CustomRecord {
  const filters: Record<string, string[]> = {};
  for (const facet of site.facets) {
    if (!facet.searchFilter) continue;
    const values = [...new Set(facet.values(dataset, site).map((v) => labelOf(facet.key, v)))];
    if (values.length > 0) filters[facet.key] = values;
  }
  const content = [
    dataset.title,
    dataset.text,
    dataset.keywords.join(", "),
    dataset.themes.join(", "),
    dataset.publisher ?? "",
    dataset.fields.map((f) => (f.label === f.name ? f.name : `${f.label} ${f.name}`)).join(", "),
  ].join("\n");
  return {
    url: `/${routes.dataset(dataset.segment)}`,
    // No angle brackets reach the index: result excerpts can then never carry markup.
    content: content.replace(/[<>]/g, " "),
    language: site.lang,
    // Titles are shown with textContent: they need no stripping.
    meta: { title: dataset.title },
    filters,
  };
}
