/**
 * The first `count` items in the order `before` gives (negative: `a` comes first), as
 * sorting them all and taking the head would, in one pass: the home page and the feed want
 * the ten or fifty newest of 40,000 datasets, where a full sort took 0.1 s. `before` must be
 * a total order (ties broken, as by id), or which of equal items are kept is unspecified.
 */
export function firstBy<T>(items: Iterable<T>, count: number, before: (a: T, b: T) => number): T[] {
  const kept: T[] = [];
  if (count <= 0) return kept;
  for (const item of items) {
    if (kept.length === count && before(item, kept[count - 1] as T) >= 0) continue;
    let at = kept.length;
    while (at > 0 && before(item, kept[at - 1] as T) < 0) at--;
    kept.splice(at, 0, item);
    if (kept.length > count) kept.pop();
  }
  return kept;
}
