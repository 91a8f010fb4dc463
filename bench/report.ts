import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildCpuMs, int, kb, mb, percent, seconds, table } from "./format.js";
import { RESULTS_DIR } from "./paths.js";
import type { BenchResult, Bytes, Floor, ScenarioResult, SearchDownloads } from "./results.js";

/** The printed report of one run, and its JSON copy in bench/results/. */

export function formatReport(result: BenchResult): string {
  const { settings, machine, commit, floor, portal } = result;
  const runs = result.scenarios;
  const row = (label: string, cell: (run: ScenarioResult) => string) => [label, ...runs.map(cell)];
  const phase =
    (name: "crawl" | "model" | "render" | "write" | "search") => (run: ScenarioResult) => {
      const ms = run.report.ms[name];
      return ms === undefined ? "–" : seconds(ms);
    };
  const lines = [
    `ods-catalog bench · ${int(settings.datasets)} datasets · latency ${settings.latencyMs} ms · concurrency ${settings.concurrency} · records ${settings.records}`,
    `commit ${commit.sha}${commit.dirty ? " (uncommitted changes)" : ""} · node ${machine.node} · ${machine.cpus} × ${machine.cpuModel} · ${int(machine.totalMemMB)} MB · load ${machine.loadavg.map((l) => l.toFixed(2)).join(" ")}`,
    ...(result.cpuProbe
      ? [
          `CPU probe (a 1 MB JSON document parsed per second, one core; the same code is slower when this is lower): ${result.cpuProbe.start} at the start, ${result.cpuProbe.beforeCold} before the cold build, ${result.cpuProbe.end} at the end`,
        ]
      : []),
    `portal: ${int(settings.datasets)} datasets generated in ${seconds(portal.generateMs)}, ${int(portal.withRecordSample)} with a record sample; server peak RSS ${mb(portal.serverMaxRssKb * 1024)}`,
    "",
    table([
      ["", ...runs.map((r) => LABELS[r.name])],
      row("wall time (child process)", (r) => seconds(r.wallMs)),
      row("  report total", (r) => seconds(r.report.ms.total)),
      row("  crawl", phase("crawl")),
      row("  model", phase("model")),
      row("  render", phase("render")),
      row("  write", phase("write")),
      row("  search index", phase("search")),
      row("render+write (model+render+write)", (r) => seconds(r.renderWriteMs)),
      // Only meaningful when every page was rendered: an incremental build hard-links most.
      row("  pages/s (pages made after the crawl / render+write)", (r) =>
        r.report.pages.reused === 0 ? int(r.pagesPerSecond) : "–",
      ),
      row("dataset pages made during the crawl (started / done)", (r) => {
        const early = r.report.datasetPages?.early;
        return early ? `${int(early.started)} / ${int(early.finished)}` : "–";
      }),
      row(
        "pages rendered / reused",
        (r) => `${int(r.report.pages.rendered)} / ${int(r.report.pages.reused)}`,
      ),
      row("requests (build report)", (r) => int(r.report.requests)),
      row("requests (server log)", (r) => int(r.server.requests.total)),
      row(
        "  root+catalog / listing",
        (r) =>
          `${r.server.requests.root + r.server.requests.catalog} / ${int(r.server.requests.listing)}`,
      ),
      row(
        "  self / records",
        (r) => `${int(r.server.requests.self)} / ${int(r.server.requests.records)}`,
      ),
      row("  retries / other", (r) => `${r.report.retries} / ${r.server.requests.other}`),
      row("requests needed", (r) => int(r.needed.total)),
      row("  of which partition probes", (r) => int(r.needed.partition)),
      row("server CPU while building", (r) => seconds(r.server.cpuMs)),
      row("build CPU (user+system, with children)", (r) => seconds(buildCpuMs(r.usage))),
      // The kernel's share: creating, replacing and removing files, and the loopback sockets.
      row("  of which the build's system time", (r) => seconds(r.usage.systemMs)),
      row("  of which child processes", (r) =>
        r.usage.children ? seconds(r.usage.children.cpuMs) : "–",
      ),
      row("other processes' CPU (noise)", (r) =>
        r.otherCpuMs === null ? "–" : seconds(r.otherCpuMs),
      ),
      row("peak RSS of the build", (r) => mb(r.usage.maxRssKb * 1024)),
      row("  of its largest child process", (r) =>
        r.usage.children ? mb(r.usage.children.maxRssKb * 1024) : "–",
      ),
      row("output (whole site)", (r) => `${mb(r.site.bytes)} / ${int(r.site.files)} files`),
      row("average dataset page", (r) =>
        kb(r.site.datasetPageBytes / Math.max(1, r.site.datasetPages)),
      ),
    ]),
    "",
    `floor (the same page from one bare Eta template, blocking writes, no crawl), first: ${floorLine(floor)}`,
    ...(result.floorBeforeRerender
      ? [
          `floor again, right before the every-page-again build: ${floorLine(result.floorBeforeRerender)}`,
        ]
      : []),
    ...(result.floorAfterRerender
      ? [`floor again, right after it: ${floorLine(result.floorAfterRerender)}`]
      : []),
    ...(result.rerenderRepeats ?? []).flatMap((again, i) => [
      `every page again, round ${i + 2}: ${int(again.pagesPerSecond)} pages/s (render+write ${seconds(again.renderWriteMs)}, build CPU ${seconds(again.cpuMs)}${again.otherCpuMs === null ? "" : `, other processes' CPU ${seconds(again.otherCpuMs)}`})`,
      `floor again, right after it: ${floorLine(again.floorAfter)}`,
    ]),
    `floor pages/s / build pages/s (render+write, every page again${againstWhich(result)}): ${ratioLine(result)}${againstFirst(result)}`,
    ...phaseNotes(runs),
    ...searchLines(result.searchDownloads),
    "",
    "Targets (issue 5):",
    ...result.targets.map(
      (t) => `  ${t.status.padEnd(4)}  ${t.target}: ${t.measured}${t.note ? ` (${t.note})` : ""}`,
    ),
  ];
  for (const run of runs) {
    const profile = result.profiles?.[run.name];
    if (!profile) continue;
    const spots = (list: typeof profile.functions) =>
      table(list.map((h) => [`  ${h.name}`, seconds(h.selfMs), percent(h.share)]));
    lines.push(
      "",
      `CPU profile of the ${LABELS[run.name]} build (${seconds(profile.totalMs)} sampled, ${profile.file}), by self time:`,
      spots(profile.functions),
      "by file:",
      spots(profile.files),
    );
  }
  const failed = result.targets.filter((t) => t.status === "FAIL").length;
  const passed = result.targets.filter((t) => t.status === "PASS").length;
  lines.push(
    "",
    `Summary: ${passed} passed, ${failed} failed, ${result.targets.length - passed - failed} not applicable.`,
  );
  return `${lines.join("\n")}\n`;
}

/** Writes `<timestamp>-<sha>.json` and `latest.json`; returns the first's path. */
export async function saveResult(result: BenchResult): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const stamp = result.startedAt.replace(/:/g, "-").replace(/\.\d+Z$/, "Z");
  const path = join(RESULTS_DIR, `${stamp}-${result.commit.sha}.json`);
  const text = `${JSON.stringify(result, null, 2)}\n`;
  await writeFile(path, text);
  await writeFile(join(RESULTS_DIR, "latest.json"), text);
  return path;
}

/**
 * build-report.json says model and render are CPU time and write is the rest of the phase's
 * wall time. When model or render also count awaited I/O of pages in flight, their sum
 * exceeds the wall time and write comes out negative: say so, since only their sum (the
 * render+write row) is then a wall time.
 */
function phaseNotes(runs: readonly ScenarioResult[]): string[] {
  const odd = runs.filter((r) => r.report.ms.write < 0 || r.report.ms.model < 0);
  if (odd.length === 0) return [];
  return [
    `note: in the ${odd.map((r) => LABELS[r.name]).join(", ")} report the model + render times exceed the phase's wall time (write is negative): they include awaited I/O of the 16 pages in flight. Read render+write, their sum, which is the phase's wall time.`,
  ];
}

/** What each search query downloaded, by kind, and its largest responses. */
function searchLines(downloads: SearchDownloads | undefined): string[] {
  if (downloads === undefined) return [];
  const head =
    "Search downloads, cold site on the preview server, each query in a fresh Chromium context: response bodies as served / gzipped (level 6, for the types a host compresses):";
  if (downloads.status !== "measured")
    return ["", head, `  ${downloads.status}: ${downloads.reason}`];
  const pair = (b: Bytes) => `${kb(b.raw)} / ${kb(b.gzip)}`;
  const file = (f: Bytes & { path: string }) =>
    `${f.path} ${kb(f.raw)}${f.gzip < f.raw ? ` (${kb(f.gzip)})` : ""}`;
  return [
    "",
    head,
    table([
      ["  query", "results", "responses", "page (HTML, CSS, JS)", "search (index)", "total"],
      ...downloads.queries.map((q) => [
        `  ${q.name}: ${decodeURIComponent(q.path)}`,
        int(q.results),
        int(q.requests),
        pair(q.page),
        pair(q.search),
        pair(q.total),
      ]),
    ]),
    "largest responses (gzipped in parentheses):",
    ...downloads.queries.map((q) => `  ${q.name}: ${q.largest.map(file).join(", ")}`),
  ];
}

const LABELS: Record<ScenarioResult["name"], string> = {
  cold: "cold",
  warm: "warm",
  changed: "1% changed",
  rerender: "every page again",
};

function floorLine(floor: Floor): string {
  return `${int(floor.pages)} pages in ${seconds(floor.ms)} = ${int(floor.pagesPerSecond)} pages/s (Eta ${seconds(floor.renderMs)}), average page ${kb(floor.avgPageBytes)}, peak RSS ${mb(floor.maxRssKb * 1024)}${floor.otherCpuMs === null ? "" : `, other processes' CPU ${seconds(floor.otherCpuMs)}`}`;
}

/** The ratio; of several builds, their median and each one's. */
function ratioLine(result: BenchResult): string {
  const ratios = result.floorRatios ?? [];
  const median = `${result.floorRatio.toFixed(2)}×`;
  return ratios.length > 1
    ? `${median}, the median of ${ratios.map((r) => `${r.toFixed(2)}×`).join(", ")}`
    : median;
}

/** Which floor the ratio is set against, in results that have more than the first. */
function againstWhich(result: BenchResult): string {
  if (result.floorAfterRerender) {
    const each = (result.floorRatios?.length ?? 0) > 1 ? " each build" : "";
    return `,${each} against the floors right before and after it together`;
  }
  return result.floorBeforeRerender ? ", against the floor right before it" : "";
}

/** The ratio against the first floor too, when another one decides the target. */
function againstFirst(result: BenchResult): string {
  const rerender = result.scenarios.find((s) => s.name === "rerender");
  if (!result.floorBeforeRerender || !rerender) return "";
  return ` (${(result.floor.pagesPerSecond / rerender.pagesPerSecond).toFixed(2)}× against the first)`;
}
