import { createHash } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fg from "fast-glob";
import * as pagefind from "pagefind";
import { type FacetKey, facetSegment, groupFacets } from "../catalog/facets.js";
import { routes } from "../catalog/routes.js";
import { messageOf, SiteError } from "../errors.js";
import type { DatasetSummary } from "../model/dataset.js";
import type { SiteContext } from "../render/site.js";
import { codeFingerprint } from "../version.js";
import type { Output } from "../write/output.js";

/**
 * The search index: one Pagefind record per dataset (title, description, keywords, themes,
 * publisher, field names and labels), with the catalog's facets as filters, written to
 * `pagefind/` in the site. Pagefind splits it into chunks, so a query downloads a small part
 * of it however large the catalog. Its binary ships in an npm package; nothing is fetched.
 *
 * A large catalog is indexed in parts (`pagefind/`, `pagefind/part-2/`, … listed in
 * `pagefind/parts.json`), one Pagefind process after the other, so the indexer's memory stays
 * under a budget; the search script merges them (Pagefind's `mergeIndex`).
 *
 * Indexing is all-or-nothing in Pagefind, so an unchanged catalog reuses the previous index.
 */
export const SEARCH_DIR = "pagefind";

export interface SearchIndexResult {
  /** Identifies the indexed content; equal keys mean an identical index. */
  key: string;
  reused: boolean;
  files: number;
  /** Pagefind indexes the search runs over, merged in the browser. */
  parts: number;
}

export async function writeSearchIndex(options: {
  datasets: readonly DatasetSummary[];
  site: SiteContext;
  output: Output;
  /** Content keys of the index in the buffer and in the published site. */
  bufferKey: string | undefined;
  liveKey: string | undefined;
  /** Memory Pagefind may use, in bytes: the index is split into parts that stay under it. */
  memoryBudget: number;
}): Promise<SearchIndexResult> {
  const { site, output } = options;
  // Filter values use each facet value's canonical spelling, as its page does.
  const canonical = new Map<string, string>();
  for (const [key, values] of groupFacets(options.datasets, site)) {
    for (const v of values) canonical.set(`${key}\0${v.segment}`, site.facetLabel(key, v.value));
  }
  const labelOf = (key: FacetKey, value: string) =>
    canonical.get(`${key}\0${facetSegment(value)}`) ?? value;
  const recordFor = (dataset: DatasetSummary) => recordOf(dataset, site, labelOf);
  // The key is hashed record by record, and the records are made again only if the index must
  // be: 40,000 of them weigh about 100 MB, and an unchanged index needs none.
  const recordsHash = createHash("sha256");
  const costs: number[] = [];
  for (const dataset of options.datasets) {
    const record = recordFor(dataset);
    costs.push(estimatedMemory(record.content.length));
    recordsHash.update(JSON.stringify(record)).update("\n");
  }
  const parts = planParts(costs, options.memoryBudget);
  // Any change to this code (how records and parts are made) makes a new index.
  const key = createHash("sha256")
    .update(`${await codeFingerprint()}\0${site.lang}\0${parts}\0${recordsHash.digest("hex")}`)
    .digest("hex");
  if (key === options.bufferKey || key === options.liveKey) {
    const files = await output.unchangedTree(SEARCH_DIR, {
      buffer: key === options.bufferKey,
      live: key === options.liveKey,
    });
    if (files > 0) return { key, reused: true, files, parts: parts.length };
  }
  await output.clearTree(SEARCH_DIR);
  const target = join(output.stagingDir, SEARCH_DIR);
  try {
    const records = options.datasets.map(recordFor);
    const split = parts.map((to, i) => records.slice(i === 0 ? 0 : parts[i - 1], to));
    const vocabularies = parts.length > 1 ? missingWords(split.map(contentsOf)) : [];
    for (const [i, part] of split.entries()) {
      const vocabulary = vocabularies[i];
      // One Pagefind process per part, closed before the next starts: its memory is freed.
      await indexPart(
        vocabulary ? [...part, vocabularyRecord(vocabulary, site)] : part,
        site,
        join(target, partDir(i)),
      );
    }
  } catch (error) {
    throw new SiteError(
      `Building the search index failed: ${messageOf(error)}. Run with --skip-search to publish without search.`,
      { cause: error },
    );
  }
  // Pagefind also writes its own search interfaces (the site ships its own small script), and
  // every part but the first is loaded by the first part's script and worker.
  await Promise.all(UNUSED_FILES.map((file) => rm(join(target, file), { force: true })));
  for (let i = 1; i < parts.length; i++) await keepIndexOnly(join(target, partDir(i)));
  await writeFile(
    join(target, PARTS_FILE),
    `${JSON.stringify(parts.slice(1).map((_, i) => partDir(i + 1)))}\n`,
  );
  const files = await output.adopt(SEARCH_DIR);
  return { key, reused: false, files, parts: parts.length };
}

/**
 * The filter that marks each part's vocabulary record, which searches exclude.
 *
 * When a word is missing from an index, Pagefind searches for the longest prefix of it that is
 * there instead ("lauréats" → "la"). Merged parts would then mix that part's prefix matches
 * into another part's real results. So each part holds one more record, never shown: every
 * word of the other parts that it lacks. A word is then missing from a part only when it is
 * missing from the whole catalog, as with a single index.
 */
export const VOCABULARY_FILTER = "vocabulary";

/** The Pagefind filter of one facet value; the search script names it the same way. */
function filterKey(facet: FacetKey, label: string): string {
  return `${facet}:${label}`;
}

/**
 * For each part (the contents of its records), the words of the other parts it lacks. Words
 * are split on white space only, punctuation kept: coarser than Pagefind's own splitting, so
 * the vocabulary covers every word Pagefind will find, at worst with a few spare variants.
 */
export function missingWords(parts: readonly (readonly string[])[]): string[][] {
  const sets = parts.map((contents) => {
    const words = new Set<string>();
    for (const content of contents)
      for (const word of content.toLowerCase().split(/\s+/)) if (word !== "") words.add(word);
    return words;
  });
  return sets.map((own, i) =>
    [...new Set(sets.flatMap((other, j) => (j === i ? [] : [...other])))]
      .filter((word) => !own.has(word))
      .sort(),
  );
}

/**
 * Pagefind's indexer holds every record in memory at once, and far more than its text: 20,000
 * records of ~700 characters peak at 1.14 GB (Pagefind 1.6). Measured on 10,000 to 40,000
 * synthetic records, its peak grows about 8 KB per record plus 75 bytes per character.
 */
export function estimatedMemory(contentLength: number): number {
  return 8_000 + 75 * contentLength;
}

/**
 * Splits records (their estimated memory, in catalog order) into the fewest consecutive parts
 * of about equal weight whose estimates stay about under `budget` (a part may pass its share
 * by half a record at either end); returns where each part ends.
 */
export function planParts(costs: readonly number[], budget: number): number[] {
  const total = costs.reduce((sum, cost) => sum + cost, 0);
  const count = Math.max(1, Math.ceil(total / budget));
  const ends: number[] = [];
  let sum = 0;
  for (const [i, cost] of costs.entries()) {
    // Cut before the record whose middle lies past this part's share of the total.
    if (ends.length < count - 1 && sum + cost / 2 > (total * (ends.length + 1)) / count)
      ends.push(i);
    sum += cost;
  }
  ends.push(costs.length);
  return ends;
}

// --- internal ---

const BATCH = 500;
/** Lists the parts past the first, relative to it, for the search script. */
const PARTS_FILE = "parts.json";
const INDEX_FILES = ["pagefind-entry.json", "index/**", "filter/**", "fragment/**", "*.pf_meta"];

function partDir(i: number): string {
  return i === 0 ? "" : `part-${i + 1}`;
}

async function indexPart(
  records: readonly pagefind.CustomRecord[],
  site: SiteContext,
  outputPath: string,
): Promise<void> {
  try {
    // One fragment file (the text shown in a result) per dataset: bundling them in groups
    // (Pagefind's maxFragments) saves files but makes the metadata every visitor loads a
    // third larger (349 KB instead of 265 KB for 40,000 datasets).
    const created = await pagefind.createIndex({ forceLanguage: site.lang });
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
    const written = await index.writeFiles({ outputPath });
    if (written.errors.length > 0) throw new Error(written.errors.join("; "));
  } finally {
    await pagefind.close();
  }
}

function contentsOf(records: readonly pagefind.CustomRecord[]): string[] {
  return records.map((r) => r.content);
}

function vocabularyRecord(words: readonly string[], site: SiteContext): pagefind.CustomRecord {
  return {
    url: `/${SEARCH_DIR}/vocabulary/`,
    content: words.join(" "),
    language: site.lang,
    meta: { title: "" },
    filters: { [VOCABULARY_FILTER]: ["1"] },
  };
}

/** A merged part needs its index, not its own copy of Pagefind's script and WebAssembly. */
async function keepIndexOnly(dir: string): Promise<void> {
  const keep = new Set(await fg(INDEX_FILES, { cwd: dir }));
  const all = await fg("**/*", { cwd: dir });
  await Promise.all(all.filter((f) => !keep.has(f)).map((f) => rm(join(dir, f))));
}
const UNUSED_FILES = [
  ...["pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css"],
  ...["pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js"],
  // The search script runs Pagefind on the page's thread.
  "pagefind-worker.js",
];

function recordOf(
  dataset: DatasetSummary,
  site: SiteContext,
  labelOf: (key: FacetKey, value: string) => string,
): pagefind.CustomRecord {
  // One filter per facet value ("theme:Environnement"), not one per facet: Pagefind loads a
  // filter's whole chunk to apply it, and a facet's chunk lists every dataset of every value
  // (about 100 KB for the themes of 40,000 datasets), where one value's lists only its own.
  const filters: Record<string, string[]> = {};
  for (const facet of site.facets) {
    if (!facet.searchFilter) continue;
    for (const value of facet.values(dataset, site))
      filters[filterKey(facet.key, labelOf(facet.key, value))] = ["1"];
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
