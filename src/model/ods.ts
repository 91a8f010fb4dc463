import type { ApiShapeError } from "../errors.js";

/**
 * The ODS Explore API v2 wire format, as `parse.ts` leaves it: shapes checked, nothing
 * interpreted yet. Both v2.0 (`{links, dataset}` wrappers) and v2.1 (flat objects,
 * `results`) bodies parse into these types.
 */

export interface OdsLink {
  href: string;
  rel: string;
}

/** The root collection (`/api/v2`) and the catalog (`/api/v2/catalog`) are just links. */
export interface OdsLinks {
  links: OdsLink[];
}

export interface OdsListingPage {
  /** Number of datasets the listing matches (all pages together); absent in odd bodies. */
  totalCount: number | undefined;
  links: OdsLink[];
  entries: OdsListingEntry[];
  /** Entries that are not datasets of a readable shape; one bad entry never sinks the page. */
  rejected: ApiShapeError[];
}

/**
 * A listing entry, read as far as the crawl uses it. The rest of the dataset is checked if
 * this copy is ever rendered (its `self` link failed): then as an `OdsDatasetBody`, like any
 * stored document. So a listing entry's odd field costs nothing when its `self` body is fine.
 */
export interface OdsListingEntry {
  links: OdsLink[];
  dataset: OdsListedDataset;
  /** The entry exactly as received, kept to store and to hash for change detection. */
  raw: unknown;
}

export type OdsListedDataset = Pick<
  OdsDataset,
  "id" | "uid" | "hasRecords" | "dataVisible" | "metas"
>;

/** A dataset lookup (`/catalog/datasets/{id}`) has the form of a listing entry, read whole. */
export interface OdsDatasetBody extends OdsListingEntry {
  dataset: OdsDataset;
}

export interface OdsDataset {
  id: string;
  uid: string | undefined;
  hasRecords: boolean;
  dataVisible: boolean;
  visibility: string | undefined;
  features: string[];
  attachments: OdsAttachment[];
  alternativeExports: OdsAttachment[];
  fields: OdsField[];
  /** Metadata templates by name (`default`, `custom`, `dcat`, …), each a bag of raw values. */
  metas: Record<string, Record<string, unknown>>;
}

export interface OdsAttachment {
  id: string;
  title: string | undefined;
  mimetype: string | undefined;
  url: string | undefined;
  description: string | undefined;
}

export interface OdsField {
  name: string;
  label: string | undefined;
  type: string;
  description: string | undefined;
  /** Always an object: ODS's `[]` for "none" is normalised to `{}`. Values stay raw. */
  annotations: Record<string, unknown>;
  /** `label_<lang>` / `description_<lang>` keys of multilingual domains. */
  labels: Record<string, string>;
  descriptions: Record<string, string>;
}

export interface OdsRecordsPage {
  totalCount: number | undefined;
  links: OdsLink[];
  records: OdsRecord[];
}

export interface OdsRecord {
  id: string | undefined;
  fields: Record<string, unknown>;
}

/** Error bodies: ODS v2 (`error_code`, `message`) and the legacy quota shape (`errorcode`, …). */
export interface OdsErrorBody {
  code: string | undefined;
  message: string | undefined;
  /** From a 429 quota body: when the quota resets. */
  resetTime: string | undefined;
  callLimit: number | undefined;
  limitTimeUnit: string | undefined;
}
