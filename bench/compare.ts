import { readFile } from "node:fs/promises";
import { int, kb, mb, percent, seconds, table } from "./format.js";
import type { BenchResult } from "./results.js";
import { rerenderOf, scenario, worstQuery } from "./targets.js";

/**
 * `node bench/.out/bench/compare.js <before.json> <after.json>`: the key figures of two
 * bench results side by side, with the change. Says so when the runs are not comparable
 * (other settings, machine or Node).
 */

const paths = process.argv.slice(2);
if (paths.length !== 2) {
  process.stderr.write("Usage: node bench/.out/bench/compare.js <before.json> <after.json>\n");
  process.exit(2);
}
const [before, after] = (await Promise.all(
  paths.map(async (path) => JSON.parse(await readFile(path, "utf8")) as BenchResult),
)) as [BenchResult, BenchResult];

type Metric = [
  label: string,
  read: (r: BenchResult) => number | undefined,
  show: (n: number) => string,
];
const metrics: Metric[] = [
  ["cold wall time", (r) => scenario(r, "cold").wallMs, seconds],
  ["  crawl", (r) => scenario(r, "cold").report.ms.crawl, seconds],
  ["  render+write", (r) => scenario(r, "cold").renderWriteMs, seconds],
  ["  search index", (r) => scenario(r, "cold").report.ms.search, seconds],
  ["  pages/s", (r) => scenario(r, "cold").pagesPerSecond, int],
  ["  requests", (r) => scenario(r, "cold").report.requests, int],
  ["floor pages/s", (r) => r.floor.pagesPerSecond, int],
  ["  right before every page again", (r) => r.floorBeforeRerender?.pagesPerSecond, int],
  ["  right after it", (r) => r.floorAfterRerender?.pagesPerSecond, int],
  ["floor ÷ build pages/s", (r) => r.floorRatio, (n) => `${n.toFixed(2)}×`],
  ["peak RSS", (r) => Math.max(...r.scenarios.map((s) => s.usage.maxRssKb * 1024)), mb],
  ["warm wall time", (r) => scenario(r, "warm").wallMs, seconds],
  ["  requests", (r) => scenario(r, "warm").report.requests, int],
  ["1% changed wall time", (r) => scenario(r, "changed").wallMs, seconds],
  ["  requests", (r) => scenario(r, "changed").report.requests, int],
  ["every page again: render+write", (r) => rerenderOf(r)?.renderWriteMs, seconds],
  ["  pages/s", (r) => rerenderOf(r)?.pagesPerSecond, int],
  ["average dataset page", (r) => avgPage(r), kb],
  ["whole site", (r) => scenario(r, "cold").site.bytes, mb],
  ["search query, worst (as served)", (r) => worstQuery(r.searchDownloads)?.total.raw, kb],
  ["  gzipped", (r) => worstQuery(r.searchDownloads)?.total.gzip, kb],
];

const header = (r: BenchResult) =>
  `${r.commit.sha}${r.commit.dirty ? "+" : ""} ${r.startedAt.slice(0, 16)}`;
const rows = metrics.map(([label, read, show]) => {
  const a = read(before);
  const b = read(after);
  const change = a !== undefined && b !== undefined && a !== 0 ? percent(b / a - 1) : "";
  return [label, a === undefined ? "–" : show(a), b === undefined ? "–" : show(b), change];
});
process.stdout.write(`${table([["", header(before), header(after), "change"], ...rows])}\n\n`);
for (const r of [before, after]) {
  const failed = r.targets.filter((t) => t.status === "FAIL").map((t) => t.target);
  process.stdout.write(
    `${header(r)}: ${failed.length === 0 ? "no target failed" : `failed: ${failed.join("; ")}`}\n`,
  );
}
const differences = [
  JSON.stringify(before.settings) !== JSON.stringify(after.settings) ? "settings" : "",
  before.machine.cpuModel !== after.machine.cpuModel || before.machine.cpus !== after.machine.cpus
    ? "machine"
    : "",
  before.machine.node !== after.machine.node ? "Node version" : "",
].filter(Boolean);
if (differences.length > 0) {
  process.stdout.write(`\nNot like for like: the runs differ in ${differences.join(", ")}.\n`);
}

function avgPage(r: BenchResult): number {
  const { site } = scenario(r, "cold");
  return site.datasetPageBytes / Math.max(1, site.datasetPages);
}
