import { createHash } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type FacetKey, facetSegment, groupFacets } from "../catalog/facets.js";
import { routes } from "../catalog/routes.js";
import { mapLimit } from "../limit.js";
import type { DatasetSummary } from "../model/dataset.js";
import type { SiteContext } from "../render/site.js";
import { codeFingerprint } from "../version.js";
import { BUILTIN_PUBLIC } from "../write/assets.js";
import type { Output, OutputFile } from "../write/output.js";

/**
 * The search index: an inverted index of the catalog's words, cut into small static JSON files
 * so that a query downloads only the few it needs, however large the catalog. The search
 * page's reader (`public/assets/search-engine.js`) knows this layout:
 *
 * - `meta.json`: the number of datasets, the stop words, and the names of the term shards.
 * - `terms/<n>.json`: one shard, `{word: postings}`, holding every word that starts with its
 *   name (or, for a name whose longer words have shards of their own, that word alone). A word
 *   is found in the shard whose name is its longest prefix among the shard names.
 * - `docs/<n>.json`: what a result shows (path, title, description text) of datasets
 *   `n × DOCS_PER_FILE` onwards, numbered in catalog order.
 * - `filters/<n>.json`: for each facet value offered as a search filter, its datasets; the
 *   value's file is its name's hash modulo the number of files (as many as values, so most
 *   hold one), and every file exists, so a value no dataset has costs no failed request.
 *
 * Postings list a word's datasets in order, each as `gap × 16 + where`: the gap from the
 * previous dataset number, and bits saying where the word appears (`WHERE`), which rank it.
 *
 * Made for catalogs: short texts, tens of thousands of datasets. It indexes 40,000 datasets in
 * a few seconds and a few hundred megabytes, in the build's own process, where a general
 * full-text indexer (Pagefind, used until this index) took 45 s and 1.2 GB. An unchanged
 * catalog reuses the previous index whole.
 */
export const SEARCH_DIR = "search-index";

/** Bits of a posting: where in the dataset the word appears. */
export const WHERE = { title: 1, tags: 2, text: 4, fields: 8 } as const;

/** Words too common to find anything by (French and English), left out of the index. */
export const STOP_WORDS: readonly string[] = [
  ...["au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle"],
  ...["en", "est", "et", "il", "ils", "la", "le", "les", "leur", "leurs", "lui", "mais"],
  ...["ne", "ni", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que"],
  ...["qui", "sa", "se", "ses", "son", "sont", "sur", "un", "une", "vos", "votre", "vous"],
  ...["an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is"],
  ...["it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "with"],
];

/** Datasets per `docs/` file: ten results cost at most ten small downloads. */
export const DOCS_PER_FILE = 16;

export interface SearchIndexResult {
  /** Identifies the indexed content; equal keys mean an identical index. */
  key: string;
  reused: boolean;
  files: number;
}

/** What the build uses of the search page's reader (`public/assets/search-engine.js`). */
interface Reader {
  /** The words of a text as the index and the search page see them. */
  words(text: string): string[];
  /** The file holding a facet value's datasets, of `files` filter files. */
  filterFile(key: string, label: string, files: number): string;
  filterPath(n: number): string;
}

// The index is written with the reader's own functions, so the build and the page always split
// words and name filter files alike.
const reader = (await import(
  pathToFileURL(join(BUILTIN_PUBLIC, "assets", "search-engine.js")).href
)) as Reader;
export const { words, filterFile } = reader;

export async function writeSearchIndex(options: {
  datasets: readonly DatasetSummary[];
  site: SiteContext;
  output: Output;
  /** Content keys of the index in the buffer and in the published site. */
  bufferKey: string | undefined;
  liveKey: string | undefined;
  /** Each dataset's content key (`createSummaryKeys`, shared with the listing pages). */
  keyOf: (dataset: DatasetSummary) => string;
  /** The time zone the year filter counts years in. */
  timeZone: string;
}): Promise<SearchIndexResult> {
  const { site, output } = options;
  // The index is made from the summaries (facet labels included, which follow from them all),
  // the language and the time zone, so these identify it: an unchanged catalog makes no
  // document to compare. Any change to this code (how the index is made) makes a new index.
  const settings = `${await codeFingerprint()}\0${site.lang}\0${options.timeZone}\0`;
  const hash = createHash("sha256").update(settings);
  for (const dataset of options.datasets) hash.update(options.keyOf(dataset)).update("\n");
  const key = hash.digest("hex");
  if (key === options.bufferKey || key === options.liveKey) {
    const files = await output.unchangedTree(SEARCH_DIR, {
      buffer: key === options.bufferKey,
      live: key === options.liveKey,
    });
    if (files > 0) return { key, reused: true, files };
  }
  // Filter values use each facet value's canonical spelling, as its page and the search page do.
  const canonical = new Map<string, string>();
  for (const [key, values] of groupFacets(options.datasets, site)) {
    for (const v of values) canonical.set(`${key}\0${v.segment}`, site.facetLabel(key, v.value));
  }
  const labelOf = (key: FacetKey, value: string) =>
    canonical.get(`${key}\0${facetSegment(value)}`) ?? value;
  const docs = options.datasets.map((dataset) => docOf(dataset, site, labelOf));
  await output.clearTree(SEARCH_DIR);
  const files = indexFiles(docs);
  await mapLimit(files, 16, (file) =>
    output.write({ path: `${SEARCH_DIR}/${file.path}`, contents: file.contents }),
  );
  return { key, reused: false, files: files.length };
}

/** What the index knows of one dataset. */
export interface SearchDoc {
  path: string;
  title: string;
  /** Tags: keywords, themes and publisher. */
  tags: string;
  text: string;
  fields: string;
  /** Filter keys of the facet values it has (`theme\0Environnement`). */
  filters: string[];
}

/** Every file of the index (paths relative to `SEARCH_DIR`), from the catalog's documents. */
export function indexFiles(docs: readonly SearchDoc[]): Array<OutputFile & { contents: string }> {
  const stop = new Set(STOP_WORDS);
  const postings = new Map<string, number[]>();
  const filters = new Map<string, number[]>();
  const seen = new Map<string, number>();
  for (const [id, doc] of docs.entries()) {
    seen.clear();
    for (const [part, bit] of [
      [doc.title, WHERE.title],
      [doc.tags, WHERE.tags],
      [doc.text, WHERE.text],
      [doc.fields, WHERE.fields],
    ] as const) {
      for (const word of words(part))
        if (!stop.has(word)) seen.set(word, (seen.get(word) ?? 0) | bit);
    }
    for (const [word, where] of seen) {
      const list = postings.get(word);
      // Absolute numbers for now; gaps once the list is complete.
      if (list) list.push(id * 16 + where);
      else postings.set(word, [id * 16 + where]);
    }
    for (const filter of doc.filters) {
      const list = filters.get(filter);
      if (list) list.push(id);
      else filters.set(filter, [id]);
    }
  }
  const encoded = new Map<string, string>();
  for (const [word, list] of postings) encoded.set(word, JSON.stringify(gaps(list, 16)));
  const shards = planShards(
    [...encoded.keys()].sort(),
    (word) => word.length + 4 + (encoded.get(word)?.length ?? 0),
  );
  const files: Array<OutputFile & { contents: string }> = [];
  for (const [n, shard] of shards.entries()) {
    const body = shard.words.map((word) => `${JSON.stringify(word)}:${encoded.get(word)}`);
    files.push({ path: `terms/${n}.json`, contents: `{${body.join(",")}}\n` });
  }
  for (let start = 0; start < docs.length; start += DOCS_PER_FILE) {
    const chunk = docs.slice(start, start + DOCS_PER_FILE).map((d) => [d.path, d.title, d.text]);
    files.push({
      path: `docs/${start / DOCS_PER_FILE}.json`,
      contents: `${JSON.stringify(chunk)}\n`,
    });
  }
  // Values whose names hash alike share a file, each under its own name.
  const filterFiles = Math.max(1, filters.size);
  const byFile = new Map<string, Record<string, number[]>>();
  for (let n = 0; n < filterFiles; n++) byFile.set(reader.filterPath(n), {});
  for (const [filter, ids] of [...filters].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // A facet key holds no NUL; a label from the API might, so split at the first only.
    const cut = filter.indexOf("\0");
    const lists = byFile.get(filterFile(filter.slice(0, cut), filter.slice(cut + 1), filterFiles));
    if (lists) lists[filter] = gaps(ids, 1);
  }
  for (const [path, lists] of byFile) files.push({ path, contents: `${JSON.stringify(lists)}\n` });
  const meta = {
    version: 1,
    docs: docs.length,
    docsPerFile: DOCS_PER_FILE,
    filterFiles,
    stopWords: STOP_WORDS,
    shards: shards.map((s) => s.name),
  };
  files.push({ path: "meta.json", contents: `${JSON.stringify(meta)}\n` });
  return files;
}

/** A term shard: its name (a prefix) and its words, sorted. */
export interface Shard {
  name: string;
  words: string[];
}

/** About the most a term shard weighs, in bytes, unless its name is `MAX_PREFIX` long. */
export const SHARD_BYTES = 48_000;
const MAX_PREFIX = 3;

/**
 * Cuts the sorted words into shards named by prefixes: a prefix whose words weigh more than
 * `SHARD_BYTES` is split by its next letter, down to `MAX_PREFIX` letters, and keeps in its
 * own shard only the word equal to it, if any. So a word is always in the shard whose name is
 * the longest of its prefixes among the shard names, with every longer word sharing that
 * prefix: a search for words starting with `don` loads one shard.
 */
export function planShards(sorted: readonly string[], weight: (word: string) => number): Shard[] {
  const shards: Shard[] = [];
  const split = (prefix: string, group: readonly string[]) => {
    const bytes = group.reduce((sum, word) => sum + weight(word), 0);
    if (bytes <= SHARD_BYTES || prefix.length >= MAX_PREFIX) {
      shards.push({ name: prefix, words: [...group] });
      return;
    }
    const own = group.filter((word) => word.length === prefix.length);
    if (own.length > 0) shards.push({ name: prefix, words: own });
    const children = new Map<string, string[]>();
    for (const word of group) {
      if (word.length === prefix.length) continue;
      // Whole code points: a letter outside the BMP is one letter, not two halves.
      const next = prefix + String.fromCodePoint(word.slice(prefix.length).codePointAt(0) ?? 0);
      const list = children.get(next);
      if (list) list.push(word);
      else children.set(next, [word]);
    }
    for (const [child, list] of children) split(child, list);
  };
  split("", sorted);
  return shards.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// --- internal ---

/** Sorted numbers as gaps from the previous one, each times `scale` plus its low bits. */
function gaps(sorted: readonly number[], scale: number): number[] {
  let previous = 0;
  return sorted.map((value) => {
    const id = Math.floor(value / scale);
    const gap = (id - previous) * scale + (value % scale);
    previous = id;
    return gap;
  });
}

function docOf(
  dataset: DatasetSummary,
  site: SiteContext,
  labelOf: (key: FacetKey, value: string) => string,
): SearchDoc {
  const filters: string[] = [];
  for (const facet of site.facets) {
    if (!facet.searchFilter) continue;
    for (const value of facet.values(dataset, site))
      filters.push(`${facet.key}\0${labelOf(facet.key, value)}`);
  }
  return {
    path: routes.dataset(dataset.segment),
    title: dataset.title,
    tags: [...dataset.keywords, ...dataset.themes, dataset.publisher ?? ""].join(" \n "),
    text: dataset.text,
    fields: dataset.fields
      .map((f) => (f.label === f.name ? f.name : `${f.label} ${f.name}`))
      .join(" \n "),
    filters: [...new Set(filters)],
  };
}
