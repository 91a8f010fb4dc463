import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * From now on, V8 may let the heap grow to twice what its last full collection kept.
 *
 * After the crawl, a build makes far more garbage than it keeps (pages on their way to disk,
 * search records, the manifest's lines), and V8's default policy lets the heap grow to about
 * four times its live data before collecting: a 40,000-dataset rebuild kept 240 MB in an
 * 800 MB heap and peaked at 920–1,000 MB resident; bounded, at 660–690 MB, its render phase
 * 5% slower (30% growth saved no more memory and cost 10%). Not during the crawl: there the
 * extra collections, competing for the two cores with the page workers and the crawl itself,
 * slowed a cold 10,000-dataset crawl by 8% (25% with 30% growth).
 *
 * V8 reads the flag when a full collection sets the next limit, and worker threads share it;
 * one collection now applies it at once (`gc` exposed the way Node's documentation of
 * `v8.setFlagsFromString` shows). A process-wide setting: a build owns its process.
 */
export function boundHeapGrowth(): void {
  setFlagsFromString("--heap-growing-percent=100");
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}
