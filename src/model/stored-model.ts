import type { Dataset } from "./dataset.js";
import type { MetaValue } from "./metas.js";
import { segmentFor } from "./paths.js";
import { checkedSanitized, type SafeHtml } from "./sanitize.js";
import { hasSafeScheme } from "./urls.js";

/**
 * A dataset's model (`toDataset`'s result) as a document of the cache's store, so that a build
 * making every page again with the same documents (new templates, a new title) renders each
 * from its model instead of parsing, validating and modelling the API body again. The
 * document names what it was made from and with: the URL of the body, and the model key (the
 * code's fingerprint, the site language and the origins, see `modelKeyOf` in build.ts). A
 * model made otherwise is not used: the page is made from the body, as it would be without one.
 *
 * The cache folder is not trusted more than the API: a CI cache can be written by others.
 * What a page prints unescaped, or as a link, is checked again when a model is read: its HTML
 * must have the grammar of the sanitizer's output (`checkedSanitized`), its links must be
 * http(s) or mailto, and its page's folder is derived from its id again. Anything else in it
 * is printed escaped, as every value is.
 */
export function modelDocument(dataset: Dataset, key: string, url: string): string {
  // `SafeHtml` serializes as `{ "html": … }`, its one public field.
  return JSON.stringify({ key, url, dataset });
}

/**
 * The dataset a model document holds, if it was made with `key` from the body at `url` and
 * passes the checks above; undefined otherwise (the page is then made from the body).
 */
export function readModelDocument(value: unknown, key: string, url: string): Dataset | undefined {
  const stored = value as { key?: unknown; url?: unknown; dataset?: Dataset } | null;
  if (stored?.key !== key || stored.url !== url || typeof stored.dataset !== "object") {
    return undefined;
  }
  try {
    return datasetOf(stored.dataset);
  } catch (error) {
    // A check failed, or the document is not a model at all.
    if (error instanceof NotUsable || error instanceof TypeError) return undefined;
    throw error;
  }
}

// --- internal ---

class NotUsable extends Error {}

/**
 * The dataset as `toDataset` makes it: JSON leaves out the keys whose value is undefined, so
 * the objects that may have such keys are made again with all of them, in the same order.
 * Objects of one shape keep the templates' property accesses fast: rendering from the parsed
 * JSON as it is took a third longer (10,000 bench datasets, one thread).
 */
function datasetOf(d: Dataset): Dataset {
  return {
    id: d.id,
    uid: d.uid,
    segment: segmentFor(d.id),
    title: d.title,
    description: html(d.description),
    descriptionText: d.descriptionText,
    summary: d.summary,
    publisher: d.publisher,
    modified: d.modified,
    recordsCount: d.recordsCount,
    themes: d.themes,
    keywords: d.keywords,
    license: { name: d.license.name, url: optionalLink(d.license.url) },
    language: d.language,
    features: d.features,
    hasRecords: d.hasRecords,
    dataVisible: d.dataVisible,
    metas: d.metas.map((template) => ({
      name: template.name,
      entries: template.entries.map((entry) => ({
        key: entry.key,
        value: metaValueOf(entry.value),
      })),
    })),
    fields: d.fields.map((field) => ({
      name: field.name,
      label: field.label,
      type: field.type,
      description: field.description,
      annotations: field.annotations,
    })),
    attachments: d.attachments.map((a) => ({
      id: a.id,
      title: a.title,
      mimetype: a.mimetype,
      url: link(a.url),
    })),
    links: {
      self: link(d.links.self),
      records: optionalLink(d.links.records),
      exports: link(d.links.exports),
      portal: link(d.links.portal),
    },
    records: d.records,
  };
}

/** A metadata value with its HTML and links checked again. */
function metaValueOf(value: MetaValue): MetaValue {
  if (value.kind === "html") return { kind: "html", html: html(value.html) };
  if (value.kind === "link") return { kind: "link", url: link(value.url), text: value.text };
  if (value.kind === "list") return { kind: "list", items: value.items.map(metaValueOf) };
  return value;
}

/** Stored sanitized HTML, if it has the grammar of the sanitizer's output. */
function html(stored: unknown): SafeHtml {
  const text = (stored as { html?: unknown } | null)?.html;
  const checked = typeof text === "string" ? checkedSanitized(text) : undefined;
  if (!checked) throw new NotUsable();
  return checked;
}

function link(url: unknown): string {
  if (typeof url !== "string" || !hasSafeScheme(url)) throw new NotUsable();
  return url;
}

function optionalLink(url: unknown): string | undefined {
  return url === undefined ? undefined : link(url);
}
