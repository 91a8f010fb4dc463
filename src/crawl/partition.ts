/**
 * Splitting a catalog listing into parts the API will page through. ODS answers HTTP 400
 * once `offset + limit` exceeds 10,000, so a larger catalog is listed as several filtered
 * listings, each under the cap: by ranges of `modified` (documented ODSQL date
 * comparisons), then, for datasets sharing one modified second, by ranges of
 * `records_count`. Pure: the listing walker asks, this answers.
 */

/** A half-open range [lo, hi) of one field; `undefined` bounds mean "no constraint". */
export interface Partition {
  /** Epoch milliseconds. */
  modified: [number, number];
  records?: [number, number];
}

/** The whole catalog: every date from 1900 to 2200. */
export const WHOLE_CATALOG: Partition = {
  modified: [Date.UTC(1900, 0, 1), Date.UTC(2200, 0, 1)],
};

/** Datasets without a `modified` date fall outside every range; they get their own part. */
export const NO_MODIFIED_DATE = "modified IS NULL";

export function whereOf(partition: Partition): string {
  const [from, to] = partition.modified;
  const clauses = [`modified >= date'${isoSecond(from)}'`, `modified < date'${isoSecond(to)}'`];
  if (partition.records) {
    clauses.push(
      `records_count >= ${partition.records[0]}`,
      `records_count < ${partition.records[1]}`,
    );
  }
  return clauses.join(" AND ");
}

/**
 * Two halves covering the partition exactly, or undefined when it cannot be narrowed further
 * (one second, one record count: more than 10,000 datasets identical on both keys).
 */
export function split(partition: Partition): [Partition, Partition] | undefined {
  const [from, to] = partition.modified;
  if (!partition.records && to - from > 1000) {
    const middle = from + Math.floor((to - from) / 2000) * 1000;
    return [{ modified: [from, middle] }, { modified: [middle, to] }];
  }
  const [low, high] = partition.records ?? [0, Number.MAX_SAFE_INTEGER];
  if (high - low <= 1) return undefined;
  const middle = low + Math.floor((high - low) / 2);
  return [
    { modified: partition.modified, records: [low, middle] },
    { modified: partition.modified, records: [middle, high] },
  ];
}

/** `2021-09-06T10:02:29`: whole seconds in UTC, the form ODSQL date literals accept. */
function isoSecond(epoch: number): string {
  return new Date(epoch).toISOString().slice(0, 19);
}
