/**
 * Splits a list into numbered pages and describes the navigation between them. Pure.
 */
export interface Page<T> {
  /** 1-based. */
  number: number;
  count: number;
  items: T[];
  /** Position of the first item in the whole list, 1-based. */
  first: number;
  total: number;
}

export function paginate<T>(items: readonly T[], size: number): Array<Page<T>> {
  const count = Math.max(1, Math.ceil(items.length / size));
  return Array.from({ length: count }, (_, i) => ({
    number: i + 1,
    count,
    items: items.slice(i * size, (i + 1) * size),
    first: i * size + 1,
    total: items.length,
  }));
}

/**
 * The page numbers a pagination bar shows: the first, the last, and a window around the
 * current one, with `undefined` for a gap ("…"). `[1, undefined, 4, 5, 6, undefined, 20]`.
 */
export function pageWindow(current: number, count: number, radius = 2): Array<number | undefined> {
  const shown = new Set([1, count]);
  for (let n = current - radius; n <= current + radius; n++) if (n >= 1 && n <= count) shown.add(n);
  const sorted = [...shown].sort((a, b) => a - b);
  const out: Array<number | undefined> = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && n - last > 1) out.push(undefined);
    out.push(n);
  }
  return out;
}
