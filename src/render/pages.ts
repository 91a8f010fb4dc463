import type { Dataset, DatasetSummary } from "../model/dataset.js";
import type { OutputFile } from "../write/output.js";
import type { Engine } from "./engine.js";
import type { SiteContext } from "./site.js";

/**
 * Which pages exist, where each is written, and what data its template gets. Pure apart
 * from the engine reading template files once: it returns files, never writes them.
 * Every template receives `{ site, page }`; `page.title` feeds the layout's `<title>`.
 */

export function datasetPath(segment: string): string {
  return `datasets/${segment}/`;
}

export function renderDatasetPage(dataset: Dataset, site: SiteContext, engine: Engine): OutputFile {
  const path = datasetPath(dataset.segment);
  const page = {
    title: dataset.title,
    description: dataset.summary,
    path,
    dataset,
  };
  return { path: `${path}index.html`, contents: engine.render("pages/dataset", { site, page }) };
}

export function renderHomePage(
  datasets: readonly DatasetSummary[],
  site: SiteContext,
  engine: Engine,
): OutputFile {
  const page = {
    title: site.title,
    description: site.t.datasetsCount(datasets.length, site.fmt.number(datasets.length)),
    path: "",
    datasets,
  };
  return { path: "index.html", contents: engine.render("pages/home", { site, page }) };
}

export function renderNotFoundPage(site: SiteContext, engine: Engine): OutputFile {
  const page = { title: site.t.notFoundTitle, description: site.t.notFoundText, path: "404.html" };
  return { path: "404.html", contents: engine.render("pages/not-found", { site, page }) };
}
