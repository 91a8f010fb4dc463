import { describe, expect, it } from "vitest";
import { type Dataset, summarize, toDataset } from "../../src/model/dataset.js";
import { parseDatasetBody } from "../../src/model/parse.js";
import { curlExample, exportLinks, recordsTable } from "../../src/render/dataset-view.js";
import {
  catalogJson,
  datasetDescription,
  datasetJsonLd,
  jsonLdScript,
  SITEMAP_LIMIT,
  sitemapFiles,
} from "../../src/render/seo.js";
import { createSite } from "../../src/render/site.js";
import { makeDataset } from "../support/datasets.js";

const site = createSite({
  title: "Catalog",
  lang: "en",
  timeZone: "UTC",
  siteUrl: "https://cat.example/sub/",
  portalOrigin: "https://data.example",
});

function dataset(
  overrides: Parameters<typeof makeDataset>[1] = {},
  extra: Record<string, unknown> = {},
): Dataset {
  const url = "https://data.example/api/v2/catalog/datasets/d";
  const body = parseDatasetBody(
    { links: [{ rel: "self", href: url }], dataset: { ...makeDataset("d", overrides), ...extra } },
    url,
  );
  return toDataset(body, {
    url,
    publicUrl: (u) => u,
    lang: "en",
    records: [
      {
        id: "1",
        fields: {
          code: "A",
          value: 1234.5,
          point: { lon: 2.35, lat: 48.8566 },
          shape: {
            type: "Polygon",
            coordinates: [
              [
                [0, 0],
                [1, 0],
                [1, 1],
                [0, 0],
              ],
            ],
          },
        },
      },
    ],
  });
}

describe("datasetJsonLd", () => {
  it("has Google Dataset Search's required and recommended properties", () => {
    const ld = datasetJsonLd(
      dataset({ description: `<p>${"A long enough description of the data. ".repeat(3)}</p>` }),
      site,
    );
    expect(ld).toMatchObject({
      "@context": "https://schema.org",
      "@type": "Dataset",
      name: "Dataset d",
      url: "https://cat.example/sub/datasets/d/",
      sameAs: "https://data.example/explore/dataset/d/",
      license: "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
      isAccessibleForFree: true,
      creator: { "@type": "Organization", name: "Test Office" },
      includedInDataCatalog: {
        "@type": "DataCatalog",
        name: "Catalog",
        url: "https://cat.example/sub/",
      },
      keywords: ["Economy", "test"],
    });
    expect(ld.distribution).toContainEqual({
      "@type": "DataDownload",
      name: "CSV",
      encodingFormat: "text/csv",
      contentUrl: "https://data.example/api/v2/catalog/datasets/d/exports/csv",
    });
    expect(ld.variableMeasured).toEqual([
      { "@type": "PropertyValue", name: "Code", alternateName: "code" },
      { "@type": "PropertyValue", name: "Value", alternateName: "value", description: "A measure" },
    ]);
  });

  it("keeps descriptions between 50 and 5,000 characters, with an honest fallback", () => {
    expect(datasetDescription(dataset({ description: null }), site)).toBe(
      "Dataset d: a dataset published by Test Office on data.example, with 42 records. Fields: Code, Value.",
    );
    expect(
      datasetDescription(dataset({ description: "<p>Short.</p>" }), site).length,
    ).toBeGreaterThanOrEqual(50);
    expect(
      datasetDescription(dataset({ description: `<p>${"word ".repeat(3000)}</p>` }), site).length,
    ).toBeLessThanOrEqual(5000);
  });

  it("cannot be broken out of its script element", () => {
    const html = jsonLdScript(
      datasetJsonLd(dataset({ title: "</script><script>alert(1)</script>" }), site),
    ).html;
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html.endsWith("</script>")).toBe(true);
    expect(JSON.parse(html.slice(html.indexOf(">") + 1, -"</script>".length)).name).toBe(
      "</script><script>alert(1)</script>",
    );
  });
});

describe("catalogJson", () => {
  it("writes a dataset per line, each field as a row under the head's column names", () => {
    const json = [...catalogJson([summarize(dataset())], site)].join("");
    expect(json.split("\n")).toHaveLength(4);
    const parsed = JSON.parse(json);
    expect(parsed).toMatchObject({ count: 1, fieldColumns: ["name", "label", "type"] });
    expect(parsed.datasets[0]).toMatchObject({
      id: "d",
      url: "https://cat.example/sub/datasets/d/",
      fields: [
        ["code", "Code", "text"],
        ["value", "Value", "double"],
      ],
    });
  });
});

describe("sitemapFiles", () => {
  it("writes one sitemap up to 50,000 URLs and an index beyond", () => {
    expect(sitemapFiles([{ path: "", lastmod: "2024-01-01" }], site)[0]?.contents).toContain(
      "<url><loc>https://cat.example/sub/</loc><lastmod>2024-01-01</lastmod></url>",
    );
    const many = Array.from({ length: SITEMAP_LIMIT + 1 }, (_, i) => ({ path: `datasets/d${i}/` }));
    const files = sitemapFiles(many, site);
    expect(files.map((f) => f.path)).toEqual(["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
    expect(files[0]?.contents).toContain(
      "<sitemap><loc>https://cat.example/sub/sitemap-2.xml</loc></sitemap>",
    );
    expect(files[2]?.contents.match(/<url>/g)).toHaveLength(1);
  });
});

describe("dataset view", () => {
  it("shows a record sample with readable numbers and geo values", () => {
    const d = dataset({
      fields: [
        { name: "code", label: "Code", type: "text" },
        { name: "value", label: "Value", type: "double" },
        { name: "point", label: "Point", type: "geo_point_2d" },
        { name: "shape", label: "Shape", type: "geo_shape" },
      ],
    });
    expect(recordsTable(d, site)).toEqual({
      columns: [
        { name: "code", label: "Code" },
        { name: "value", label: "Value" },
        { name: "point", label: "Point" },
        { name: "shape", label: "Shape" },
      ],
      rows: [["A", "1,234.5", "48.8566, 2.35", "Polygon (4 points)"]],
      fieldCount: 4,
    });
  });

  it("offers geo exports only for geo datasets, and a curl example from real fields", () => {
    expect(exportLinks(dataset()).map((e) => e.format)).toEqual(["csv", "xls", "json"]);
    const geo = dataset({}, { features: ["geo"] });
    expect(exportLinks(geo).map((e) => e.format)).toEqual(["csv", "xls", "json", "geojson", "shp"]);
    expect(curlExample(dataset())).toBe(
      "curl 'https://data.example/api/v2/catalog/datasets/d/records?select=code%2Cvalue&limit=10'",
    );
    expect(curlExample(dataset({}, { has_records: false }))).toBeUndefined();
  });
});
