import type { PortalData, PortalDataset } from "../src/portal-server/portal.js";
import { Random } from "./random.js";
import {
  FIELD_NAMES,
  FIELD_TYPES,
  type FieldType,
  KEYWORDS,
  LICENSES,
  PLACES,
  PUBLISHERS,
  QUALIFIERS,
  SENTENCES,
  SOURCE_DOMAINS,
  SUBJECTS,
  THEMES,
  WORDS,
} from "./vocabulary.js";

/**
 * A synthetic ODS portal of N datasets, in the v2.0 shapes the recorded samples show
 * (test/fixtures/ods-samples/): field counts and types, every annotation form, null metas,
 * attachment-only datasets, `name@domain`/upper-case/accented ids, multilingual keys, the
 * `custom` and `dcat` templates, HTML descriptions from one line to Word-pasted pages.
 *
 * Deterministic: each dataset draws from its own seeded stream, so the same N and seed give
 * the same portal. Records are not stored: each dataset's `records` is a getter that
 * regenerates its few rows from the same stream when asked, which keeps 40,000 datasets cheap
 * to hold (the bench's server makes them all before it is measured: `withRecordsMade`).
 */

export const DEFAULT_SEED = 20_240_101;

/** What the bench needs to know about a portal to compute the requests a build must make. */
export interface PortalFacts {
  datasets: number;
  /** Datasets whose page gets a record sample: has_records, data_visible, records_count > 0. */
  withRecordSample: number;
  /** Per dataset, `metas.default.modified` in epoch ms and `records_count` (listing parts). */
  modified: number[];
  recordsCount: number[];
}

export function syntheticPortal(count: number, seed = DEFAULT_SEED): PortalData {
  const ids = new Set<string>();
  const datasets: PortalDataset[] = [];
  for (let i = 0; i < count; i++) datasets.push(entryFor(seed, i, makeDataset(seed, i, ids)));
  return { datasets };
}

/**
 * A copy of the portal where `fraction` of the datasets (at least one) were edited: new
 * `modified` and processing dates and a new title, so their listing entries change the way
 * an edit on a real portal changes them. Returns the edited ids.
 */
export function changeDatasets(
  portal: PortalData,
  fraction: number,
  seed = DEFAULT_SEED,
): { portal: PortalData; ids: string[] } {
  const total = portal.datasets.length;
  const count = Math.min(total, Math.max(1, Math.round(total * fraction)));
  const indices = new Random(seed, 0xc4a19e).some(
    Array.from({ length: total }, (_, i) => i),
    count,
  );
  const datasets = [...portal.datasets];
  const ids: string[] = [];
  for (const [n, i] of indices.entries()) {
    const old = wire(datasets[i] as PortalDataset);
    const when = iso(EDIT_EPOCH + n * 1000);
    const fr = old.metas.default.language === "fr";
    const dataset: WireDataset = {
      ...old,
      metas: {
        ...old.metas,
        default: {
          ...old.metas.default,
          title: `${old.metas.default.title} (${fr ? "mise à jour" : "updated"})`,
          modified: when,
          data_processed: when,
          metadata_processed: iso(EDIT_EPOCH + n * 1000 + 412, true),
        },
      },
    };
    datasets[i] = entryFor(seed, i, dataset);
    ids.push(dataset.dataset_id);
  }
  return { portal: { datasets }, ids };
}

/**
 * The portal with every dataset's records made now, for a server about to be measured
 * against: made on demand, they cost the server 2 to 3 s of CPU during a 40,000-dataset cold
 * build, on the two cores the build runs on. Holding them takes about a hundred megabytes.
 */
export function withRecordsMade(portal: PortalData): PortalData {
  return {
    datasets: portal.datasets.map((entry) =>
      entry.records ? { ...entry, records: entry.records } : entry,
    ),
  };
}

export function factsOf(datasets: readonly PortalDataset[]): PortalFacts {
  const facts: PortalFacts = {
    datasets: datasets.length,
    withRecordSample: 0,
    modified: [],
    recordsCount: [],
  };
  for (const entry of datasets) {
    const d = wire(entry);
    const count = d.metas.default.records_count;
    facts.modified.push(Date.parse(d.metas.default.modified));
    facts.recordsCount.push(count);
    if (d.has_records && d.data_visible && count > 0) facts.withRecordSample++;
  }
  return facts;
}

// --- internal ---

/** Datasets span ten years of edits, so listing past 10,000 must split them by date. */
const FIRST_EPOCH = Date.UTC(2015, 0, 1);
const LAST_EPOCH = Date.UTC(2025, 0, 1);
/** Edits made between two builds happen "now", after every original date. */
const EDIT_EPOCH = Date.UTC(2025, 1, 3, 9, 30);

type Lang = 0 | 1; // index into the [French, English] vocabulary pairs

interface WireField {
  name: string;
  description: string | null;
  annotations: Record<string, unknown> | unknown[];
  label: string;
  type: FieldType;
  [translated: `${"label" | "description"}_${string}`]: string | null;
}

/** The dataset object the server serves (a type alias, so it is a plain JSON record). */
type WireDataset = {
  dataset_id: string;
  dataset_uid: string;
  has_records: boolean;
  features: string[];
  visibility: string;
  attachments: Array<Record<string, string>>;
  data_visible: boolean;
  fields: WireField[];
  metas: { default: DefaultMetas } & Record<string, Record<string, unknown>>;
};

type DefaultMetas = Record<string, unknown> & {
  title: string;
  language: string;
  modified: string;
  data_processed: string | null;
  records_count: number;
};

function wire(entry: PortalDataset): WireDataset {
  return entry.dataset as WireDataset;
}

/** The server's view of a dataset: its object, and records made on demand. */
function entryFor(seed: number, index: number, dataset: WireDataset): PortalDataset {
  if (!dataset.has_records) return { dataset };
  return {
    dataset,
    get records() {
      return makeRecords(new Random(seed, index, 0x7ec), dataset);
    },
  };
}

function makeDataset(seed: number, index: number, ids: Set<string>): WireDataset {
  const r = new Random(seed, index);
  const lang: Lang = r.chance(0.62) ? 0 : 1;
  const code = lang === 0 ? "fr" : "en";
  const bilingual = r.chance(0.05);
  const subject = r.pick(SUBJECTS);
  const qualifier = r.pick(QUALIFIERS);
  const place = r.chance(0.7) ? r.pick(PLACES) : undefined;
  const year = r.chance(0.45) ? r.int(2012, 2025) : undefined;
  const titleIn = (l: Lang) =>
    `${subject[l]} ${qualifier[l]}${place ? ` - ${place}` : ""}${year ? ` (${year})` : ""}`;
  const federated = r.chance(0.02) ? r.pick(SOURCE_DOMAINS) : undefined;
  const id = uniqueId(r, [subject[lang], place ?? "", year ? String(year) : ""], federated, ids);

  const modifiedAt = FIRST_EPOCH + Math.floor(r.next() * (LAST_EPOCH - FIRST_EPOCH));
  const processedAt = r.chance(0.9) ? modifiedAt + r.int(0, 30 * 86_400_000) : undefined;
  // Attachment-only datasets (like FANTOIR): no records, no fields, no features.
  const hasRecords = r.chance(0.95);
  const fields = hasRecords ? makeFields(r, lang, bilingual) : [];
  const recordsCount = !hasRecords || r.chance(0.06) ? 0 : r.logInt(1, 2_500_000);
  const attachments = !hasRecords || r.chance(0.12) ? makeAttachments(r) : [];
  const [license, licenseUrl] = r.pick(LICENSES);
  const description = makeDescription(r, lang, titleIn(lang));
  const themes = r.chance(0.15)
    ? null
    : r.some(
        THEMES,
        r.weighted([
          [1, 6],
          [2, 3],
          [3, 1],
        ]),
      );
  const keywords = r.chance(0.25) ? null : r.some(KEYWORDS, r.int(1, 8));

  const defaults: DefaultMetas = {
    title: titleIn(lang),
    description,
    theme: themes?.map((t) => t[lang]) ?? null,
    keyword: keywords,
    license,
    license_url: licenseUrl,
    language: code,
    metadata_languages: bilingual ? ["fr", "en"] : [code],
    timezone: r.chance(0.2) ? "Europe/Paris" : null,
    modified: iso(modifiedAt),
    modified_updates_on_metadata_change: r.chance(0.3),
    modified_updates_on_data_change: r.chance(0.5),
    geographic_area_mode: null,
    geographic_area: null,
    data_processed: processedAt === undefined ? null : iso(processedAt),
    metadata_processed: iso((processedAt ?? modifiedAt) + r.int(1_000, 900_000), true),
    geographic_reference: r.chance(0.4) ? [r.pick(["world", "fr_40_52", "fr_60_75"])] : null,
    geographic_reference_auto: r.chance(0.5) ? true : null,
    territory: r.chance(0.4) ? [place ?? "France"] : null,
    geometry_types: fields.some((f) => f.type === "geo_shape") ? ["Polygon"] : null,
    publisher: r.chance(0.08) ? null : r.pick(PUBLISHERS),
    references: r.chance(0.15) ? `https://www.example.org/sources/${id.split("@")[0]}` : null,
    records_count: recordsCount,
    attributions: null,
    source_domain: federated?.[0] ?? null,
    source_domain_title: federated?.[1] ?? null,
    source_domain_address: federated ? `${federated[0]}.opendatasoft.com` : null,
    source_dataset: federated ? id.split("@")[0] : null,
    shared_catalog: null,
    federated: federated !== undefined,
    oauth_scope: null,
    parent_domain: null,
  };
  if (r.chance(0.3)) {
    // v2.1-era keys some portals add.
    defaults.bbox = null;
    defaults.update_frequency = r.pick([null, "P1D", "P1M", "P1Y"]);
  }
  if (bilingual) {
    for (const l of [0, 1] as const) {
      const suffix = l === 0 ? "fr" : "en";
      defaults[`title_${suffix}`] = titleIn(l);
      defaults[`description_${suffix}`] =
        description === null ? null : `<p>${r.pick(SENTENCES)[l]}</p>`;
      defaults[`theme_${suffix}`] = themes?.map((t) => t[l]) ?? null;
      defaults[`keyword_${suffix}`] = keywords;
      defaults[`publisher_${suffix}`] = defaults.publisher;
    }
  }

  const metas: WireDataset["metas"] = { default: defaults };
  if (r.chance(0.25)) metas.custom = makeCustomMetas(r);
  if (r.chance(0.15)) metas.dcat = makeDcatMetas(r, defaults.publisher);
  return {
    dataset_id: id,
    dataset_uid: `da_${r.hex(6).replace(/^\d/, "z")}`,
    has_records: hasRecords,
    features: hasRecords ? makeFeatures(r, fields) : [],
    visibility: r.chance(0.95) ? "domain" : "restricted",
    attachments,
    data_visible: hasRecords && r.chance(0.97),
    fields,
    metas,
  };
}

/**
 * Mostly clean slugs (`qualite-de-l-air-paris`, `controle_techn`); 2% federated
 * (`name@domain`), 1% upper case, 1% with accents. Unique ignoring case, since the output
 * must be too.
 */
function uniqueId(
  r: Random,
  words: string[],
  federated: readonly [string, string] | undefined,
  ids: Set<string>,
): string {
  const text = words.filter(Boolean).join(" ");
  const separator = r.chance(0.8) ? "-" : "_";
  const style = r.weighted([
    ["slug", 98],
    ["upper", 1],
    ["accents", 1],
  ] as const);
  let base: string;
  if (style === "upper") {
    base = asciiWords(text)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join("_");
  } else if (style === "accents") {
    base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, separator)
      .replace(/^[-_]+|[-_]+$/g, "");
  } else {
    base = asciiWords(text).join(separator);
  }
  base = base.slice(0, 70).replace(/[-_]+$/, "");
  if (federated) base = `${base}@${federated[0]}`;
  let id = base;
  for (let n = 2; ids.has(id.toLowerCase()); n++) {
    id = federated ? base.replace("@", `${separator}${n}@`) : `${base}${separator}${n}`;
  }
  ids.add(id.toLowerCase());
  return id;
}

function asciiWords(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function makeFields(r: Random, lang: Lang, bilingual: boolean): WireField[] {
  const count = r.weighted([
    [r.int(1, 5), 20],
    [r.int(6, 15), 45],
    [r.int(16, 30), 25],
    [r.int(31, 80), 10],
  ]);
  const used = new Set<string>();
  const fields: WireField[] = [];
  for (let i = 0; i < count; i++) {
    const type = r.weighted(FIELD_TYPES);
    let name = r.pick(FIELD_NAMES[type]);
    for (let n = 2; used.has(name); n++) name = `${r.pick(FIELD_NAMES[type])}_${n}`;
    used.add(name);
    const label = labelOf(name, lang);
    const description = r.chance(0.2) ? r.pick(SENTENCES)[lang] : null;
    const field: WireField = {
      name,
      description,
      annotations: annotationsFor(r, type),
      label,
      type,
    };
    if (bilingual) {
      field.label_fr = labelOf(name, 0);
      field.label_en = labelOf(name, 1);
      field.description_fr = description;
      field.description_en = description;
    }
    fields.push(field);
  }
  return fields;
}

function labelOf(name: string, lang: Lang): string {
  const words = name.split("_");
  const text = words.join(" ");
  const label = lang === 0 ? text.replace(/^departement/, "département") : text;
  return label.charAt(0).toUpperCase() + label.slice(1);
}

type AnnotationForm = (type: FieldType) => Record<string, unknown> | unknown[] | undefined;

const NUMERIC = new Set<FieldType>(["int", "double"]);

/** Every annotation form the samples hold; a form that does not fit the type falls back to `{}`. */
const ANNOTATION_FORMS: ReadonlyArray<readonly [AnnotationForm, number]> = [
  [() => ({}), 50],
  [() => [], 6],
  [() => ({ facet: true }), 10],
  [() => ({ facet: [] }), 5],
  [() => ({ facetsort: ["-count"] }), 4],
  [() => ({ facetsort: "-count", facet: true }), 3],
  [() => ({ sortable: [] }), 4],
  [() => ({ facet: [], facetsort: ["alphanum"], disjunctive: [] }), 2],
  [(t) => (t === "text" ? { multivalued: [","] } : undefined), 2],
  [(t) => (t === "text" ? { facet: [], hierarchical: ["/"] } : undefined), 1],
  [(t) => (t === "text" ? { facetsort: ["-count"], id: [] } : undefined), 1],
  [(t) => (NUMERIC.has(t) ? { unit: "km2" } : undefined), 3],
  [(t) => (t === "double" ? { decimals: 2 } : undefined), 1],
  [
    (t) =>
      t === "date"
        ? {
            timeserie_precision: "year",
            facet: true,
            facetsort: "-alphanum",
            timerangeFilter: true,
          }
        : undefined,
    3,
  ],
];

function annotationsFor(r: Random, type: FieldType): Record<string, unknown> | unknown[] {
  return r.weighted(ANNOTATION_FORMS)(type) ?? {};
}

function makeFeatures(r: Random, fields: WireField[]): string[] {
  const features = r.chance(0.9) ? ["analyze"] : [];
  if (fields.some((f) => f.type === "date" || f.type === "datetime") && r.chance(0.6))
    features.push("timeserie");
  if (fields.some((f) => f.type === "geo_point_2d" || f.type === "geo_shape")) features.push("geo");
  if (fields.some((f) => f.type === "file") && r.chance(0.5)) features.push("image");
  if (r.chance(0.03)) features.push("calendar");
  if (r.chance(0.02)) features.push("custom_view");
  // ODS does not sort them (`["geo", "analyze", "timeserie"]` in the samples).
  return r.chance(0.3) ? features.reverse() : features;
}

function makeAttachments(r: Random): Array<Record<string, string>> {
  const kinds = [
    ["zip", "application/zip"],
    ["pdf", "application/pdf"],
    ["csv", "text/csv"],
    ["xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
    ["txt", "text/plain"],
  ] as const;
  return Array.from({ length: r.int(1, 5) }, (_, i) => {
    const [ext, mimetype] = r.pick(kinds);
    const file = `${r.pick(["fichier", "methodologie", "notice", "cities1000", "topo"])}_${i + 1}.${ext}`;
    return { mimetype, url: `odsfile://${file}`, id: file.replace(/\./g, "_"), title: file };
  });
}

/** From nothing to Word-pasted pages: the spread of descriptions real catalogs carry. */
function makeDescription(r: Random, lang: Lang, title: string): string | null {
  const sentence = () => r.pick(SENTENCES)[lang];
  const paragraph = () => `<p>${Array.from({ length: r.int(1, 4) }, sentence).join(" ")}</p>`;
  const link = () =>
    `<p>${lang === 0 ? "Voir aussi" : "See also"} <a href="https://www.example.org/${r.hex(6)}">${title}</a>.</p>`;
  const list = () =>
    `<ul>${Array.from({ length: r.int(2, 6) }, () => `<li>${sentence()}</li>`).join("\n")}</ul>`;
  const word = () =>
    `<p class="MsoNormal" style='font-family: "Times New Roman", serif; margin: 0cm;'><span style="font-family: Calibri, sans-serif;">${sentence()}</span><o:p></o:p></p>`;
  switch (
    r.weighted([
      ["null", 10],
      ["empty", 2],
      ["plain", 5],
      ["short", 33],
      ["paragraphs", 25],
      ["list", 12],
      ["word", 8],
      ["long", 5],
    ] as const)
  ) {
    case "null":
      return null;
    case "empty":
      return "";
    case "plain":
      return `${sentence()}\n${sentence()}`;
    case "short":
      return `<p>${sentence()}</p>`;
    case "paragraphs":
      return [paragraph(), paragraph(), r.chance(0.6) ? link() : paragraph()].join("");
    case "list":
      return `${paragraph()}${list()}${r.chance(0.5) ? link() : ""}`;
    case "word":
      return Array.from({ length: r.int(2, 8) }, word).join("");
    case "long":
      return Array.from({ length: r.int(8, 24) }, () =>
        r.weighted([
          [paragraph, 5],
          [list, 2],
          [link, 1],
          [() => `<h3>${sentence()}</h3>`, 1],
          [() => "<hr/>", 0.3],
        ])(),
      ).join("\n");
  }
}

function makeCustomMetas(r: Random): Record<string, unknown> {
  return {
    "perimetre-territorial": [r.pick(["", "National", "Régional", "Départemental"])],
    editeur: [r.pick(PUBLISHERS)],
    "date-de-creation": r.chance(0.5) ? null : iso(FIRST_EPOCH - r.int(0, 4e11)).slice(0, 10),
    cycle: [r.pick(["", "Annuel", "Mensuel"])],
    periodicity: r.chance(0.3) ? null : [r.pick(["", "annuelle", "mensuelle", "quotidienne"])],
  };
}

function makeDcatMetas(r: Random, publisher: unknown): Record<string, unknown> {
  return {
    created: r.chance(0.5) ? iso(FIRST_EPOCH - r.int(0, 4e11)).slice(0, 10) : null,
    issued: null,
    creator: typeof publisher === "string" ? publisher : null,
    contributor: r.chance(0.3) ? r.pick(PUBLISHERS) : null,
    contact_name: null,
    contact_email: r.chance(0.3) ? "opendata@example.org" : null,
    accrualperiodicity: r.pick([null, "Anual", "Mensuel", "Annuel"]),
    spatial: r.chance(0.5) ? r.pick(PLACES) : null,
    temporal: r.chance(0.3) ? "2011 a 2025" : null,
    granularity: null,
    dataquality: null,
    publisher_type: null,
    conforms_to: null,
    temporal_coverage_start: null,
    temporal_coverage_end: null,
    accessRights: null,
    relation: null,
  };
}

/** Records served per dataset: the bench's sample size (a larger `limit` gets these five). */
const RECORD_ROWS = 5;

/** v2.0 record objects (`{id, timestamp, size, fields}`) with values matching each field. */
function makeRecords(r: Random, dataset: WireDataset): Array<Record<string, unknown>> {
  const rows = Math.min(dataset.metas.default.records_count, RECORD_ROWS);
  const timestamp = `${(dataset.metas.default.data_processed ?? dataset.metas.default.modified).slice(0, 19)}Z`;
  return Array.from({ length: rows }, () => {
    const fields: Record<string, unknown> = {};
    for (const field of dataset.fields) {
      fields[field.name] = r.chance(0.05) ? null : valueFor(r, field.type);
    }
    // `size` is ODS's stored size of the record; no client reads it, so it is only plausible.
    return { id: r.hex(40), timestamp, size: r.int(150, 2000), fields };
  });
}

function valueFor(r: Random, type: FieldType): unknown {
  switch (type) {
    case "text":
      return r.chance(0.3) ? String(r.int(1000, 99999)) : r.pick(WORDS);
    case "int":
      return r.logInt(1, 1_000_000);
    case "double":
      return Math.round(r.next() * 1e6) / 100;
    case "date":
      return iso(FIRST_EPOCH + r.int(0, 3.15e11)).slice(0, 10);
    case "datetime":
      return iso(FIRST_EPOCH + r.int(0, 3.15e11));
    case "geo_point_2d":
      return point(r);
    case "geo_shape": {
      const { lon, lat } = point(r);
      const ring = [
        [lon, lat],
        [lon + 0.01, lat],
        [lon + 0.01, lat + 0.01],
        [lon, lat + 0.01],
        [lon, lat],
      ];
      return {
        type: "Feature",
        geometry: { type: "Polygon", coordinates: [ring] },
        properties: {},
      };
    }
    case "boolean":
      return r.chance(0.5);
    case "file":
      return {
        thumbnail: true,
        filename: `photo_${r.int(1, 999)}.jpg`,
        format: "JPEG",
        width: 1024,
        id: r.hex(32),
        height: 768,
        color_summary: ["rgba(120, 110, 95, 1.00)"],
      };
    case "json_blob":
      return { source: r.pick(WORDS), tags: r.some(KEYWORDS, 2), level: r.int(1, 5) };
  }
}

/** Mainland France, like most samples. */
function point(r: Random): { lon: number; lat: number } {
  return {
    lon: Math.round((-1.8 + r.next() * 9.5) * 1e5) / 1e5,
    lat: Math.round((42.5 + r.next() * 8.5) * 1e5) / 1e5,
  };
}

/** `2021-06-23T14:59:57+00:00`, or with microseconds like `metadata_processed` carries. */
function iso(epoch: number, fraction = false): string {
  const text = new Date(epoch).toISOString();
  return fraction ? `${text.slice(0, 23)}000+00:00` : `${text.slice(0, 19)}+00:00`;
}
