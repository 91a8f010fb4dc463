import type { FloorResult } from "./floor.js";
import type { ProfileSummary } from "./profile.js";
import type { Needed, RequestCounts } from "./requests.js";
import type { BuildRun } from "./run-build.js";

/**
 * The shape of `bench/results/*.json`: everything one `npm run bench` measured, with the
 * commit and machine, so two runs can be compared (`bench/compare.ts`). Bump `schema` when
 * a field changes meaning.
 */
export type Floor = FloorResult & { pagesPerSecond: number; otherCpuMs: number | null };

export interface BenchResult {
  schema: 1;
  startedAt: string;
  commit: { sha: string; dirty: boolean; subject: string };
  machine: {
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    totalMemMB: number;
    /** 1, 5 and 15 minute load averages when the run started: a busy machine reads slower. */
    loadavg: number[];
  };
  settings: Settings;
  portal: { generateMs: number; withRecordSample: number; serverMaxRssKb: number };
  scenarios: ScenarioResult[];
  /** The floor, first thing (like the cold build, on a disk where nothing was just deleted). */
  floor: Floor;
  /**
   * The floor again, right before the build that makes every page again (absent in old
   * results): the same machine speed as that build's, which moves by half within minutes.
   */
  floorBeforeRerender?: Floor;
  /**
   * The floor once more, right after that build (absent in older results): the two bracket
   * the build, so a change of machine speed while it ran weighs on both sides of the ratio.
   */
  floorAfterRerender?: Floor;
  /**
   * The every-page-again build made again (`--rerenders`; absent in older results), each
   * from the state the first one found, and the floor right after each.
   */
  rerenderRepeats?: RerenderRepeat[];
  /**
   * The floor's pages/s over the every-page-again build's: how many times slower the build
   * makes pages. Each build's is set against `bracketingFloor` of the floors right before
   * and after it; this is the median of those (older results: of the first build alone,
   * against both floors, the one right before it, or the first one).
   */
  floorRatio: number;
  /** Each every-page-again build's ratio, in order (absent in older results). */
  floorRatios?: number[];
  /**
   * `cpuProbe()` at the start, before the cold build and at the end (absent in old results):
   * the machine's speed when these figures were measured.
   */
  cpuProbe?: { start: number; beforeCold: number; end: number };
  /** What one search query downloads in a browser, measured on the cold site (absent in old results). */
  searchDownloads?: SearchDownloads;
  targets: TargetResult[];
  /** With `--cpu-prof`: where each build's CPU time went. */
  profiles?: Partial<Record<ScenarioName, ProfileSummary>>;
}

/** One more every-page-again build, and the floor right after it. */
export interface RerenderRepeat {
  pagesPerSecond: number;
  renderWriteMs: number;
  cpuMs: number;
  otherCpuMs: number | null;
  floorAfter: Floor;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

/**
 * The pages/s of the two floors that bracket a build, taken together: their pages over the
 * mean of their times (the floor's speed moved from 3,991 to 8,534 pages/s between runs
 * minutes apart, and a build takes 20 to 30 s).
 */
export function bracketingFloor(before: Floor, after: Floor): number {
  return (before.pages + after.pages) / ((before.ms + after.ms) / 1000);
}

export interface Settings {
  datasets: number;
  latencyMs: number;
  concurrency: number;
  records: number;
  seed: number;
}

/**
 * `rerender`: every page made again from the cache (the site's title changed), with a crawl of
 * the listing only. The cold build makes most dataset pages while it crawls, so this is where
 * rendering and writing are measured alone.
 */
export type ScenarioName = "cold" | "warm" | "changed" | "rerender";

export interface ScenarioResult extends BuildRun {
  name: ScenarioName;
  /**
   * CPU time other processes (and the hypervisor) took from this machine during the build:
   * the noise in its timings. Null where /proc/stat is missing.
   */
  otherCpuMs: number | null;
  /** What the server received during this build, and the CPU it spent answering. */
  server: { requests: RequestCounts; cpuMs: number };
  needed: Needed;
  /** `self` fetches of datasets that did not need one (unchanged, or fetched twice). */
  unexpectedSelf: number;
  /** Datasets that needed a `self` fetch (new or edited) and did not get one. */
  missingSelf: number;
  /** Model + render + write from the report: from the end of the crawl to the swap. */
  renderWriteMs: number;
  /** Pages rendered (every HTML page, `report.pages.rendered`) per second of `renderWriteMs`. */
  pagesPerSecond: number;
}

/** Bytes as served (the preview server does not compress) and as a gzipping host would send them. */
export interface Bytes {
  raw: number;
  gzip: number;
}

export interface QueryDownload {
  name: string;
  /** The page opened, relative to the site: `search/?q=…&theme=…`. */
  path: string;
  /** The result count the page shows. */
  results: number;
  requests: number;
  /** The HTML page, its stylesheet and the site's scripts: everything outside the index. */
  page: Bytes;
  /** Everything under `search-index/` (`pagefind/`, with its scripts, in older commits). */
  search: Bytes;
  total: Bytes;
  /** The largest responses, by raw bytes. */
  largest: Array<Bytes & { path: string }>;
}

/** Measured; or skipped (no Chromium: n/a); or failed (the search page did not finish: FAIL). */
export type SearchDownloads =
  | { status: "measured"; queries: QueryDownload[] }
  | { status: "skipped" | "failed"; reason: string };

export type Status = "PASS" | "FAIL" | "n/a";

export interface TargetResult {
  target: string;
  status: Status;
  measured: string;
  note?: string;
}
