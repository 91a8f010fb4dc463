/**
 * The part of ODSQL `where` the crawler uses to split a large catalog, evaluated against a
 * dataset's `metas.default`: comparisons of `modified` (and the other processing dates) with
 * `date'…'` literals, of `records_count` with numbers, and `IS [NOT] NULL`, joined by AND.
 * Anything else is an ODSQLError, as a real portal would answer a query it cannot parse.
 */
export type Predicate = (metas: Record<string, unknown>) => boolean;

const DATE_FIELDS = new Set(["modified", "data_processed", "metadata_processed"]);
const NUMBER_FIELDS = new Set(["records_count"]);

export function parseWhere(where: string): Predicate | { error: string } {
  const clauses = where.split(/\s+AND\s+/i).map((c) => c.trim());
  const predicates: Predicate[] = [];
  for (const clause of clauses) {
    const predicate = parseClause(clause);
    if (!predicate)
      return {
        error: `ODSQL query is malformed: ${clause} Clause(s) containing the error(s): where.`,
      };
    predicates.push(predicate);
  }
  return (metas) => predicates.every((p) => p(metas));
}

function parseClause(clause: string): Predicate | undefined {
  const nullTest = /^(\w+)\s+IS\s+(NOT\s+)?NULL$/i.exec(clause);
  if (nullTest?.[1]) {
    const field = nullTest[1].toLowerCase();
    const negated = Boolean(nullTest[2]);
    return (metas) => (metas[field] === null || metas[field] === undefined) !== negated;
  }
  const comparison = /^(\w+)\s*(>=|<=|>|<|=)\s*(date'([^']+)'|-?\d+(?:\.\d+)?)$/i.exec(clause);
  if (!comparison?.[1] || !comparison[2] || !comparison[3]) return undefined;
  const field = comparison[1].toLowerCase();
  const operator = comparison[2];
  let bound: number;
  let read: (value: unknown) => number | undefined;
  if (DATE_FIELDS.has(field) && comparison[4] !== undefined) {
    bound = parseDate(comparison[4]);
    read = (value) => (typeof value === "string" ? parseDate(value) : undefined);
  } else if (NUMBER_FIELDS.has(field) && comparison[4] === undefined) {
    bound = Number(comparison[3]);
    read = (value) => (typeof value === "number" ? value : undefined);
  } else {
    return undefined;
  }
  if (Number.isNaN(bound)) return undefined;
  return (metas) => {
    const value = read(metas[field]);
    if (value === undefined || Number.isNaN(value)) return false;
    switch (operator) {
      case ">=":
        return value >= bound;
      case "<=":
        return value <= bound;
      case ">":
        return value > bound;
      case "<":
        return value < bound;
      default:
        return value === bound;
    }
  };
}

/** ODSQL dates without a zone are in the request's time zone; the crawler always asks for UTC. */
function parseDate(text: string): number {
  return Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) || text.length <= 10 ? text : `${text}Z`);
}
