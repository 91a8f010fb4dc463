import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CrawlIssues } from "./crawl/crawl.js";

/**
 * What a build did, for people (the summary line) and machines (`build-report.json` in the
 * cache folder, never in the published site). Written after failed builds too, with `error`.
 */
export interface BuildReport {
  tool: string;
  ok: boolean;
  error?: string;
  /** The API root crawled, or "demo". */
  portal: string;
  outDir: string;
  datasets: number;
  /** Pages and machine-readable files: written fresh, or reused unchanged from the previous build. */
  pages: {
    total: number;
    rendered: number;
    /** Not rendered: already in place in the rewritten folder (kept) or hard-linked (linked). */
    reused: number;
    kept?: number;
    linked?: number;
    /** Files of the rewritten folder the new site no longer has. */
    removed?: number;
  };
  /**
   * Of which dataset pages; `workers`: the page workers that made them (0: the main thread);
   * `fromModels`: those made from the model the last build stored, not from the document;
   * `early`: those given to the workers while the crawl ran, and how many were done before it
   * ended; `remade`: those made early in another language than the catalog's, made again;
   * `listingAlongside`: whether the listing pages were made while the dataset pages still
   * were (every summary known or at hand), rather than after them.
   */
  datasetPages: {
    rendered: number;
    reused: number;
    workers?: number;
    fromModels?: number;
    early?: { started: number; finished: number; remade: number };
    listingAlongside?: boolean;
  };
  /** Every file of the site, assets and marker included. */
  files: number;
  /** HTTP attempts, retries included. */
  requests: number;
  retries: number;
  listingPages: number;
  /** Listing pages with the same bytes as in the last build, not parsed again. */
  listingPagesKnown: number;
  /** Datasets whose cached body was reused (listing unchanged, or 304 Not Modified). */
  cacheHits: number;
  bytesDownloaded: number;
  /** Bytes of the files written by this build (files kept or linked unchanged cost none). */
  bytesWritten: number;
  /**
   * Milliseconds per phase: model and render are CPU time (the page workers', divided by their
   * number) of the pages made after the crawl, crawl, write and total wall time. Pages made
   * during the crawl (`datasetPages.early`) cost the render phase only what is left of them.
   */
  ms: {
    /** Loading the previous build's manifest. */
    cache?: number;
    crawl: number;
    model: number;
    render: number;
    write: number;
    search?: number;
    /** Swapping the site in, saving the manifest, deleting the old site and stale cache files. */
    publish?: number;
    total: number;
  };
  issues: CrawlIssues;
}

export function emptyIssues(): CrawlIssues {
  return { fallbacks: [], skipped: [], duplicates: [], offOrigin: [], unreachable: 0 };
}

export const REPORT_FILE = "build-report.json";

export async function writeBuildReport(cacheDir: string, report: BuildReport): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const path = join(cacheDir, REPORT_FILE);
  // Phases in pipeline order, whichever ran.
  const order = [
    "cache",
    "crawl",
    "model",
    "render",
    "write",
    "search",
    "publish",
    "total",
  ] as const;
  const ms = Object.fromEntries(
    order.flatMap((k) => (report.ms[k] === undefined ? [] : [[k, Math.round(report.ms[k] ?? 0)]])),
  );
  const rounded = { ...report, ms };
  await writeFile(`${path}.tmp`, `${JSON.stringify(rounded, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}
