import type { Dataset } from "./dataset.js";
import type { MetaValue } from "./metas.js";
import { storedSanitized } from "./sanitize.js";

/**
 * A dataset's model (`toDataset`'s result) as a document of the cache's store, so that a build
 * making every page again with the same documents (new templates, a new title) renders each
 * from its model instead of parsing, validating and sanitizing the API body again: a third of
 * what a page costs. The document names what it was made from and with: the URL of the body,
 * and the model key (the code's fingerprint, the site language and the origins, see
 * `modelKeyOf` in build.ts). A model made otherwise is not used: the page is made from the
 * body, as it would be without one.
 */
export function modelDocument(dataset: Dataset, key: string, url: string): string {
  // `SafeHtml` serializes as `{ "html": … }`, its one public field.
  return JSON.stringify({ key, url, dataset });
}

/**
 * The dataset a model document holds, if it was made with `key` from the body at `url`;
 * undefined otherwise. Not validated field by field: the store checks every document against
 * its hash, and this code, whose fingerprint is in the key, wrote it.
 */
export function readModelDocument(value: unknown, key: string, url: string): Dataset | undefined {
  const stored = value as { key?: unknown; url?: unknown; dataset?: Dataset } | null;
  if (stored?.key !== key || stored.url !== url || typeof stored.dataset !== "object") {
    return undefined;
  }
  return datasetOf(stored.dataset);
}

/**
 * The dataset as `toDataset` makes it: JSON leaves out the keys whose value is undefined, so
 * the objects that may have such keys are made again with all of them, in the same order.
 * Objects of one shape keep the templates' property accesses fast: rendering from the parsed
 * JSON as it is took a third longer (10,000 bench datasets, one thread).
 */
function datasetOf(d: Dataset): Dataset {
  const html = d.description as unknown as { html: string };
  return {
    id: d.id,
    uid: d.uid,
    segment: d.segment,
    title: d.title,
    description: storedSanitized(html.html),
    descriptionText: d.descriptionText,
    summary: d.summary,
    publisher: d.publisher,
    modified: d.modified,
    recordsCount: d.recordsCount,
    themes: d.themes,
    keywords: d.keywords,
    license: { name: d.license.name, url: d.license.url },
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
      url: a.url,
    })),
    links: {
      self: d.links.self,
      records: d.links.records,
      exports: d.links.exports,
      portal: d.links.portal,
    },
    records: d.records,
  };
}

/** A metadata value with its HTML made `SafeHtml` again. */
function metaValueOf(value: MetaValue): MetaValue {
  if (value.kind === "html") {
    return {
      kind: "html",
      html: storedSanitized((value.html as unknown as { html: string }).html),
    };
  }
  if (value.kind === "list") return { kind: "list", items: value.items.map(metaValueOf) };
  return value;
}
