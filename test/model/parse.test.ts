import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ApiShapeError } from "../../src/errors.js";
import {
  parseDatasetBody,
  parseErrorBody,
  parseLinks,
  parseListingPage,
  parseRecordsPage,
} from "../../src/model/parse.js";
import { SAMPLES_DIR } from "../../src/portal-server/demo.js";

const sample = (name: string): unknown =>
  JSON.parse(readFileSync(`${SAMPLES_DIR}/${name}`, "utf8"));
const URL_ = "https://portal.example/api/v2/x";

/** A listing page, and each of its entries read whole, as a copy is when it is rendered. */
const listingRead = (body: unknown) => {
  const page = parseListingPage(body, URL_);
  return { page, whole: page.entries.map((entry) => parseDatasetBody(entry.raw, URL_)) };
};

/**
 * Every recorded response, with the parser that reads its kind. A new sample must be added
 * here: the last test fails when a file in the folder has no parser assigned.
 */
const PARSERS: Record<string, (body: unknown) => unknown> = {
  "v20-docs-root.json": (b) => parseLinks(b, URL_),
  "v20-docs-catalog.json": (b) => parseLinks(b, URL_),
  "v20-docs-metadata_templates.json": (b) => parseLinks(b, URL_),
  "v20-economie-gouv-catalog_datasets.json": listingRead,
  "v20-docs-openapi-example-catalog_datasets.json": listingRead,
  "v20-data-opendatasoft-catalog_datasets-rte-excerpt-2017.json": listingRead,
  "v21-docs-openapi-example-catalog_datasets.json": listingRead,
  "v21-economie-gouv-catalog_datasets-app_metas-anonymized.json": listingRead,
  "v20-economie-gouv-catalog_dataset_fantoir.json": (b) => parseDatasetBody(b, URL_),
  "v20-docs-openapi-example-dataset.json": (b) => parseDatasetBody(b, URL_),
  "v21-docs-openapi-example-dataset.json": (b) => parseDatasetBody(b, URL_),
  "v21-sns-transparencia-dataset-plus-records-multilingual-composite.json": (b) =>
    parseDatasetBody((b as { dataset: unknown }).dataset, URL_),
  "v20-economie-gouv-catalog_datasets_records.json": (b) => parseRecordsPage(b, URL_),
  "v20-docs-openapi-example-records.json": (b) => parseRecordsPage(b, URL_),
  "v21-docs-openapi-example-records.json": (b) => parseRecordsPage(b, URL_),
  "v20-docs-openapi-example-records-group_by.json": (b) => parseRecordsPage(b, URL_),
  "v21-docs-openapi-example-records-group_by.json": (b) => parseRecordsPage(b, URL_),
  "v20-economie-gouv-catalog_dataset_record.json": (b) => parseRecordsPage({ records: [b] }, URL_),
  "v20-docs-openapi-example-record.json": (b) => parseRecordsPage({ records: [b] }, URL_),
  "v21-docs-openapi-example-record.json": (b) => parseRecordsPage({ records: [b] }, URL_),
  "v20-economie-gouv-catalog_facets.json": (b) => parseLinks(b, URL_),
  "v20-docs-openapi-example-catalog_facets.json": (b) => parseLinks(b, URL_),
  "v20-docs-openapi-example-dataset_facets.json": (b) => parseLinks(b, URL_),
  "v20-economie-gouv-catalog_dataset_fantoir_facets.json": (b) => parseLinks(b, URL_),
  "v20-economie-gouv-catalog_dataset_fantoir_attachments.json": (b) => parseLinks(b, URL_),
  "v20-docs-openapi-example-attachments.json": (b) => parseLinks(b, URL_),
  "v20-docs-openapi-example-error-400-odsql.json": (b) => parseErrorBody(b),
  "docs-openapi-example-error-429-quota.json": (b) => parseErrorBody(b),
};

describe("every recorded sample parses", () => {
  for (const [name, parse] of Object.entries(PARSERS)) {
    it(name, () => {
      expect(parse(sample(name))).toBeTypeOf("object");
    });
  }

  it("assigns a parser to every file in the samples folder", () => {
    const files = readdirSync(SAMPLES_DIR).filter((f) => f.endsWith(".json"));
    expect(files.filter((f) => !(f in PARSERS))).toEqual([]);
  });
});

describe("parseListingPage", () => {
  it("reads v2.0 pages: total, links, wrapped entries with their own links", () => {
    const page = parseListingPage(sample("v20-economie-gouv-catalog_datasets.json"), URL_);
    expect(page.totalCount).toBe(426);
    expect(page.links.map((l) => l.rel)).toEqual(["self", "first", "last", "next"]);
    expect(page.entries.map((e) => e.dataset.id)).toEqual([
      "mef-catalogue-temporaire",
      "france-relance-donnees-agregees",
      "plan-de-relance-france-num-laureats-et-montants-par-departement",
    ]);
    expect(page.entries[0]?.links.find((l) => l.rel === "self")?.href).toBe(
      "https://data.economie.gouv.fr/api/v2/catalog/datasets/mef-catalogue-temporaire",
    );
  });

  it("reads v2.1 pages of flat datasets under `results`", () => {
    const page = parseListingPage(
      sample("v21-economie-gouv-catalog_datasets-app_metas-anonymized.json"),
      URL_,
    );
    expect(page.entries).toHaveLength(1);
    expect(Object.keys(page.entries[0]?.dataset.metas ?? {}).sort()).toEqual(
      [
        "custom",
        "dcat",
        "default",
        "explore",
        "exporters",
        "processing",
        "publishing",
        "visualization",
      ].sort(),
    );
  });

  it("normalises every annotation form to an object", () => {
    const rte = parseListingPage(
      sample("v20-data-opendatasoft-catalog_datasets-rte-excerpt-2017.json"),
      URL_,
    );
    expect(parseDatasetBody(rte.entries[0]?.raw, URL_).dataset.fields[0]?.annotations).toEqual({});
    expect(rte.entries[0]?.dataset.uid).toBeUndefined();

    const docs = parseListingPage(sample("v20-docs-openapi-example-catalog_datasets.json"), URL_);
    const geonames = parseDatasetBody(docs.entries[1]?.raw, URL_).dataset.fields[0];
    expect(geonames?.annotations).toEqual({ facetsort: ["-count"], id: [] });

    const sns = parseDatasetBody(
      (
        sample("v21-sns-transparencia-dataset-plus-records-multilingual-composite.json") as {
          dataset: unknown;
        }
      ).dataset,
      URL_,
    );
    expect(sns.dataset.fields[0]?.annotations).toEqual({
      timeserie_precision: "year",
      facet: true,
      facetsort: "-alphanum",
      timerangeFilter: true,
    });
    expect(sns.dataset.fields[0]?.labels).toEqual({ pt: "Ano", en: "Ano" });
  });

  it("accepts null metas, null lists and unknown keys", () => {
    const page = parseListingPage(
      {
        total_count: 1,
        links: [],
        datasets: [
          {
            links: [],
            dataset: {
              dataset_id: "odd",
              features: null,
              fields: [
                {
                  name: "x",
                  type: "mystery_type",
                  annotations: { unit: "km2" },
                  label: null,
                  description: null,
                },
              ],
              attachments: null,
              metas: {
                default: { title: null, theme: null },
                custom: null,
                brand_new_template: { k: 1 },
              },
              something_new: { nested: true },
            },
          },
        ],
      },
      URL_,
    );
    expect(Object.keys(page.entries[0]?.dataset.metas ?? {})).toEqual([
      "default",
      "brand_new_template",
    ]);
    const dataset = parseDatasetBody(page.entries[0]?.raw, URL_).dataset;
    expect(dataset?.features).toEqual([]);
    expect(dataset?.attachments).toEqual([]);
    expect(dataset?.fields[0]).toMatchObject({
      name: "x",
      type: "mystery_type",
      annotations: { unit: "km2" },
    });
    expect(Object.keys(dataset?.metas ?? {})).toEqual(["default", "brand_new_template"]);
  });

  it("reads of an entry only what the crawl uses: an odd field waits until the copy is read whole", () => {
    const entry = { links: [], dataset: { dataset_id: "odd", fields: "not a list" } };
    const page = parseListingPage({ datasets: [entry] }, URL_);
    // Its `self` body, if fine, is what the page is made from; the listing's copy only if not.
    expect(page.entries.map((e) => e.dataset.id)).toEqual(["odd"]);
    expect(page.rejected).toEqual([]);
    expect(() => parseDatasetBody(page.entries[0]?.raw, URL_)).toThrow(
      "at $.dataset.fields: expected an array",
    );
  });

  it("sets aside a malformed entry with its URL and JSON path, keeping the rest", () => {
    const page = parseListingPage(
      {
        datasets: [
          { links: [], dataset: { dataset_id: "ok" } },
          { links: [], dataset: { dataset_id: 7 } },
        ],
      },
      URL_,
    );
    expect(page.entries.map((e) => e.dataset.id)).toEqual(["ok"]);
    expect(page.rejected[0]?.message).toBe(
      `Unexpected API response from ${URL_} at $.datasets[1].dataset.dataset_id: expected a string, got number 7.`,
    );
  });

  it("fails on a page of the wrong shape, naming the URL and the JSON path", () => {
    expect(() => parseListingPage({ datasets: { not: "a list" } }, URL_)).toThrow(ApiShapeError);
    expect(() => parseListingPage({ datasets: "x" }, URL_)).toThrow(
      `Unexpected API response from ${URL_} at $.datasets: expected an array, got "x".`,
    );
    expect(() => parseListingPage([], URL_)).toThrow(`at $: expected an object, got an array.`);
    expect(() => parseLinks({ links: [{ href: 3, rel: "self" }] }, URL_)).toThrow(
      "at $.links[0].href: expected a string",
    );
    // A key that is not an identifier is quoted in brackets.
    expect(() =>
      parseDatasetBody({ dataset: { dataset_id: "x", metas: { "my-template": 3 } } }, URL_),
    ).toThrow(`at $.dataset.metas["my-template"]: expected an object, got number 3.`);
  });
});

describe("parseDatasetBody", () => {
  it("reads attachments, including the OpenAPI example's `mime-type` spelling", () => {
    const fantoir = parseDatasetBody(
      sample("v20-economie-gouv-catalog_dataset_fantoir.json"),
      URL_,
    );
    expect(fantoir.dataset.hasRecords).toBe(false);
    expect(fantoir.dataset.attachments[0]).toEqual({
      id: "fichier_national_fantoir_situation_janvier_2022_zip",
      title: "Fichier national FANTOIR (situation janvier 2022).zip",
      mimetype: "application/zip",
      url: "odsfile://fichier-national-fantoir-situation-janvier-2022.zip",
      description: undefined,
    });
    expect(fantoir.links.map((l) => l.rel)).toEqual(["self", "datasets", "attachments"]);
  });

  it("rejects a dataset without an id", () => {
    expect(() => parseDatasetBody({ links: [], dataset: { dataset_id: "" } }, URL_)).toThrow(
      "at $.dataset.dataset_id: expected a non-empty dataset id",
    );
    expect(() => parseDatasetBody({ links: [], dataset: {} }, URL_)).toThrow(
      "at $.dataset.dataset_id: expected a string, got nothing",
    );
  });
});

describe("parseRecordsPage", () => {
  it("reads v2.0 wrapped records and v2.1 flat ones alike", () => {
    const v20 = parseRecordsPage(sample("v20-docs-openapi-example-records.json"), URL_);
    const v21 = parseRecordsPage(sample("v21-docs-openapi-example-records.json"), URL_);
    expect(v20.records[0]?.fields.name).toBe("Saint-Leu");
    expect(v21.records[0]?.fields).toEqual(v20.records[0]?.fields);
    expect(v20.records[0]?.id).toBe("53d4524dcb82c676bacd467cd5ace953f2e0389c");
  });
});

describe("parseErrorBody", () => {
  it("reads both the v2 error shape and the legacy quota shape", () => {
    expect(parseErrorBody(sample("v20-docs-openapi-example-error-400-odsql.json"))).toMatchObject({
      code: "ODSQLError",
      message: expect.stringContaining("ODSQL query is malformed"),
    });
    expect(parseErrorBody(sample("docs-openapi-example-error-429-quota.json"))).toEqual({
      code: "10002",
      message: "Too many requests on the domain. Please contact the domain administrator.",
      resetTime: "2021-01-26T00:00:00Z",
      callLimit: 10000,
      limitTimeUnit: "day",
    });
    expect(parseErrorBody("<html>")).toEqual({
      code: undefined,
      message: undefined,
      resetTime: undefined,
      callLimit: undefined,
      limitTimeUnit: undefined,
    });
  });
});
