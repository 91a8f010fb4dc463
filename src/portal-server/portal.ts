/**
 * The data a local portal serves: dataset objects exactly as ODS sends them (the value of
 * `dataset` in a v2.0 body), optionally a different body for the lookup (real portals'
 * `self` answers can differ slightly from their listing entries), and records.
 */
export interface PortalData {
  /** In catalog order. */
  datasets: PortalDataset[];
}

export interface PortalDataset {
  /** The listing's dataset object. Must hold a string `dataset_id`. */
  dataset: Record<string, unknown>;
  /** What `GET /catalog/datasets/{id}` returns, when it differs from the listing. */
  lookup?: Record<string, unknown>;
  /** v2.0 record objects (`{id, timestamp, size, fields}`), first ones first. */
  records?: Array<Record<string, unknown>>;
}

export function datasetId(entry: PortalDataset): string {
  const id = entry.dataset.dataset_id;
  if (typeof id !== "string") throw new Error("A portal dataset has no string dataset_id.");
  return id;
}
