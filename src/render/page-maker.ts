import type { Store, StoredDataset } from "../cache/store.js";
import { CacheError } from "../errors.js";
import { type Dataset, type DatasetSummary, summarize, toDataset } from "../model/dataset.js";
import type { OdsRecord } from "../model/ods.js";
import { parseDatasetBody } from "../model/parse.js";
import { modelDocument, readModelDocument } from "../model/stored-model.js";
import { swapOrigin } from "../model/urls.js";
import type { OutputFile } from "../write/output.js";
import { createEngine, type Engine } from "./engine.js";
import { renderDatasetPage } from "./pages.js";
import { createSite, type SiteContext, type SiteOptions } from "./site.js";

/**
 * Makes a dataset's page from its stored document (parse, model, render, summarize), or from
 * the model an earlier build stored (stored-model.ts), which skips the first two. The same
 * code runs on the main thread and in the page workers (page-worker.ts), so it is set up from
 * plain settings that can be sent to a worker, from which each thread builds its own site
 * context and template engine. Apart from the engine reading template files once, its only
 * I/O is the store's: reading a model, saving one.
 */
export interface PageSettings {
  site: SiteOptions;
  /** The user's templates folder, if any. */
  templates: string | undefined;
  /** API links are printed on the portal's public origin instead of the crawled one. */
  crawlOrigin: string;
  publicOrigin: string;
  /**
   * What a dataset's model depends on besides its document (`modelKeyOf` in build.ts): a
   * model stored in the cache is used only when made with the same key.
   */
  modelKey: string;
}

export interface MadePage {
  file: OutputFile & { contents: string };
  summary: DatasetSummary;
  /** Store key of the dataset's model the page was made from, or saved as for the next build. */
  model: string | undefined;
  /** Whether the page was made from a stored model rather than from the document. */
  fromModel: boolean;
  /** Milliseconds spent modelling (parsing included) and rendering: CPU time, nothing awaited. */
  modelMs: number;
  renderMs: number;
}

export interface PageMaker {
  /**
   * Makes the page of a stored document fetched from `url`, saving the dataset's model in the
   * store when there is one; throws `ApiShapeError` on a bad body.
   */
  fromDocument(stored: StoredDataset, url: string): MadePage;
  /**
   * Makes the page from the dataset's model stored under `key`, if it is there, undamaged,
   * and made from `url`'s body with these settings; undefined otherwise (make it from the
   * document then).
   */
  fromModel(key: string, url: string): MadePage | undefined;
}

export function createPageMaker(
  settings: PageSettings,
  options: {
    /** Where the models are saved and read; without one, pages are made from documents. */
    store?: Store;
    /** The site and engine this thread already has for these settings. */
    built?: { site: SiteContext; engine: Engine };
  } = {},
): PageMaker {
  const { store, built } = options;
  const site = built?.site ?? createSite(settings.site);
  const engine = built?.engine ?? createEngine({ userTemplates: settings.templates });
  const model = modeller(settings, site);
  const page = (dataset: Dataset, started: number, key: string | undefined, fromModel: boolean) => {
    const modelMs = performance.now() - started;
    const t = performance.now();
    const file = renderDatasetPage(dataset, site, engine);
    const renderMs = performance.now() - t;
    return { file, summary: summarize(dataset), model: key, fromModel, modelMs, renderMs };
  };
  return {
    fromDocument(stored, url) {
      const started = performance.now();
      const dataset = model(stored, url);
      const key = store?.add(modelDocument(dataset, settings.modelKey, url));
      return page(dataset, started, key, false);
    },
    fromModel(key, url) {
      if (!store) return undefined;
      const started = performance.now();
      let dataset: Dataset | undefined;
      try {
        dataset = readModelDocument(store.getSync(key), settings.modelKey, url);
      } catch (error) {
        // Missing, damaged or not JSON: the document is at hand, and the model is made again.
        if (error instanceof CacheError || error instanceof SyntaxError) return undefined;
        throw error;
      }
      return dataset && page(dataset, started, key, true);
    },
  };
}

/**
 * The summary `createPageMaker`'s page would come with, without the page: for the listing
 * pages, when they can be made before the last dataset pages are.
 */
export function createSummaryMaker(
  settings: PageSettings,
  site: SiteContext,
): (stored: StoredDataset, url: string) => DatasetSummary {
  const model = modeller(settings, site);
  return (stored, url) => summarize(model(stored, url));
}

// --- internal ---

/** A stored document as the dataset its page shows; throws `ApiShapeError` on a bad body. */
function modeller(settings: PageSettings, site: SiteContext) {
  const publicUrl = (url: string) => swapOrigin(url, settings.crawlOrigin, settings.publicOrigin);
  return (stored: StoredDataset, url: string) =>
    toDataset(parseDatasetBody(stored.body, url), {
      url,
      publicUrl,
      lang: site.lang,
      records: readRecords(stored.records),
    });
}

/** The stored sample is ours, but the store is a file on disk: keep only well-formed records. */
function readRecords(records: unknown): OdsRecord[] {
  if (!Array.isArray(records)) return [];
  return records.filter(
    (r): r is OdsRecord =>
      typeof r === "object" &&
      r !== null &&
      typeof (r as OdsRecord).fields === "object" &&
      (r as OdsRecord).fields !== null,
  );
}
