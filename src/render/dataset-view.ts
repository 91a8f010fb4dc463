import type { Dataset } from "../model/dataset.js";
import { collapse } from "../model/sanitize.js";
import { appendPath } from "../model/urls.js";
import type { SiteContext } from "./site.js";

/**
 * What a dataset page shows beyond its metadata, computed from the dataset: the record
 * sample as a table, the export formats it supports, and a ready `curl` example built from
 * its real fields. Pure.
 */

export interface RecordsTable {
  columns: Array<{ name: string; label: string }>;
  rows: string[][];
  /** Fields the dataset has, when more than the columns shown. */
  fieldCount: number;
}

export interface ExportLink {
  format: string;
  label: string;
  mimetype: string;
  url: string;
}

/** Columns beyond this make a sample table unreadable on a phone; the downloads have them all. */
const MAX_COLUMNS = 10;
const MAX_CELL = 90;

export function recordsTable(dataset: Dataset, site: SiteContext): RecordsTable | undefined {
  if (dataset.records.length === 0) return undefined;
  const fromFields = dataset.fields.map((f) => ({ name: f.name, label: f.label, type: f.type }));
  const fields =
    fromFields.length > 0
      ? fromFields
      : [...new Set(dataset.records.flatMap((r) => Object.keys(r.fields)))].map((name) => ({
          name,
          label: name,
          type: "text",
        }));
  const columns = fields.slice(0, MAX_COLUMNS);
  return {
    columns: columns.map(({ name, label }) => ({ name, label })),
    rows: dataset.records.map((record) =>
      columns.map((field) => cell(record.fields[field.name], field.type, site)),
    ),
    fieldCount: fields.length,
  };
}

/** The export formats the portal offers for this dataset, most useful first. */
export function exportLinks(dataset: Dataset): ExportLink[] {
  if (!dataset.hasRecords) return [];
  const geo = hasGeo(dataset);
  const formats: Array<[string, string, string, boolean]> = [
    ["csv", "CSV", "text/csv", true],
    ["xls", "Excel", "application/vnd.ms-excel", true],
    ["json", "JSON", "application/json", true],
    ["geojson", "GeoJSON", "application/geo+json", geo],
    ["shp", "Shapefile", "application/zip", geo],
    ["ical", "iCalendar", "text/calendar", dataset.features.includes("calendar")],
  ];
  return formats
    .filter(([, , , offered]) => offered)
    .map(([format, label, mimetype]) => ({
      format,
      label,
      mimetype,
      url: appendPath(dataset.links.exports, format),
    }));
}

/** `curl` for the first records with up to three of the dataset's fields; undefined without records. */
export function curlExample(dataset: Dataset): string | undefined {
  if (!dataset.hasRecords || !dataset.links.records) return undefined;
  const fields = dataset.fields
    .filter((f) => f.type !== "geo_shape" && f.type !== "file")
    .slice(0, 3);
  const url = new URL(dataset.links.records);
  if (fields.length > 0) url.searchParams.set("select", fields.map((f) => f.name).join(","));
  url.searchParams.set("limit", "10");
  return `curl '${url.href.replaceAll("'", "%27")}'`;
}

export function hasGeo(dataset: Pick<Dataset, "features" | "fields">): boolean {
  return (
    dataset.features.includes("geo") ||
    dataset.fields.some((f) => f.type === "geo_point_2d" || f.type === "geo_shape")
  );
}

/** The API documentation of the portal (ODS serves it under /api/v2/console). */
export function apiConsole(dataset: Dataset): string {
  return appendPath(new URL(dataset.links.self).origin, "api", "v2", "console");
}

// --- internal ---

/** A value as a person reads it: numbers localised, points as "lat, lon", shapes named. */
function cell(value: unknown, type: string, site: SiteContext): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return site.fmt.number(value);
  if (typeof value === "boolean") return value ? site.t.yes : site.t.no;
  if (typeof value === "string") {
    const text =
      type === "datetime" && !Number.isNaN(Date.parse(value)) ? site.fmt.dateTime(value) : value;
    return clip(text);
  }
  if (Array.isArray(value))
    return clip(
      value.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(", "),
    );
  if (typeof value === "object") {
    const point = value as { lat?: unknown; lon?: unknown };
    if (typeof point.lat === "number" && typeof point.lon === "number") {
      return `${site.fmt.number(round(point.lat))}, ${site.fmt.number(round(point.lon))}`;
    }
    const shape = geometryOf(value);
    if (shape) return `${shape.type} (${site.fmt.number(shape.points)} points)`;
    return clip(JSON.stringify(value));
  }
  return clip(String(value));
}

function geometryOf(value: object): { type: string; points: number } | undefined {
  const geometry =
    (value as { type?: unknown; geometry?: unknown }).type === "Feature"
      ? (value as { geometry?: unknown }).geometry
      : value;
  if (typeof geometry !== "object" || geometry === null) return undefined;
  const { type, coordinates } = geometry as { type?: unknown; coordinates?: unknown };
  if (typeof type !== "string" || coordinates === undefined) return undefined;
  const count = (c: unknown): number =>
    Array.isArray(c)
      ? typeof c[0] === "number"
        ? 1
        : c.reduce((n: number, x: unknown) => n + count(x), 0)
      : 0;
  return { type, points: count(coordinates) };
}

function round(n: number): number {
  return Math.round(n * 1e5) / 1e5;
}

function clip(text: string): string {
  const flat = collapse(text);
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}
