import { routes } from "../catalog/routes.js";
import type { Dataset, DatasetSummary } from "../model/dataset.js";
import { excerpt, SafeHtml } from "../model/sanitize.js";
import { type ExportLink, exportLinks } from "./dataset-view.js";
import { escapeHtml } from "./engine.js";
import type { SiteContext } from "./site.js";

/**
 * What search engines and machines read: schema.org JSON-LD (Google Dataset Search's
 * required and recommended properties), the sitemap, robots.txt and catalog.json. Pure.
 */

type Json = Record<string, unknown>;

/** A schema.org `Dataset` for a dataset page. */
export function datasetJsonLd(
  dataset: Dataset,
  site: SiteContext,
  exports: ExportLink[] = exportLinks(dataset),
): Json {
  const url = site.absolute(routes.dataset(dataset.segment));
  const unit = (annotations: Dataset["fields"][number]["annotations"]) =>
    annotations.find((a) => a.name === "unit")?.args[0];
  const license =
    dataset.license.url ??
    (dataset.license.name ? { "@type": "CreativeWork", name: dataset.license.name } : undefined);
  const organization = dataset.publisher
    ? { "@type": "Organization", name: dataset.publisher }
    : undefined;
  const distribution = [
    ...exports.map((e) => ({
      "@type": "DataDownload",
      name: e.label,
      encodingFormat: e.mimetype,
      contentUrl: e.url,
    })),
    ...dataset.attachments.map((a) => ({
      "@type": "DataDownload",
      name: a.title,
      encodingFormat: a.mimetype || undefined,
      contentUrl: a.url,
    })),
  ];
  // Every page has one: objects of one shape, whose empty properties are undefined (which
  // JSON.stringify leaves out), rather than objects copied key by key without them.
  return {
    "@context": "https://schema.org",
    "@type": "Dataset",
    name: dataset.title,
    description: datasetDescription(dataset, site),
    url,
    sameAs: dataset.links.portal,
    identifier: dataset.uid ? [dataset.id, dataset.uid] : dataset.id,
    keywords: nonEmpty([...dataset.themes, ...dataset.keywords]),
    license,
    isAccessibleForFree: true,
    dateModified: dataset.modified,
    inLanguage: dataset.language,
    creator: organization,
    publisher: organization,
    includedInDataCatalog: {
      "@type": "DataCatalog",
      name: site.title,
      url: site.absolute(routes.home),
    },
    distribution: nonEmpty(distribution),
    // The first 30 fields: enough to describe a dataset, without doubling a wide one's page.
    variableMeasured: nonEmpty(
      dataset.fields.slice(0, 30).map((f) => ({
        "@type": "PropertyValue",
        name: f.label,
        alternateName: f.name === f.label ? undefined : f.name,
        description: f.description,
        unitText: unit(f.annotations),
      })),
    ),
  };
}

/** Google wants 50 to 5,000 characters; short or missing descriptions get an honest sentence. */
export function datasetDescription(dataset: Dataset, site: SiteContext): string {
  const text = dataset.descriptionText;
  if (text.length >= 50) return excerpt(text, 5000);
  const fallback = site.t.descriptionFallback({
    title: dataset.title,
    publisher: dataset.publisher,
    portal: site.portal.host,
    records: dataset.recordsCount ? site.fmt.number(dataset.recordsCount) : undefined,
    fields: dataset.fields.slice(0, 12).map((f) => f.label),
  });
  const combined = text ? `${text} ${fallback}` : fallback;
  return excerpt(combined.length >= 50 ? combined : `${combined} ${site.title}.`, 5000);
}

/** A schema.org `DataCatalog` for the home page. */
export function catalogJsonLd(site: SiteContext, count: number): Json {
  return {
    "@context": "https://schema.org",
    "@type": "DataCatalog",
    name: site.title,
    description: `${site.t.catalogOf(site.portal.host)}: ${site.t.datasetsCount(count, site.fmt.number(count))}.`,
    url: site.absolute(routes.home),
    inLanguage: site.lang,
    sameAs: `${site.portal.origin}/explore/`,
  };
}

/**
 * JSON-LD in a script element that nothing can break out of: `<` is written `\u003c` (no
 * `</script>`), and the line separators JavaScript treats as newlines are escaped too.
 */
export function jsonLdScript(data: Json): SafeHtml {
  const json = JSON.stringify(data);
  // One pass, and none when there is nothing to escape (most pages): every page has one.
  const safe = SCRIPT_UNSAFE.test(json)
    ? json.replace(SCRIPT_UNSAFE_ALL, (c) => SCRIPT_ESCAPES[c] ?? c)
    : json;
  return SafeHtml.trusted(`<script type="application/ld+json">${safe}</script>`);
}

const SCRIPT_UNSAFE = /[<\u2028\u2029]/;
const SCRIPT_UNSAFE_ALL = /[<\u2028\u2029]/g;
const SCRIPT_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

export interface SitemapEntry {
  path: string;
  lastmod?: string | undefined;
}

/** The sitemaps protocol's limit per file. */
export const SITEMAP_LIMIT = 50_000;

/** `sitemap.xml`, or past 50,000 URLs an index of `sitemap-1.xml`, `sitemap-2.xml`, … */
export function sitemapFiles(
  entries: SitemapEntry[],
  site: SiteContext,
): Array<{ path: string; contents: string }> {
  const urlset = (part: SitemapEntry[]) =>
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      ...part.map(
        (e) =>
          `<url><loc>${escapeHtml(site.absolute(e.path))}</loc>${e.lastmod ? `<lastmod>${escapeHtml(e.lastmod)}</lastmod>` : ""}</url>`,
      ),
      "</urlset>",
      "",
    ].join("\n");
  if (entries.length <= SITEMAP_LIMIT) return [{ path: routes.sitemap, contents: urlset(entries) }];
  const parts: Array<{ path: string; contents: string }> = [];
  for (let i = 0; i < entries.length; i += SITEMAP_LIMIT) {
    parts.push({
      path: `sitemap-${parts.length + 1}.xml`,
      contents: urlset(entries.slice(i, i + SITEMAP_LIMIT)),
    });
  }
  const index = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...parts.map((p) => `<sitemap><loc>${escapeHtml(site.absolute(p.path))}</loc></sitemap>`),
    "</sitemapindex>",
    "",
  ].join("\n");
  return [{ path: routes.sitemap, contents: index }, ...parts];
}

export function robotsTxt(site: SiteContext): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${site.absolute(routes.sitemap)}\n`;
}

/**
 * Each field of `catalog.json` is a row `[name, label, type]`, the head naming the columns
 * once: as objects, the repeated key names alone made a fifth of the file.
 */
const FIELD_COLUMNS = ["name", "label", "type"] as const;

/**
 * The whole catalog as data: every dataset with its fields, features and page URL, one line
 * at a time. At 40,000 datasets the file is 60 MB: as one string (two bytes a character as
 * soon as one is outside Latin-1), then encoded and hashed, it was the largest allocation of a
 * build, so it is written as it is made (see `OutputFile`).
 */
export function* catalogJson(
  datasets: readonly DatasetSummary[],
  site: SiteContext,
): Generator<string> {
  const head = JSON.stringify({
    title: site.title,
    url: site.absolute(routes.home),
    portal: site.portal.origin,
    count: datasets.length,
    fieldColumns: FIELD_COLUMNS,
  });
  yield `${head.slice(0, -1)},"datasets":[\n`;
  // One dataset per line keeps the file diff-friendly for people tracking changes in git.
  for (const [index, d] of datasets.entries()) {
    const line = JSON.stringify({
      id: d.id,
      uid: d.uid,
      title: d.title,
      url: site.absolute(routes.dataset(d.segment)),
      portalUrl: d.portalUrl,
      apiUrl: d.apiUrl,
      description: d.text,
      publisher: d.publisher,
      modified: d.modified,
      recordsCount: d.recordsCount,
      themes: d.themes,
      keywords: d.keywords,
      license: d.license,
      licenseUrl: d.licenseUrl,
      language: d.language,
      features: d.features,
      fields: d.fields.map((f) => FIELD_COLUMNS.map((column) => f[column])),
    });
    yield index === 0 ? line : `,\n${line}`;
  }
  yield "\n]}\n";
}

/** Undefined for an empty list, which JSON.stringify then leaves out. */
function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}
