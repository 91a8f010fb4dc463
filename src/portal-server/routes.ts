import { datasetId, type PortalData, type PortalDataset } from "./portal.js";
import { parseWhere } from "./where.js";

/**
 * The ODS Explore API v2.0 as a pure function: a request in, a status and JSON body out.
 * It reproduces what the crawler depends on, as real portals do it: HATEOAS links with
 * absolute hrefs on the server's own origin, `limit` ≤ 100 and `offset + limit` ≤ 10000
 * (HTTP 400 `InvalidRESTParameterError` beyond, while `last` still points past the cap),
 * 404 `NotFoundResource` for unknown datasets, and dataset ids left raw except for what a
 * URL must encode (`@` stays as is, as ODS prints it).
 */

export interface ApiRequest {
  /** Path segments after `/api/v2`, already percent-decoded. */
  segments: string[];
  query: URLSearchParams;
  /** The server's own origin, written into every href. */
  origin: string;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

export const OFFSET_CAP = 10_000;
export const MAX_LIMIT = 100;

/**
 * Lookups a portal answers often, computed once per catalog: datasets by id, and the result
 * of each `where` filter (a crawler pages through one filtered listing many times).
 */
export class PortalIndex {
  readonly portal: PortalData;
  readonly byId: Map<string, PortalDataset>;
  private readonly filtered = new Map<string, PortalDataset[] | { error: string }>();

  constructor(portal: PortalData) {
    this.portal = portal;
    this.byId = new Map(portal.datasets.map((entry) => [datasetId(entry), entry]));
  }

  /** The datasets matching an ODSQL `where`, in catalog order, or why it cannot be parsed. */
  matching(where: string): PortalDataset[] | { error: string } {
    let result = this.filtered.get(where);
    if (result) {
      // Used again: now the most recent (a Map keeps insertion order).
      this.filtered.delete(where);
    } else {
      const predicate = parseWhere(where);
      result =
        "error" in predicate
          ? predicate
          : this.portal.datasets.filter((entry) => predicate(defaultMetas(entry)));
      // A crawl of 40,000 datasets probes and pages through about 20 filters, and the next
      // crawl the same ones: forget the least recently used beyond 64. (Forgetting the oldest
      // beyond 16 dropped parts still being paged through, whose every page then scanned the
      // whole catalog again.)
      if (this.filtered.size >= 64) this.filtered.delete(this.filtered.keys().next().value ?? "");
    }
    this.filtered.set(where, result);
    return result;
  }
}

export function route(index: PortalIndex, request: ApiRequest): ApiResponse {
  const portal = index.portal;
  const api = `${request.origin}/api/v2`;
  const [first, second, third, fourth] = request.segments;
  if (first === undefined) {
    return ok({
      links: [
        { href: api, rel: "self" },
        { href: `${api}/catalog`, rel: "catalog" },
        { href: `${api}/monitoring`, rel: "monitoring" },
        { href: `${api}/opendatasoft`, rel: "opendatasoft" },
      ],
    });
  }
  if (first !== "catalog") return notFound(`Unknown source ${first}.`);
  if (second === undefined) {
    return ok({
      links: [
        { href: `${api}/catalog`, rel: "self" },
        { href: `${api}/catalog/datasets`, rel: "datasets" },
        { href: `${api}/catalog/exports`, rel: "exports" },
        { href: `${api}/catalog/metadata_templates`, rel: "metadata_templates" },
      ],
    });
  }
  if (second === "exports" && third === "json" && request.segments.length === 3) {
    return ok(portal.datasets.map((entry) => entry.dataset));
  }
  if (second !== "datasets") return notFound(`Unknown catalog resource ${second}.`);
  if (third === undefined) return listing(index, request, api);
  const entry = index.byId.get(third);
  if (!entry) return notFound(`The requested dataset ${third} does not exist.`);
  if (fourth === undefined && request.segments.length === 3) return lookup(entry, api);
  if (fourth === "records" && request.segments.length === 4) return records(entry, request, api);
  return notFound(`Unknown dataset resource ${fourth}.`);
}

/** How ODS prints a dataset id in a URL path. */
export function encodeId(id: string): string {
  return encodeURIComponent(id).replace(/%40/g, "@");
}

// --- internal ---

function listing(index: PortalIndex, request: ApiRequest, api: string): ApiResponse {
  const paging = readPaging(request.query);
  if ("error" in paging) return paging.error;
  const { limit, offset } = paging;
  const where = request.query.get("where");
  const all = where ? index.matching(where) : index.portal.datasets;
  if ("error" in all)
    return { status: 400, body: { error_code: "ODSQLError", message: all.error } };
  const total = all.length;
  // Like the recorded pages, links carry normalised paging parameters only: a client that
  // filters must keep its own query state.
  const href = (at: number) =>
    `${api}/catalog/datasets?limit=${limit}&offset=${at}&timezone=UTC&include_app_metas=False`;
  const links = [
    { rel: "self", href: href(offset) },
    { rel: "first", href: href(0) },
    { rel: "last", href: href(Math.max(0, Math.floor((total - 1) / limit) * limit)) },
  ];
  if (offset + limit < total) links.push({ rel: "next", href: href(offset + limit) });
  return ok({
    total_count: total,
    links,
    datasets: all.slice(offset, offset + limit).map((entry) => ({
      links: datasetLinks(entry, api),
      dataset: entry.dataset,
    })),
  });
}

function defaultMetas(entry: PortalDataset): Record<string, unknown> {
  const metas = entry.dataset.metas as { default?: Record<string, unknown> } | undefined;
  return metas?.default ?? {};
}

function lookup(entry: PortalDataset, api: string): ApiResponse {
  return ok({
    links: datasetLinks(entry, api, { lookup: true }),
    dataset: entry.lookup ?? entry.dataset,
  });
}

function records(entry: PortalDataset, request: ApiRequest, api: string): ApiResponse {
  const paging = readPaging(request.query);
  if ("error" in paging) return paging.error;
  const self = `${api}/catalog/datasets/${encodeId(datasetId(entry))}`;
  const all = entry.records ?? [];
  return ok({
    total_count: all.length,
    links: [{ rel: "self", href: `${self}/records?limit=${paging.limit}&offset=${paging.offset}` }],
    records: all.slice(paging.offset, paging.offset + paging.limit).map((record) => ({
      links: [
        { rel: "self", href: `${self}/records/${encodeURIComponent(String(record.id))}` },
        { rel: "datasets", href: `${api}/catalog/datasets` },
        { rel: "dataset", href: self },
      ],
      record,
    })),
  });
}

/** The rels ODS returns: attachment-only datasets link `attachments` instead of records. */
function datasetLinks(entry: PortalDataset, api: string, options: { lookup?: boolean } = {}) {
  const self = `${api}/catalog/datasets/${encodeId(datasetId(entry))}`;
  const links = [
    { rel: "self", href: self },
    { rel: "datasets", href: `${api}/catalog/datasets` },
  ];
  if (entry.dataset.has_records === false) {
    if (options.lookup) links.push({ rel: "attachments", href: `${self}/attachments` });
    return links;
  }
  links.push(
    { rel: "records", href: `${self}/records` },
    { rel: "exports", href: `${self}/exports` },
    { rel: "facets", href: `${self}/facets` },
  );
  return links;
}

function readPaging(
  query: URLSearchParams,
): { limit: number; offset: number } | { error: ApiResponse } {
  const limit = Number(query.get("limit") ?? 10);
  const offset = Number(query.get("offset") ?? 0);
  if (!Number.isInteger(limit) || limit < -1 || limit > MAX_LIMIT) {
    return badParameter(
      `Invalid value for limit API parameter: ${query.get("limit")} was found but -1 <= limit <= ${MAX_LIMIT} is expected.`,
    );
  }
  if (!Number.isInteger(offset) || offset < 0) {
    return badParameter(
      `Invalid value for offset API parameter: ${query.get("offset")} was found but offset >= 0 is expected.`,
    );
  }
  const size = limit === -1 ? MAX_LIMIT : limit;
  if (offset + size > OFFSET_CAP) {
    return badParameter(
      `Invalid value for sum of offset + limit API parameter: ${offset + size} was found but <= ${OFFSET_CAP} is expected.`,
    );
  }
  return { limit: size, offset };
}

function ok(body: unknown): ApiResponse {
  return { status: 200, body };
}

function notFound(message: string): ApiResponse {
  return { status: 404, body: { error_code: "NotFoundResource", message } };
}

function badParameter(message: string): { error: ApiResponse } {
  return { error: { status: 400, body: { error_code: "InvalidRESTParameterError", message } } };
}
