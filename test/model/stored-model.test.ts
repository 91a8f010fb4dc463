import { readFileSync } from "node:fs";
import { setImmediate } from "node:timers/promises";
import { describe, expect, it, onTestFinished } from "vitest";
import { openStore } from "../../src/cache/store.js";
import { type Dataset, toDataset } from "../../src/model/dataset.js";
import { parseDatasetBody, parseListingPage } from "../../src/model/parse.js";
import { SafeHtml } from "../../src/model/sanitize.js";
import { modelDocument, readModelDocument } from "../../src/model/stored-model.js";
import { SAMPLES_DIR } from "../../src/portal-server/demo.js";
import { createEngine } from "../../src/render/engine.js";
import { createPageMaker } from "../../src/render/page-maker.js";
import { renderDatasetPage } from "../../src/render/pages.js";
import { createSite } from "../../src/render/site.js";
import { makeDataset } from "../support/datasets.js";
import { test } from "../support/fixtures.js";

const URL_OF = (id: string) => `https://data.example/api/v2/catalog/datasets/${id}`;
const KEY = "a model key";

/** Recorded datasets, and one with HTML in a description, a custom meta and a list. */
function datasets(): Dataset[] {
  const listed = [
    "v20-economie-gouv-catalog_datasets.json",
    "v21-economie-gouv-catalog_datasets-app_metas-anonymized.json",
  ].flatMap(
    (name) =>
      parseListingPage(JSON.parse(readFileSync(`${SAMPLES_DIR}/${name}`, "utf8")), URL_OF("x"))
        .entries,
  );
  const made = makeDataset("html-everywhere", {
    description: `<p>Été <script>x()</script><a href="javascript:y">z</a> <b>bold</b></p>`,
  });
  const metas = {
    default: (made.metas as { default: object }).default,
    custom: { note: "<p>A <em>note</em></p>", notes: ["<p>one</p>", "two"] },
  };
  const bodies = [...listed.map((entry) => entry.raw), { links: [], dataset: { ...made, metas } }];
  return bodies.map((body, i) =>
    toDataset(parseDatasetBody(body, URL_OF(`d${i}`)), {
      url: URL_OF(`d${i}`),
      publicUrl: (url) => url.replace("https://data.example", "https://public.example"),
      lang: "fr",
      records: [{ id: "r1", fields: { code: "<b>1</b>", value: 2 } }],
    }),
  );
}

const site = createSite({
  title: "Catalog",
  lang: "fr",
  timeZone: "Europe/Paris",
  siteUrl: "https://catalog.example/",
  portalOrigin: "https://public.example",
});
const engine = createEngine();
const stored = (dataset: Dataset, url: string) =>
  JSON.parse(modelDocument(dataset, KEY, url)) as unknown;

describe("stored models", () => {
  it("give back a dataset whose page is the page of the dataset stored, byte for byte", () => {
    const all = datasets();
    expect(all.length).toBeGreaterThan(4);
    const html = all.flatMap((d) =>
      d.metas.flatMap((t) => t.entries.filter((e) => JSON.stringify(e.value).includes('"html"'))),
    );
    // The samples and the made dataset hold HTML metas, lists of them among them.
    expect(html.some((e) => e.value.kind === "list")).toBe(true);
    for (const [i, dataset] of all.entries()) {
      const url = URL_OF(`d${i}`);
      const back = readModelDocument(stored(dataset, url), KEY, url);
      if (!back) throw new Error(`model ${i} was not read back`);
      expect(back).toStrictEqual(dataset);
      expect(back.description).toBeInstanceOf(SafeHtml);
      expect(back.description.text()).toBe(dataset.description.text());
      expect(renderDatasetPage(back, site, engine)).toEqual(
        renderDatasetPage(dataset, site, engine),
      );
    }
  });

  it("keep sanitized HTML as sanitized: nothing unsafe comes back", () => {
    const dataset = datasets().at(-1) as Dataset;
    const back = readModelDocument(stored(dataset, URL_OF("x")), KEY, URL_OF("x"));
    const page = renderDatasetPage(back as Dataset, site, engine).contents;
    expect(page).toContain("<em>note</em>");
    expect(page).not.toMatch(/<script>x\(\)|javascript:y/);
  });

  it("are not used when their HTML or links are not what the sanitizer and model would write", () => {
    const url = URL_OF("x");
    const dataset = datasets().at(-1) as Dataset;
    /** The dataset read back from its document changed by `change`, as a poisoned cache would. */
    const tampered = (change: (d: Dataset) => void) => {
      const value = stored(dataset, url) as { dataset: Dataset };
      change(value.dataset);
      return readModelDocument(value, KEY, url);
    };
    /** Stored HTML, a `{ html }` object in the document. */
    const htmlOf = (value: unknown) => value as { html: string };
    const entries = (d: Dataset) => d.metas.flatMap((template) => template.entries);
    expect(tampered(() => undefined)).toBeDefined();
    const changes: Array<(d: Dataset) => void> = [
      (d) => {
        htmlOf(d.description).html += "<script>alert(1)</script>";
      },
      (d) => {
        htmlOf(d.description).html = `<p onclick="alert(1)">x</p>`;
      },
      (d) => {
        d.license.url = "javascript:alert(1)";
      },
      (d) => {
        d.links.portal = " javascript:alert(1)";
      },
      (d) => {
        d.links.records = "data:text/html,x";
      },
      (d) => {
        d.attachments = [{ id: "a", title: "a", mimetype: undefined, url: "vbscript:x" }];
      },
      (d) => {
        const meta = entries(d).find((e) => e.value.kind === "html")?.value;
        if (meta?.kind === "html") htmlOf(meta.html).html = `<img src=x onerror=alert(1)>`;
      },
      (d) => {
        const meta = entries(d).find((e) => e.value.kind === "list")?.value;
        if (meta?.kind === "list")
          meta.items.push({ kind: "link", url: "javascript:x", text: "x" });
      },
      (d) => {
        (d as unknown as { metas: string }).metas = "not a list";
      },
    ];
    for (const change of changes) expect(tampered(change), String(change)).toBeUndefined();
    // The page's folder comes from the id, whatever the model says.
    const moved = tampered((d) => {
      d.segment = "../elsewhere";
    });
    expect(moved?.segment).toBe(dataset.segment);
  });

  it("are not used when made with another key, from another URL, or are no model", () => {
    const dataset = datasets()[0] as Dataset;
    const url = URL_OF("d0");
    expect(readModelDocument(stored(dataset, url), "another key", url)).toBeUndefined();
    expect(readModelDocument(stored(dataset, url), KEY, URL_OF("elsewhere"))).toBeUndefined();
    for (const value of [null, 3, "text", [], { key: KEY, url }, { key: KEY, url, dataset: 1 }]) {
      expect(readModelDocument(value, KEY, url)).toBeUndefined();
    }
  });
});

describe("a page maker with a store", () => {
  test("makes the page from the model it saved, the same page, and from the document when the model is unusable", async ({
    tmp,
  }) => {
    const store = openStore(tmp);
    onTestFinished(() => store.close());
    const settings = {
      site: {
        title: "Catalog",
        lang: "fr" as const,
        timeZone: "Europe/Paris",
        siteUrl: "https://catalog.example/",
        portalOrigin: "https://data.example",
      },
      templates: undefined,
      crawlOrigin: "https://data.example",
      publicOrigin: "https://data.example",
      modelKey: KEY,
    };
    const make = createPageMaker(settings, { store });
    const url = URL_OF("html-everywhere");
    const body = { links: [], dataset: makeDataset("html-everywhere") };
    const fresh = make.fromDocument({ body, records: [] }, url);
    expect(fresh).toMatchObject({
      fromModel: false,
      model: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // Written when the event loop turns (or once 64 KB are queued).
    await setImmediate();
    const again = make.fromModel(fresh.model ?? "", url);
    expect(again).toMatchObject({ fromModel: true, model: fresh.model });
    expect(again?.file).toEqual(fresh.file);
    expect(again?.summary).toEqual(fresh.summary);
    // Another URL, a key never stored, a document that is not JSON: no page.
    expect(make.fromModel(fresh.model ?? "", URL_OF("other"))).toBeUndefined();
    expect(make.fromModel("0".repeat(64), url)).toBeUndefined();
    expect(make.fromModel(await store.put("not JSON"), url)).toBeUndefined();
  });
});
