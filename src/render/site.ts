import { FACETS, type FacetKey, facetOf, facetSegment } from "../catalog/facets.js";
import { routes } from "../catalog/routes.js";
import type { Annotation } from "../model/dataset.js";
import type { MetaValue } from "../model/metas.js";
import { SafeHtml } from "../model/sanitize.js";
import { escapeHtml } from "./engine.js";
import { createFormat, type Format } from "./format.js";
import { type Lang, MESSAGES, type Messages } from "./i18n.js";

/**
 * What every page knows about the site: its language, formatters, where it is hosted and
 * which portal it mirrors, plus small pure helpers the templates call. Built once per build.
 */
export interface SiteContext {
  title: string;
  lang: Lang;
  t: Messages;
  fmt: Format;
  /** Path prefix of every internal URL: `/` at a domain's root, `/repo/` on GitHub Pages. */
  basePath: string;
  /** The site's public URL, ending with `/`. */
  siteUrl: string;
  routes: typeof routes;
  facets: typeof FACETS;
  /** The portal being mirrored, as printed in links. */
  portal: { origin: string; host: string };
  /** Root-relative URL of a site path (`datasets/x/` → `/repo/datasets/x/`). */
  url(path: string): string;
  /** Absolute URL of a site path, for canonical links, feeds and the sitemap. */
  absolute(path: string): string;
  /** The page of a facet value (`theme`, `Economy` → `/themes/economy--…/`). */
  facetUrl(key: FacetKey, value: string): string;
  /** A facet value as people read it (`geo` → "Map", `fr` → "French"). */
  facetLabel(key: FacetKey, value: string): string;
  /** Calendar year of an ISO date in the site's time zone. */
  yearOf(iso: string): string;
  /** Alphabetical order in the site's language. */
  compare(a: string, b: string): number;
  metaLabel(key: string): string;
  featureName(name: string): string;
  featureExplanation(name: string): string;
  fieldType(type: string): string;
  annotation(annotation: Annotation): string;
  /** A metadata value as HTML: dates in `<time>`, language codes named, everything escaped. */
  metaValue(value: MetaValue, key?: string): SafeHtml;
  /** `fr` → "French" in the site's language; unknown codes stay as they are. */
  languageName(code: string): string;
}

export interface SiteOptions {
  title: string | undefined;
  lang: Lang;
  timeZone: string;
  /** The public URL; its path is the base path of every link. */
  siteUrl: string;
  portalOrigin: string;
}

export function createSite(options: SiteOptions): SiteContext {
  const t = MESSAGES[options.lang];
  const portal = new URL(options.portalOrigin);
  const site = new URL(options.siteUrl);
  const basePath = normalizeBasePath(site.pathname);
  const siteUrl = `${site.origin}${basePath}`;
  const fmt = createFormat(t.locale, options.timeZone);
  const collator = new Intl.Collator(t.locale, { sensitivity: "base", numeric: true });
  const url = (path: string) => basePath + path.replace(/^\/+/, "");
  const languages = new Intl.DisplayNames(t.locale, { type: "language", fallback: "code" });
  // Intl.DisplayNames is slow, and a catalog names a handful of languages on nearly every page.
  const languageNames = new Map<string, string>();
  const languageName = (code: string) => {
    let name = languageNames.get(code);
    if (name === undefined) {
      try {
        name = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/.test(code) ? (languages.of(code) ?? code) : code;
      } catch {
        name = code;
      }
      languageNames.set(code, name);
    }
    return name;
  };
  const metaValue = (value: MetaValue, key?: string): string => {
    switch (value.kind) {
      case "text":
        return escapeHtml(key && LANGUAGE_KEYS.has(key) ? languageName(value.text) : value.text);
      case "html":
        return value.html.html;
      case "link":
        return `<a href="${escapeHtml(value.url)}" rel="nofollow noopener noreferrer">${escapeHtml(value.text)}</a>`;
      case "date": {
        const text = value.dateOnly ? fmt.date(value.iso) : fmt.dateTime(value.iso);
        // HTML allows at most milliseconds; ODS sends microseconds.
        const machine = value.dateOnly ? value.iso : new Date(value.iso).toISOString();
        return `<time datetime="${escapeHtml(machine)}">${escapeHtml(text)}</time>`;
      }
      case "number":
        return escapeHtml(fmt.number(value.value));
      case "boolean":
        return value.value ? t.yes : t.no;
      case "list":
        return value.items.map((item) => metaValue(item, key)).join(", ");
      case "json":
        return `<code>${escapeHtml(value.text.length > 300 ? `${value.text.slice(0, 299)}…` : value.text)}</code>`;
    }
  };
  return {
    title: options.title ?? t.catalogOf(portal.host),
    lang: options.lang,
    t,
    fmt,
    basePath,
    siteUrl,
    routes,
    facets: FACETS,
    portal: { origin: portal.origin, host: portal.host },
    url,
    absolute: (path) => siteUrl + path.replace(/^\/+/, ""),
    facetUrl: (key, value) => url(routes.facetValue(facetOf(key).path, facetSegment(value))),
    facetLabel: (key, value) =>
      key === "feature"
        ? (t.featureNames[value] ?? humanize(value))
        : key === "language"
          ? languageName(value)
          : value,
    yearOf: (iso) => fmt.isoDate(iso).slice(0, 4),
    compare: (a, b) => collator.compare(a, b),
    metaLabel: (key) => t.metaLabels[key] ?? humanize(key),
    featureName: (name) => t.featureNames[name] ?? humanize(name),
    featureExplanation: (name) => t.featureExplanations[name] ?? t.unknownFeature(name),
    fieldType: (type) => t.fieldTypes[type] ?? type,
    annotation: (a) => t.annotation(a.name, a.args),
    metaValue: (value, key) => SafeHtml.trusted(metaValue(value, key)),
    languageName,
  };
}

const LANGUAGE_KEYS = new Set(["language", "metadata_languages"]);

/** `/`, `/repo/`: always leading and trailing slashes, no doubles. */
export function normalizeBasePath(value: string): string {
  const trimmed = value.split("/").filter(Boolean).join("/");
  return trimmed === "" ? "/" : `/${trimmed}/`;
}

/** `date-de-creation` → `Date de creation`; keys the interface has no label for. */
export function humanize(key: string): string {
  const words = key.replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
