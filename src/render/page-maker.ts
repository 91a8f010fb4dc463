import type { StoredDataset } from "../cache/store.js";
import { type DatasetSummary, summarize, toDataset } from "../model/dataset.js";
import type { OdsRecord } from "../model/ods.js";
import { parseDatasetBody } from "../model/parse.js";
import { swapOrigin } from "../model/urls.js";
import type { OutputFile } from "../write/output.js";
import { createEngine, type Engine } from "./engine.js";
import { renderDatasetPage } from "./pages.js";
import { createSite, type SiteContext, type SiteOptions } from "./site.js";

/**
 * Makes a dataset's page from its stored document: parse, model, render, summarize. The same
 * code runs on the main thread and in the page workers (page-worker.ts), so it is set up from
 * plain settings that can be sent to a worker, from which each thread builds its own site
 * context and template engine. Pure apart from the engine reading template files once.
 */
export interface PageSettings {
  site: SiteOptions;
  /** The user's templates folder, if any. */
  templates: string | undefined;
  /** API links are printed on the portal's public origin instead of the crawled one. */
  crawlOrigin: string;
  publicOrigin: string;
}

export interface MadePage {
  file: OutputFile & { contents: string };
  summary: DatasetSummary;
  /** Milliseconds spent modelling (parsing included) and rendering: CPU time, nothing awaited. */
  modelMs: number;
  renderMs: number;
}

/** Makes the page of a stored document fetched from `url`; throws `ApiShapeError` on a bad body. */
export type PageMaker = (stored: StoredDataset, url: string) => MadePage;

export function createPageMaker(
  settings: PageSettings,
  /** The site and engine this thread already has for these settings. */
  built?: { site: SiteContext; engine: Engine },
): PageMaker {
  const site = built?.site ?? createSite(settings.site);
  const engine = built?.engine ?? createEngine({ userTemplates: settings.templates });
  const model = modeller(settings, site);
  return (stored, url) => {
    let t = performance.now();
    const dataset = model(stored, url);
    const modelMs = performance.now() - t;
    t = performance.now();
    const file = renderDatasetPage(dataset, site, engine);
    const renderMs = performance.now() - t;
    return { file, summary: summarize(dataset), modelMs, renderMs };
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
