import { createHash } from "node:crypto";
import { type MetaTemplate, readMetaTemplates } from "./metas.js";
import type { OdsDataset, OdsDatasetBody, OdsField, OdsLink, OdsRecord } from "./ods.js";
import { segmentFor } from "./paths.js";
import { collapse, excerpt, type SafeHtml, sanitize, toPlainText } from "./sanitize.js";
import { appendPath, safeUrl } from "./urls.js";

/** One dataset, validated, localised and safe to print: what a dataset page needs. */
export interface Dataset {
  id: string;
  uid: string | undefined;
  /** Folder name of the dataset's page under `datasets/`. */
  segment: string;
  title: string;
  description: SafeHtml;
  /** Plain text of the description, whitespace collapsed. */
  descriptionText: string;
  summary: string;
  publisher: string | undefined;
  modified: string | undefined;
  recordsCount: number | undefined;
  features: string[];
  themes: string[];
  keywords: string[];
  license: { name: string | undefined; url: string | undefined };
  language: string | undefined;
  hasRecords: boolean;
  dataVisible: boolean;
  /** `metas.default` first, then every other template by name. */
  metas: MetaTemplate[];
  fields: Field[];
  attachments: Attachment[];
  links: DatasetLinks;
  records: OdsRecord[];
}

/** The fields of a dataset that listings, facets and search need: small enough to keep 40,000. */
export type DatasetSummary = Pick<
  Dataset,
  | "id"
  | "uid"
  | "segment"
  | "title"
  | "summary"
  | "publisher"
  | "modified"
  | "recordsCount"
  | "features"
  | "themes"
  | "keywords"
  | "language"
> & {
  /** Plain-text description, cut at 500 characters: for search and catalog.json. */
  text: string;
  license: string | undefined;
  licenseUrl: string | undefined;
  fields: Array<{ name: string; label: string; type: string }>;
  /** The dataset on the portal, and its API resource. */
  portalUrl: string;
  apiUrl: string;
};

export interface Field {
  name: string;
  label: string;
  type: string;
  description: string | undefined;
  annotations: Annotation[];
}

/** An annotation by name with its arguments as strings (`facetsort` → `["-count"]`). */
export interface Annotation {
  name: string;
  args: string[];
}

export interface Attachment {
  id: string;
  title: string;
  mimetype: string | undefined;
  url: string;
}

/** Public URLs (on the portal's public origin) for the dataset's API resources and page. */
export interface DatasetLinks {
  self: string;
  records: string | undefined;
  exports: string;
  portal: string;
}

export interface ModelContext {
  /** The URL the dataset body came from. */
  url: string;
  /** Rewrites an API URL to the origin printed on pages (see `publicUrl`). */
  publicUrl: (url: string) => string;
  /** Site language: translated metas (`title_en`) win over the default ones when present. */
  lang: string;
  /** First records of the dataset, when a sample was fetched. */
  records?: OdsRecord[];
}

/** Turns a validated API body into the dataset a page shows. Pure. */
export function toDataset(body: OdsDatasetBody, context: ModelContext): Dataset {
  const { dataset } = body;
  const defaults = dataset.metas.default ?? {};
  const pick = (key: string): unknown => {
    const translated = defaults[`${key}_${context.lang}`];
    return isBlank(translated) ? defaults[key] : translated;
  };
  const links = datasetLinks(body, context);
  const descriptionHtml =
    typeof pick("description") === "string" ? String(pick("description")) : "";
  const description = sanitize(descriptionHtml, { base: links.portal });
  const descriptionText = description.text();
  // What the page's summary list shows, so the metadata table need not repeat it.
  const facts = {
    publisher: text(pick("publisher")),
    modified: text(defaults.modified),
    recordsCount: typeof defaults.records_count === "number" ? defaults.records_count : undefined,
    themes: strings(pick("theme")),
    keywords: strings(pick("keyword")),
    license: { name: text(pick("license")), url: safeUrl(pick("license_url")) },
    language: text(defaults.language),
  };
  return {
    id: dataset.id,
    uid: dataset.uid,
    segment: segmentFor(dataset.id),
    title: text(pick("title")) ?? dataset.id,
    description,
    descriptionText,
    // Search snippets and listing cards show about this much: longer only weighs every listing.
    summary: excerpt(descriptionText, 160),
    ...facts,
    features: [...new Set(dataset.features)].sort(),
    hasRecords: dataset.hasRecords,
    dataVisible: dataset.dataVisible,
    metas: readMetaTemplates(dataset.metas, { base: links.portal, shown: shownKeys(facts) }),
    fields: dataset.fields.map((field) => toField(field, context.lang)),
    attachments: dataset.attachments.map((a) => ({
      id: a.id,
      title: a.title ?? a.id,
      mimetype: a.mimetype,
      url: context.publicUrl(appendPath(apiSelf(body, context), "attachments", a.id)),
    })),
    links,
    records: context.records ?? [],
  };
}

export function summarize(dataset: Dataset): DatasetSummary {
  return {
    id: dataset.id,
    uid: dataset.uid,
    segment: dataset.segment,
    title: dataset.title,
    summary: dataset.summary,
    text: excerpt(dataset.descriptionText, 500),
    publisher: dataset.publisher,
    modified: dataset.modified,
    recordsCount: dataset.recordsCount,
    features: dataset.features,
    themes: dataset.themes,
    keywords: dataset.keywords,
    license: dataset.license.name,
    licenseUrl: dataset.license.url,
    language: dataset.language,
    fields: dataset.fields.map(({ name, label, type }) => ({ name, label, type })),
    portalUrl: dataset.links.portal,
    apiUrl: dataset.links.self,
  };
}

/** A summary's content key: SHA-1 of its JSON. Page workers make it beside the summary. */
export function summaryKey(summary: DatasetSummary): string {
  return createHash("sha1").update(JSON.stringify(summary)).digest("hex");
}

/** `createSummaryKeys`: a summary's key, and keys made elsewhere (a page worker) taken in. */
export interface SummaryKeys {
  (summary: DatasetSummary): string;
  /** Takes in the key a page worker made of this summary (or of its unshared copy). */
  learn(summary: DatasetSummary, key: string): void;
}

/**
 * Each summary's content key (`summaryKey`), made once per summary object: the listing
 * pages' input keys and the search index's key are both made of them. `known` are keys the
 * last build made of the summaries it left in its manifest (`ManifestEntry.summaryHash`).
 */
export function createSummaryKeys(
  known: Iterable<readonly [DatasetSummary, string]> = [],
): SummaryKeys {
  const keys = new WeakMap<DatasetSummary, string>(known);
  const keyOf = (summary: DatasetSummary) => {
    let key = keys.get(summary);
    if (key === undefined) {
      key = summaryKey(summary);
      keys.set(summary, key);
    }
    return key;
  };
  return Object.assign(keyOf, {
    learn(summary: DatasetSummary, key: string) {
      keys.set(summary, key);
    },
  });
}

/**
 * Summaries made in page workers reach the main thread as copies, each of 40,000 with its own
 * copy of the same publisher, license, themes, keywords and field names. This keeps one copy
 * of each such value (and of a text equal to the summary), which makes a large catalog's
 * summaries markedly smaller in memory. Values unique to a dataset are left as they are; keys
 * keep their order, so a summary serializes as before.
 */
export function createSummarySharing(): (summary: DatasetSummary) => DatasetSummary {
  const pool = new Map<string, string>();
  const share = (value: unknown): unknown => {
    if (typeof value === "string") {
      if (value.length > SHARED_LENGTH) return value;
      const known = pool.get(value);
      if (known !== undefined) return known;
      pool.set(value, value);
      return value;
    }
    if (Array.isArray(value)) return value.map(share);
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, share(v)]));
    }
    return value;
  };
  // The same summary shared twice, or a shared one shared again, gives the same object (and so
  // the same `createSummaryKeys` entry).
  const made = new WeakMap<DatasetSummary, DatasetSummary>();
  return (summary) => {
    const known = made.get(summary);
    if (known) return known;
    const shared: Record<string, unknown> = { ...summary };
    for (const key of SHARED_KEYS) if (key in summary) shared[key] = share(summary[key]);
    if (summary.text === summary.summary) shared.text = summary.summary;
    made.set(summary, shared as DatasetSummary);
    made.set(shared as DatasetSummary, shared as DatasetSummary);
    return shared as DatasetSummary;
  };
}

/** Summary values that repeat across datasets. */
const SHARED_KEYS = [
  "publisher",
  "features",
  "themes",
  "keywords",
  "license",
  "licenseUrl",
  "language",
  "fields",
] as const;
/** Longer strings are rarely repeated: not worth a lookup. */
const SHARED_LENGTH = 200;

/** The dataset's declared language (`metas.default.language`), lowercased. */
export function languageOf(dataset: Pick<OdsDataset, "metas">): string | undefined {
  const value = dataset.metas.default?.language;
  return typeof value === "string" && value.trim() !== "" ? value.trim().toLowerCase() : undefined;
}

/** A rel's href from a `links` array. */
export function linkOf(links: OdsLink[], rel: string): string | undefined {
  return links.find((link) => link.rel === rel)?.href;
}

// --- internal ---

/**
 * The `metas.default` keys a dataset page's summary prints (publisher, themes, license, …),
 * so its metadata table does not print them a second time.
 */
function shownKeys(
  facts: Pick<
    Dataset,
    "publisher" | "modified" | "recordsCount" | "themes" | "keywords" | "license" | "language"
  >,
): Set<string> {
  const shown: Array<[string, boolean]> = [
    ["publisher", facts.publisher !== undefined],
    ["theme", facts.themes.length > 0],
    ["keyword", facts.keywords.length > 0],
    ["license", facts.license.name !== undefined],
    ["language", facts.language !== undefined],
    ["modified", facts.modified !== undefined],
    ["records_count", facts.recordsCount !== undefined],
  ];
  return new Set(shown.filter(([, isShown]) => isShown).map(([key]) => key));
}

function apiSelf(body: OdsDatasetBody, context: ModelContext): string {
  return linkOf(body.links, "self") ?? context.url;
}

function datasetLinks(body: OdsDatasetBody, context: ModelContext): DatasetLinks {
  const self = apiSelf(body, context);
  const records = body.dataset.hasRecords
    ? (linkOf(body.links, "records") ?? appendPath(self, "records"))
    : undefined;
  const portal = new URL(context.publicUrl(self)).origin;
  return {
    self: context.publicUrl(self),
    records: records && context.publicUrl(records),
    exports: context.publicUrl(linkOf(body.links, "exports") ?? appendPath(self, "exports")),
    portal: `${appendPath(portal, "explore", "dataset", body.dataset.id)}/`,
  };
}

function toField(field: OdsField, lang: string): Field {
  const description = field.descriptions[lang] ?? field.description;
  return {
    name: field.name,
    label: field.labels[lang] ?? field.label ?? field.name,
    type: field.type,
    description: description ? toPlainText(description) || undefined : undefined,
    annotations: Object.entries(field.annotations)
      .filter(([, value]) => value !== false && value !== null)
      .map(([name, value]) => ({ name, args: annotationArgs(value) }))
      .sort((a, b) => a.name.localeCompare(b.name, "en")),
  };
}

function annotationArgs(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string" || typeof value === "number") return [String(value)];
  return [];
}

/** A display string: numbers accepted, whitespace runs collapsed, blank means absent. */
function text(value: unknown): string | undefined {
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return undefined;
  const collapsed = collapse(value);
  return collapsed === "" ? undefined : collapsed;
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  const out = list.flatMap((item) => {
    const s = text(item);
    return s ? [s] : [];
  });
  return [...new Set(out)];
}

function isBlank(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === "" ||
    (Array.isArray(value) && value.length === 0)
  );
}
