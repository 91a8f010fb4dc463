import { ApiShapeError } from "../errors.js";
import { JsonReader } from "./json-reader.js";
import type {
  OdsAttachment,
  OdsDataset,
  OdsDatasetBody,
  OdsErrorBody,
  OdsField,
  OdsLink,
  OdsLinks,
  OdsListedDataset,
  OdsListingEntry,
  OdsListingPage,
  OdsRecord,
  OdsRecordsPage,
} from "./ods.js";

/**
 * The one place where API JSON becomes typed data. Each function takes the parsed body and
 * the URL it came from; a body of the wrong shape throws `ApiShapeError` naming both the URL
 * and the JSON path. Everything real portals are known to send is accepted (see
 * test/model/parse.test.ts, which runs every recorded sample through these functions).
 */

export function parseLinks(body: unknown, url: string): OdsLinks {
  const reader = new JsonReader(body, url);
  reader.object();
  return { links: readLinks(reader.at("links")) };
}

export function parseListingPage(body: unknown, url: string): OdsListingPage {
  const reader = new JsonReader(body, url);
  const record = reader.object();
  // v2.0 lists under `datasets`, v2.1 under `results`.
  const list = "datasets" in record || !("results" in record) ? "datasets" : "results";
  const entries: OdsListingEntry[] = [];
  const rejected: ApiShapeError[] = [];
  for (const item of reader.at(list).array()) {
    try {
      entries.push(readEntry(item, readListedDataset));
    } catch (error) {
      if (!(error instanceof ApiShapeError)) throw error;
      rejected.push(error);
    }
  }
  return {
    totalCount: reader.at("total_count").optionalNumber(),
    links: readLinks(reader.at("links")),
    entries,
    rejected,
  };
}

export function parseDatasetBody(body: unknown, url: string): OdsDatasetBody {
  return readEntry(new JsonReader(body, url), readDataset);
}

export function parseRecordsPage(body: unknown, url: string): OdsRecordsPage {
  const reader = new JsonReader(body, url);
  const record = reader.object();
  const list = "records" in record || !("results" in record) ? "records" : "results";
  return {
    totalCount: reader.at("total_count").optionalNumber(),
    links: readLinks(reader.at("links")),
    records: reader.at(list).array().map(readRecord),
  };
}

/** Error bodies are best effort: whatever is readable is returned, nothing throws. */
export function parseErrorBody(body: unknown): OdsErrorBody {
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const text = (key: string): string | undefined => {
    const v = record[key];
    return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
  };
  const limit = record.call_limit;
  return {
    code: text("error_code") ?? text("errorcode"),
    message: text("message") ?? text("error"),
    resetTime: text("reset_time"),
    callLimit: typeof limit === "number" ? limit : undefined,
    limitTimeUnit: text("limit_time_unit"),
  };
}

// --- internal ---

function readLinks(reader: JsonReader): OdsLink[] {
  return reader.optionalArray().map((link) => {
    link.object();
    return { href: link.at("href").string(), rel: link.at("rel").string() };
  });
}

function readEntry<D extends OdsListedDataset>(
  reader: JsonReader,
  readData: (reader: JsonReader) => D,
): { links: OdsLink[]; dataset: D; raw: unknown } {
  const record = reader.object();
  // v2.0 wraps the dataset (`{links, dataset}`); v2.1 sends it flat.
  const wrapped = typeof record.dataset === "object" && record.dataset !== null;
  return {
    links: readLinks(reader.at(wrapped ? "links" : "_links")),
    dataset: readData(wrapped ? reader.at("dataset") : reader),
    raw: reader.value,
  };
}

/** What the crawl reads of a listed dataset (a tenth of the cost of reading it whole). */
function readListedDataset(reader: JsonReader): OdsListedDataset {
  reader.object();
  const id = reader.at("dataset_id").string();
  if (id.trim() === "") reader.at("dataset_id").fail("a non-empty dataset id");
  return {
    id,
    uid: reader.at("dataset_uid").text(),
    hasRecords: reader.at("has_records").flag(true),
    dataVisible: reader.at("data_visible").flag(true),
    metas: readMetas(reader.at("metas")),
  };
}

function readDataset(reader: JsonReader): OdsDataset {
  return {
    ...readListedDataset(reader),
    visibility: reader.at("visibility").text(),
    features: reader.at("features").strings(),
    attachments: reader.at("attachments").optionalArray().map(readAttachment),
    alternativeExports: reader.at("alternative_exports").optionalArray().map(readAttachment),
    fields: reader.at("fields").optionalArray().map(readField),
  };
}

function readMetas(reader: JsonReader): Record<string, Record<string, unknown>> {
  if (reader.isMissing()) return {};
  const templates: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(reader.object())) {
    const template = reader.at(name);
    if (template.isMissing()) continue;
    templates[name] = template.object();
  }
  return templates;
}

function readAttachment(reader: JsonReader): OdsAttachment {
  reader.object();
  // The attachments endpoint nests the same keys under `metas`; the OpenAPI example spells
  // the type `mime-type`.
  const source = reader.at("metas").isMissing() ? reader : reader.at("metas");
  source.object();
  return {
    id: source.at("id").text() ?? source.at("title").string(),
    title: source.at("title").text(),
    mimetype: source.at("mimetype").text() ?? source.at("mime-type").text(),
    url: source.at("url").text() ?? reader.at("href").text(),
    description: source.at("description").text(),
  };
}

function readField(reader: JsonReader): OdsField {
  const record = reader.object();
  const labels: Record<string, string> = {};
  const descriptions: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    // Most keys are neither: a cheap test first (a dataset has up to hundreds of fields).
    if (!key.startsWith("label_") && !key.startsWith("description_")) continue;
    const match = /^(label|description)_([a-z]{2,3}(?:[-_][A-Za-z]{2,4})?)$/.exec(key);
    if (match?.[1] && match[2] && typeof value === "string" && value !== "") {
      (match[1] === "label" ? labels : descriptions)[match[2]] = value;
    }
  }
  return {
    name: reader.at("name").string(),
    label: reader.at("label").text(),
    type: reader.at("type").text() ?? "text",
    description: reader.at("description").text(),
    annotations: readAnnotations(reader.at("annotations")),
    labels,
    descriptions,
  };
}

/**
 * ODS has sent annotations as `{}`, `[]`, `{facet: true}`, `{facet: []}`,
 * `{facetsort: "-count"}` and `{multivalued: [","]}`; very old bodies used a list of
 * `{name, args}`. All become one object keyed by annotation name.
 */
function readAnnotations(reader: JsonReader): Record<string, unknown> {
  const value = reader.value;
  if (Array.isArray(value)) {
    const annotations: Record<string, unknown> = {};
    for (const item of value) {
      if (typeof item === "string") annotations[item] = true;
      else if (typeof item === "object" && item !== null && "name" in item) {
        const { name, args } = item as { name: unknown; args?: unknown };
        if (typeof name === "string") annotations[name] = args ?? true;
      }
    }
    return annotations;
  }
  if (typeof value === "object" && value !== null) return { ...value };
  return {};
}

function readRecord(reader: JsonReader): OdsRecord {
  const record = reader.object();
  // v2.0 wraps values as `{record: {id, fields}}`; v2.1 and `group_by` rows are flat.
  if (typeof record.record === "object" && record.record !== null) {
    const inner = reader.at("record");
    return { id: inner.at("id").text(), fields: inner.at("fields").object() };
  }
  const fields = Object.fromEntries(Object.entries(record).filter(([k]) => !k.startsWith("_")));
  return { id: reader.at("_id").text(), fields };
}
