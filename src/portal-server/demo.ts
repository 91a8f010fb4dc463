import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { PortalData, PortalDataset } from "./portal.js";

/**
 * The bundled demo portal, assembled at start-up from the real recorded API responses in
 * `test/fixtures/ods-samples/` (see SOURCES.md there): nine datasets from four portals and
 * three API eras, covering what real portals send — null metas, every annotation form, an
 * attachment-only dataset, an id with `@`, multilingual metas, app-meta templates and
 * Word-pasted HTML. Nothing here is invented; v2.1 bodies are only unwrapped or wrapped
 * into the v2.0 form the demo portal serves.
 */
export const SAMPLES_DIR = fileURLToPath(
  new URL("../../test/fixtures/ods-samples/", import.meta.url),
);

/** The demo's datasets come from several portals; pages link to ODS's data network portal. */
export const DEMO_PUBLIC_ORIGIN = "https://data.opendatasoft.com";

export function loadDemoPortal(dir = SAMPLES_DIR): PortalData {
  const read = (name: string) => JSON.parse(readFileSync(`${dir}/${name}`, "utf8"));
  const listingOf = (name: string, key = "datasets") =>
    (read(name)[key] as Array<{ dataset?: Record<string, unknown> } & Record<string, unknown>>).map(
      (entry) => entry.dataset ?? entry,
    );

  const economie = listingOf("v20-economie-gouv-catalog_datasets.json");
  const fantoir = read("v20-economie-gouv-catalog_dataset_fantoir.json").dataset;
  const [boundaries, geonames] = listingOf("v20-docs-openapi-example-catalog_datasets.json");
  const geonamesLookup = read("v20-docs-openapi-example-dataset.json").dataset;
  const geonamesRecords = read("v20-docs-openapi-example-records.json").records.map(
    (entry: { record: Record<string, unknown> }) => entry.record,
  );
  const [rte] = listingOf("v20-data-opendatasoft-catalog_datasets-rte-excerpt-2017.json");
  const sns = read("v21-sns-transparencia-dataset-plus-records-multilingual-composite.json");
  const [appMetas] = listingOf(
    "v21-economie-gouv-catalog_datasets-app_metas-anonymized.json",
    "results",
  );

  const datasets: PortalDataset[] = [
    ...economie.map((dataset) => ({ dataset })),
    { dataset: fantoir },
    { dataset: required(boundaries) },
    { dataset: required(geonames), lookup: geonamesLookup, records: geonamesRecords },
    { dataset: required(rte) },
    {
      dataset: sns.dataset,
      records: sns.records.map((fields: Record<string, unknown>) =>
        wrapRecord(fields, sns.dataset),
      ),
    },
    { dataset: required(appMetas) },
  ];
  return { datasets };
}

// --- internal ---

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("A demo sample is missing an expected dataset.");
  return value;
}

/** v2.1 records are flat; the v2.0 form wraps them with an id, timestamp and size. */
function wrapRecord(
  fields: Record<string, unknown>,
  dataset: { metas?: { default?: { data_processed?: unknown } } },
) {
  const json = JSON.stringify(fields);
  return {
    id: createHash("sha1").update(json).digest("hex"),
    timestamp: dataset.metas?.default?.data_processed ?? null,
    size: Buffer.byteLength(json),
    fields,
  };
}
