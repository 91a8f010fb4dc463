import type { Log } from "../log.js";
import type { HttpStats } from "./http.js";

/**
 * Spends a portal's API quota with care. ODS portals announce what is left of their daily
 * quota in `X-RateLimit-Remaining`; a crawl that would exhaust it locks the portal's own
 * users out until midnight. Before each optional request (a dataset's self link, a record
 * sample) the crawler asks `allow()`: the answer is no once the remaining calls, minus those
 * in flight and the listing pages still to read, would cut into the reserve. The crawler
 * then uses the listing's copy instead, and says so once.
 */
export interface Budget {
  allow(): boolean;
  /** Requests refused so far. */
  readonly refused: number;
}

export function createBudget(options: {
  stats: HttpStats;
  reserve: number;
  log: Log;
  pendingListing: () => number;
}): Budget {
  let granted = 0;
  let grantedAtReading = 0;
  let lastReading: HttpStats["rateLimit"];
  let refused = 0;
  return {
    get refused() {
      return refused;
    },
    allow() {
      const rate = options.stats.rateLimit;
      if (rate?.remaining === undefined) return true;
      // Requests granted since the last header we read are spent, or about to be.
      if (rate !== lastReading) {
        lastReading = rate;
        grantedAtReading = granted;
      }
      const spending = granted - grantedAtReading;
      const left = rate.remaining - spending - options.pendingListing();
      if (left > options.reserve) {
        granted++;
        return true;
      }
      if (refused++ === 0) {
        const reset = rate.resetAt ? ` (it resets at ${rate.resetAt.toISOString()})` : "";
        options.log.warn(
          `The portal's quota has ${rate.remaining} calls left${reset}; keeping ${options.reserve} in reserve, so the remaining datasets use their copies from the listing.`,
        );
      }
      return false;
    },
  };
}
