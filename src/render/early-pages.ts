import { datasetPagePath } from "../catalog/routes.js";
import type { CrawlEntry } from "../crawl/crawl.js";
import type { DatasetSummary } from "../model/dataset.js";
import { catalogLanguage, type Lang } from "./i18n.js";
import type { PageSettings } from "./page-maker.js";
import { type PagePool, startPagePool, workersFor } from "./page-pool.js";
import type { PageResult } from "./page-worker.js";

/**
 * Dataset pages made while the crawl still runs. Once enough datasets need a new page to be
 * worth page workers, the workers start and take each dataset as soon as its document is
 * stored: their CPU time fills the crawl's waits for the portal, instead of coming after it.
 *
 * A dataset's page depends on the rest of the catalog only through the interface language,
 * the one most datasets declare (unless `--lang` sets it). Pages are made early in the
 * language of the datasets settled by then, and kept only if the whole catalog's turns out
 * the same, which it does on nearly every portal; otherwise they are made again. So the site
 * is the one a build making every page after the crawl publishes, byte for byte.
 */
export interface EarlyPages {
  /** The crawl settled this dataset; a page it needs is made now, or once workers start. */
  add(entry: CrawlEntry): void;
  /**
   * After the crawl, with the site's final settings: the pages made or under way, if they were
   * made with these settings; otherwise, once the workers are done with them, which datasets
   * must have their page made again (even if an older copy of it seems reusable).
   */
  finish(settings: PageSettings): Promise<EarlyResult>;
  /** Stops the workers unless `finish` handed them over (the build failed). */
  close(): Promise<void>;
}

export interface EarlyResult {
  made: PremadePages | undefined;
  spoiled: ReadonlySet<string>;
  /** Pages given to the workers during the crawl, done by its end, and to be made again. */
  counts: { started: number; finished: number; remade: number };
}

export interface PremadePages {
  pool: PagePool;
  workers: number;
  /** What each worker answered or will answer, by dataset id, its summary shared. */
  results: ReadonlyMap<string, Promise<PageResult>>;
  /** The answers in so far. */
  settled: ReadonlyMap<string, PageResult>;
}

export interface EarlyPagesOptions {
  /** The page settings, for an interface language. */
  settingsFor(lang: Lang): PageSettings;
  /** `--lang`: the language is then known from the start. */
  lang: Lang | undefined;
  cacheDir: string;
  /** The new site's folder (`Output.stagingDir`), and whether it was made empty (`Output.fresh`). */
  stagingDir: string;
  fresh: boolean;
  /**
   * The build's `createSummarySharing`: each summary is shared as it arrives, while the crawl
   * runs, rather than all together once it is over, when the main thread would keep the
   * workers waiting for their next jobs (a second and more at 40,000 datasets).
   */
  share: (summary: DatasetSummary) => DatasetSummary;
}

export function startEarlyPages(options: EarlyPagesOptions): EarlyPages {
  const languages: Array<string | undefined> = [];
  const waiting: CrawlEntry[] = [];
  const results = new Map<string, Promise<PageResult>>();
  const settled = new Map<string, PageResult>();
  let started: { pool: PagePool; workers: number; settings: PageSettings } | undefined;
  let over = false;

  const submit = (pool: PagePool, entry: CrawlEntry) => {
    const path = datasetPagePath(entry.id);
    const result = pool
      .make({ doc: entry.doc, url: entry.url, path, summary: true })
      .then((made) =>
        made.ok && made.summary ? { ...made, summary: options.share(made.summary) } : made,
      );
    // Awaited after the crawl, where a failure fails the build; until then it must not be
    // reported as unhandled.
    result.then(
      (made) => settled.set(entry.id, made),
      () => undefined,
    );
    results.set(entry.id, result);
  };
  const stop = async () => {
    over = true;
    const pool = started?.pool;
    started = undefined;
    await pool?.close();
  };

  return {
    add(entry) {
      languages.push(entry.language);
      // An unchanged dataset keeps its page, unless the templates changed: decided later.
      if (over || !entry.changed) return;
      if (started) return submit(started.pool, entry);
      waiting.push(entry);
      const workers = workersFor(waiting.length);
      if (workers === 0) return;
      const settings = options.settingsFor(options.lang ?? catalogLanguage(languages));
      const { cacheDir, stagingDir, fresh } = options;
      const setup = { settings, cacheDir, stagingDir, fresh };
      // The crawl's own thread needs a core while it runs: one worker fewer until it is over.
      started = { pool: startPagePool(setup, Math.max(1, workers - 1)), workers, settings };
      for (const early of waiting.splice(0)) submit(started.pool, early);
    },
    async finish(settings) {
      over = true;
      const counts = { started: results.size, finished: settled.size, remade: 0 };
      if (!started) return { made: undefined, spoiled: new Set(), counts };
      if (JSON.stringify(started.settings) === JSON.stringify(settings)) {
        // The pool is the caller's from now on, to make the other pages and close.
        const { pool, workers } = started;
        started = undefined;
        pool.grow(workers);
        return { made: { pool, workers, results, settled }, spoiled: new Set(), counts };
      }
      // Made in another language. Each page is written before its result comes back: once
      // every result is in, nothing of theirs can overwrite a page made again.
      await Promise.allSettled(results.values());
      await stop();
      counts.remade = results.size;
      return { made: undefined, spoiled: new Set(results.keys()), counts };
    },
    close: stop,
  };
}
