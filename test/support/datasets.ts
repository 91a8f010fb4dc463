import type { PortalData, PortalDataset } from "../../src/portal-server/portal.js";

/**
 * Dataset objects shaped like the recorded ones (see test/fixtures/ods-samples), with only
 * what a test varies passed in. Keys and nesting follow data.economie.gouv.fr's v2.0 bodies.
 */
export function makeDataset(
  id: string,
  options: {
    title?: string;
    description?: string | null;
    modified?: string;
    metas?: Record<string, unknown>;
    fields?: unknown[];
  } = {},
): Record<string, unknown> {
  return {
    dataset_id: id,
    dataset_uid: `da_${id.length.toString(36)}x`,
    has_records: true,
    features: ["analyze"],
    visibility: "domain",
    attachments: [],
    data_visible: true,
    fields: options.fields ?? [
      {
        name: "code",
        description: null,
        annotations: { facet: true },
        label: "Code",
        type: "text",
      },
      { name: "value", description: "A measure", annotations: {}, label: "Value", type: "double" },
    ],
    metas: {
      default: {
        title: options.title ?? `Dataset ${id}`,
        description:
          options.description === undefined ? `<p>About ${id}.</p>` : options.description,
        theme: ["Economy"],
        keyword: ["test"],
        license: "Licence Ouverte v2.0 (Etalab)",
        license_url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
        language: "en",
        modified: options.modified ?? "2024-01-15T10:00:00+00:00",
        data_processed: "2024-01-15T10:00:00+00:00",
        metadata_processed: "2024-01-15T10:00:01+00:00",
        publisher: "Test Office",
        records_count: 42,
        ...options.metas,
      },
    },
  };
}

export function makePortal(ids: string[]): PortalData {
  return { datasets: ids.map((id): PortalDataset => ({ dataset: makeDataset(id) })) };
}

/** `count` ids `ds-00000`, `ds-00001`, …: sortable, so catalog order equals id order. */
export function manyIds(count: number, prefix = "ds"): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(5, "0")}`);
}
