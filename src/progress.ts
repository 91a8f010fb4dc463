/**
 * Progress of a long crawl. On a terminal: one line redrawn in place (at most ten times a
 * second) with datasets done, requests per second, retries and the time left. Elsewhere
 * (CI logs): a plain line every 10% or 30 seconds, whichever comes first. Nothing with
 * --quiet. Pure over an injected clock and writer, so it is tested without a terminal.
 */
export interface Progress {
  /** A phase starts: "Crawling" (shows the request rate), "Rendering", … */
  phase(name: string, total: number | undefined, options?: { requests?: boolean }): void;
  update(done: number, total: number | undefined): void;
  retry(): void;
  /** Clears the live line before other output, and at the end. */
  clear(): void;
}

export interface ProgressOptions {
  write: (text: string) => void;
  isTTY: boolean;
  quiet: boolean;
  /** Requests sent so far, for the rate. */
  requests: () => number;
  now?: () => number;
}

export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  let name = "";
  let started = now();
  let startRequests = 0;
  let total: number | undefined;
  let done = 0;
  let retries = 0;
  let lastDraw = -Infinity;
  let lastPlain = -Infinity;
  let lastDecile = -1;
  let live = false;
  let showRequests = false;

  const line = () => {
    const elapsed = (now() - started) / 1000;
    const rate = elapsed > 0 ? (options.requests() - startRequests) / elapsed : 0;
    const parts = [
      `${name}: ${done.toLocaleString("en")}${total ? `/${total.toLocaleString("en")}` : ""} datasets`,
    ];
    if (total) parts[0] += ` (${Math.floor((done / total) * 100)}%)`;
    if (showRequests)
      parts.push(`${rate.toFixed(0)} req/s`, `${retries} ${retries === 1 ? "retry" : "retries"}`);
    if (total && done > 0 && done < total)
      parts.push(`ETA ${duration(((total - done) * elapsed) / done)}`);
    return parts.join(" · ");
  };

  const draw = (force: boolean) => {
    if (options.quiet) return;
    const t = now();
    if (options.isTTY) {
      if (!force && t - lastDraw < 100) return;
      lastDraw = t;
      options.write(`\r\x1b[2K${line()}`);
      live = true;
      return;
    }
    // Small builds finish before a log reader would want news; big ones report every 10%.
    const decile = total && total >= PLAIN_MINIMUM ? Math.floor((done / total) * 10) : -1;
    if ((force && decile >= 0) || decile > lastDecile || t - lastPlain >= 30_000) {
      lastDecile = decile;
      lastPlain = t;
      options.write(`${line()}\n`);
    }
  };

  return {
    phase(phaseName, phaseTotal, phaseOptions = {}) {
      this.clear();
      name = phaseName;
      showRequests = phaseOptions.requests ?? false;
      total = phaseTotal;
      done = 0;
      started = now();
      startRequests = options.requests();
      lastDecile = 0;
      lastPlain = now();
    },
    update(value, newTotal) {
      done = value;
      total = newTotal ?? total;
      draw(total !== undefined && done === total);
    },
    retry() {
      retries++;
      draw(false);
    },
    clear() {
      if (live) options.write("\r\x1b[2K");
      live = false;
    },
  };
}

/** Below this many items, logs (not terminals) get no progress lines. */
const PLAIN_MINIMUM = 500;

/** `75` → "1m 15s"; `4000` → "1h 6m". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}
