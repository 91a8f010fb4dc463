import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createSummarySharing, summarize, toDataset } from "../../src/model/dataset.js";
import { readMetaTemplates } from "../../src/model/metas.js";
import { parseDatasetBody, parseListingPage } from "../../src/model/parse.js";
import { SAMPLES_DIR } from "../../src/portal-server/demo.js";
import { makeDataset } from "../support/datasets.js";

const sample = (name: string): unknown =>
  JSON.parse(readFileSync(`${SAMPLES_DIR}/${name}`, "utf8"));
const identity = (url: string) => url;

describe("toDataset", () => {
  it("models a recorded v2.0 listing entry", () => {
    const page = parseListingPage(
      sample("v20-economie-gouv-catalog_datasets.json"),
      "https://data.economie.gouv.fr/api/v2/catalog/datasets",
    );
    const entry = page.entries[1];
    if (!entry) throw new Error("sample changed");
    const dataset = toDataset(parseDatasetBody(entry.raw, "https://data.economie.gouv.fr/x"), {
      url: "https://data.economie.gouv.fr/x",
      publicUrl: identity,
      lang: "fr",
    });
    expect(dataset).toMatchObject({
      id: "france-relance-donnees-agregees",
      segment: "france-relance-donnees-agregees",
      title: "France Relance - données agrégées",
      publisher: "SGPR",
      modified: "2021-09-06T10:02:29+00:00",
      recordsCount: 198275,
      features: ["analyze", "timeserie"],
      keywords: ["Plan de relance"],
      themes: [],
      license: {
        name: "Licence Ouverte v2.0 (Etalab)",
        url: "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf",
      },
      links: {
        self: "https://data.economie.gouv.fr/api/v2/catalog/datasets/france-relance-donnees-agregees",
        records:
          "https://data.economie.gouv.fr/api/v2/catalog/datasets/france-relance-donnees-agregees/records",
        exports:
          "https://data.economie.gouv.fr/api/v2/catalog/datasets/france-relance-donnees-agregees/exports",
        portal: "https://data.economie.gouv.fr/explore/dataset/france-relance-donnees-agregees/",
      },
    });
    expect(dataset.description.html).toContain(
      `<a href="https://www.economie.gouv.fr/plan-de-relance/tableau-de-bord" rel="nofollow noopener noreferrer">à cette adresse</a>`,
    );
    expect(dataset.summary.length).toBeLessThanOrEqual(160);
    expect(dataset.fields[1]).toEqual({
      name: "date",
      label: "date",
      type: "date",
      description: undefined,
      annotations: [{ name: "facet", args: [] }],
    });
  });

  it("leaves out of the metadata table what the page's summary already shows", () => {
    const model = (metas: Record<string, unknown>) =>
      toDataset(
        parseDatasetBody(
          { links: [], dataset: makeDataset("d", { metas }) },
          "https://p.example/api/v2/catalog/datasets/d",
        ),
        { url: "https://p.example/api/v2/catalog/datasets/d", publicUrl: identity, lang: "en" },
      ).metas[0]?.entries.map((e) => e.key);
    expect(model({ federated: false })).toEqual([
      "data_processed",
      "metadata_processed",
      "federated",
    ]);
    // A value the summary cannot show stays in the table: a license URL without a name, a
    // publisher that is not text.
    expect(model({ license: "" })).toContain("license");
    expect(model({ publisher: { name: "P" } })).toContain("publisher");
  });

  it("builds attachment URLs from the self link, not from odsfile:// URLs", () => {
    const body = parseDatasetBody(
      sample("v20-economie-gouv-catalog_dataset_fantoir.json"),
      "https://data.economie.gouv.fr/x",
    );
    const dataset = toDataset(body, {
      url: "https://data.economie.gouv.fr/x",
      publicUrl: identity,
      lang: "fr",
    });
    expect(dataset.attachments[0]?.url).toBe(
      "https://data.economie.gouv.fr/api/v2/catalog/datasets/fichier-fantoir-des-voies-et-lieux-dits/attachments/fichier_national_fantoir_situation_janvier_2022_zip",
    );
    expect(dataset.links.records).toBeUndefined();
  });

  it("encodes ids with @, spaces, slashes and non-ASCII in every URL it builds", () => {
    const id = "a b/ç@d";
    const body = parseDatasetBody(
      {
        links: [],
        dataset: {
          dataset_id: id,
          attachments: [{ id: "x y", title: "X" }],
          metas: { default: {} },
        },
      },
      "https://portal.example/api/v2/catalog/datasets/a%20b%2F%C3%A7%40d",
    );
    const dataset = toDataset(body, {
      url: "https://portal.example/api/v2/catalog/datasets/a%20b%2F%C3%A7%40d",
      publicUrl: identity,
      lang: "en",
    });
    expect(dataset.links.portal).toBe("https://portal.example/explore/dataset/a%20b%2F%C3%A7%40d/");
    expect(dataset.attachments[0]?.url).toBe(
      "https://portal.example/api/v2/catalog/datasets/a%20b%2F%C3%A7%40d/attachments/x%20y",
    );
    expect(dataset.title).toBe(id);
  });

  it("rewrites API URLs to the public origin", () => {
    const body = parseDatasetBody(
      {
        links: [{ rel: "self", href: "http://127.0.0.1:9/api/v2/catalog/datasets/x" }],
        dataset: { dataset_id: "x" },
      },
      "http://127.0.0.1:9/api/v2/catalog/datasets/x",
    );
    const dataset = toDataset(body, {
      url: "http://127.0.0.1:9/api/v2/catalog/datasets/x",
      publicUrl: (url) => url.replace("http://127.0.0.1:9", "https://public.example"),
      lang: "en",
    });
    expect(dataset.links.self).toBe("https://public.example/api/v2/catalog/datasets/x");
    expect(dataset.links.portal).toBe("https://public.example/explore/dataset/x/");
  });

  it("uses the site language's translations of metas and field labels", () => {
    const body = parseDatasetBody(
      {
        dataset: {
          dataset_id: "m",
          fields: [
            {
              name: "f",
              label: "Rótulo",
              label_en: "Label",
              type: "text",
              description: null,
              description_en: "<p>English</p>",
            },
          ],
          metas: {
            default: {
              title: "Título",
              title_en: "Title",
              description_en: "<p>Hello</p>",
              description: "<p>Olá</p>",
              keyword: ["a"],
              keyword_en: [],
            },
          },
        },
      },
      "https://p.example/x",
    );
    const english = toDataset(body, {
      url: "https://p.example/x",
      publicUrl: identity,
      lang: "en",
    });
    expect([english.title, english.descriptionText, english.keywords]).toEqual([
      "Title",
      "Hello",
      ["a"],
    ]);
    expect(english.fields[0]).toMatchObject({ label: "Label", description: "English" });
    const french = toDataset(body, { url: "https://p.example/x", publicUrl: identity, lang: "fr" });
    expect([french.title, french.descriptionText]).toEqual(["Título", "Olá"]);
  });

  it("turns annotation values of every form into name and arguments", () => {
    const body = parseDatasetBody(
      {
        dataset: {
          dataset_id: "a",
          fields: [
            {
              name: "f",
              type: "int",
              annotations: {
                facet: true,
                unit: "km2",
                multivalued: [","],
                decimals: 2,
                disjunctive: [],
                gone: false,
              },
            },
          ],
        },
      },
      "https://p.example/x",
    );
    const dataset = toDataset(body, {
      url: "https://p.example/x",
      publicUrl: identity,
      lang: "en",
    });
    expect(dataset.fields[0]?.annotations).toEqual([
      { name: "decimals", args: ["2"] },
      { name: "disjunctive", args: [] },
      { name: "facet", args: [] },
      { name: "multivalued", args: [","] },
      { name: "unit", args: ["km2"] },
    ]);
  });
});

describe("createSummarySharing", () => {
  it("leaves every summary as it was, value for value and key for key", () => {
    const page = parseListingPage(
      sample("v20-economie-gouv-catalog_datasets.json"),
      "https://data.economie.gouv.fr/api/v2/catalog/datasets",
    );
    const summaries = page.entries.map((entry) =>
      summarize(
        toDataset(parseDatasetBody(entry.raw, "https://x.example/"), {
          url: "https://x.example/",
          publicUrl: identity,
          lang: "fr",
        }),
      ),
    );
    // As a worker sends them: copies, then the same copies again (every value repeated).
    const copies = [...summaries, ...summaries].map((s) => JSON.parse(JSON.stringify(s)));
    const share = createSummarySharing();
    const shared = copies.map(share);
    expect(shared.map((s) => JSON.stringify(s))).toEqual(copies.map((s) => JSON.stringify(s)));
    expect(shared.length).toBeGreaterThan(2);
    // A summary shared again is the same object: the build shares a summary as it arrives,
    // then again when it collects its page, and its content key is kept by object.
    const [first] = copies;
    expect(share(first)).toBe(shared[0]);
    // And a shared summary shared again is itself (early pages share theirs on arrival).
    const [sharedFirst] = shared;
    expect(sharedFirst && share(sharedFirst)).toBe(sharedFirst);
    expect(share(JSON.parse(JSON.stringify(first)))).not.toBe(shared[0]);
  });
});

describe("readMetaTemplates", () => {
  it("shows every template, default first in reading order, dropping nulls and per-language copies", () => {
    const templates = readMetaTemplates(
      {
        custom: {
          "date-de-creation": "2021-09-07",
          editeur: null,
          cycle: [""],
          periodicity: ["Quotidienne"],
        },
        default: {
          title: "T",
          title_en: "T",
          records_count: 5,
          publisher: "P",
          license: "Open",
          license_url: "javascript:alert(1)",
          references: "https://ref.example/doc",
          bbox: { type: "Feature", geometry: { type: "Point", coordinates: [1, 2] } },
          federated: false,
          theme: null,
        },
        dcat: { creator: "<b>Someone</b>" },
      },
      { base: "https://p.example/" },
    );
    expect(templates.map((t) => t.name)).toEqual(["default", "custom", "dcat"]);
    expect(templates[0]?.entries.map((e) => e.key)).toEqual([
      "publisher",
      "license",
      "records_count",
      "bbox",
      "references",
      "federated",
    ]);
    expect(templates[0]?.entries[1]?.value).toEqual({ kind: "text", text: "Open" });
    expect(templates[0]?.entries[4]?.value).toEqual({
      kind: "link",
      url: "https://ref.example/doc",
      text: "https://ref.example/doc",
    });
    expect(templates[0]?.entries[3]?.value.kind).toBe("json");
    expect(templates[1]?.entries).toEqual([
      { key: "date-de-creation", value: { kind: "date", iso: "2021-09-07", dateOnly: true } },
      {
        key: "periodicity",
        value: { kind: "list", items: [{ kind: "text", text: "Quotidienne" }] },
      },
    ]);
    expect(templates[2]?.entries[0]?.value).toMatchObject({ kind: "html" });
  });

  it("leaves out the default keys shown elsewhere, and only those of the default template", () => {
    const templates = readMetaTemplates(
      { default: { publisher: "P", federated: false }, custom: { publisher: "Q" } },
      { base: "https://p.example/", shown: new Set(["publisher"]) },
    );
    expect(templates.map((t) => [t.name, t.entries.map((e) => e.key)])).toEqual([
      ["default", ["federated"]],
      ["custom", ["publisher"]],
    ]);
  });
});
