/**
 * A seeded pseudo-random source (mulberry32). Every synthetic dataset draws from its own
 * stream, keyed by the portal seed and the dataset's index, so any one dataset (or its
 * records) can be regenerated alone and the same N always gives the same portal.
 */
export class Random {
  #state: number;

  constructor(...keys: number[]) {
    // Mix the keys into one 32-bit state (murmur-style finaliser), so nearby keys diverge.
    let h = 0x811c9dc5;
    for (const key of keys) {
      h = Math.imul(h ^ key, 0x9e3779b1);
      h ^= h >>> 15;
    }
    this.#state = h >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Random.pick from an empty list.");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** `k` distinct items, in the list's order. */
  some<T>(items: readonly T[], k: number): T[] {
    // Selection sampling: keep item i with probability (still needed) / (still left).
    const out: T[] = [];
    for (let i = 0; i < items.length && out.length < k; i++) {
      if (this.next() * (items.length - i) < k - out.length) out.push(items[i] as T);
    }
    return out;
  }

  /** One value from `[value, weight]` pairs. */
  weighted<T>(table: ReadonlyArray<readonly [T, number]>): T {
    const total = table.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [value, weight] of table) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return (table[table.length - 1] as readonly [T, number])[0];
  }

  /** A log-uniform integer in [lo, hi]: most values small, a long tail of large ones. */
  logInt(lo: number, hi: number): number {
    return Math.floor(Math.exp(Math.log(lo) + this.next() * (Math.log(hi + 1) - Math.log(lo))));
  }

  hex(length: number): string {
    let out = "";
    while (out.length < length) {
      out += Math.floor(this.next() * 0x1_0000_0000)
        .toString(16)
        .padStart(8, "0");
    }
    return out.slice(0, length);
  }
}
