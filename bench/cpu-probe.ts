/**
 * A fixed piece of CPU work, timed: how fast this machine runs JavaScript right now. On a
 * shared virtual machine the same build's CPU time moves by half or more over a day (the
 * host's load, not ours), and every timing with it; the probe, taken at the start, before
 * the cold build and at the end of a run, says which speed a run's figures were measured at.
 */

/** Parses of the probe's document in one second, on one core. */
export function cpuProbe(ms = 1000): number {
  let rounds = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    JSON.parse(PROBE_TEXT);
    rounds++;
    elapsed = performance.now() - started;
  }
  return Math.round((rounds / elapsed) * 1000 * 10) / 10;
}

/** About 1 MB of JSON: 20,000 small objects with numbers, strings and arrays. */
const PROBE_TEXT = JSON.stringify(
  Array.from({ length: 20_000 }, (_, i) => ({
    id: i,
    name: `dataset-${i}`,
    v: [i, i * 2.5, "x".repeat(20)],
  })),
);
