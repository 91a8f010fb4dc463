import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runNode } from "./node-child.js";
import { BENCH_OUT, CLI } from "./paths.js";
import { measureSite, type SiteSize } from "./site-size.js";
import type { Usage } from "./usage-probe.js";

/**
 * One build, the real one: `node lib/bin.js build` in a fresh child process, exactly as a
 * user runs it, with the usage probe preloaded for its peak RSS and CPU time. Its phase
 * times come from the build-report.json it leaves in the cache folder.
 */

/** The part of build-report.json the bench reads (`ms.search` once a search phase exists). */
export interface BuildReportJson {
  ok: boolean;
  datasets: number;
  pages: { total: number; rendered: number; reused: number };
  /** `early`: dataset pages given to workers during the crawl, and done by its end (newer CLIs). */
  datasetPages?: { early?: { started: number; finished: number } };
  files: number;
  requests: number;
  retries: number;
  listingPages: number;
  cacheHits: number;
  bytesDownloaded: number;
  bytesWritten: number;
  ms: {
    crawl: number;
    model: number;
    render: number;
    write: number;
    total: number;
    search?: number;
  };
  issues: { fallbacks: unknown[]; skipped: unknown[]; duplicates: unknown[]; unreachable: number };
}

export interface BuildRun {
  /** From spawning the child to its exit: Node's start-up included. */
  wallMs: number;
  /** CPU the whole machine spent meanwhile, every process included (null off Linux). */
  machineBusyMs: number | null;
  report: BuildReportJson;
  usage: Usage;
  site: SiteSize;
  /** The CLI's one summary line. */
  summary: string;
}

export interface BuildOptions {
  apiRoot: string;
  /** Holds `dist/` and `cache/`; reused across builds, so the second build is incremental. */
  workDir: string;
  concurrency: number;
  records: number;
  /** Write a V8 CPU profile of the build here (`node --cpu-prof`). */
  cpuProfDir?: string | undefined;
  /** More flags for the build. */
  flags?: string[];
}

/** Where a build in `workDir` publishes its site. */
export const siteDir = (workDir: string) => join(workDir, "dist");

export async function runBuild(options: BuildOptions): Promise<BuildRun> {
  const outDir = siteDir(options.workDir);
  const cacheDir = join(options.workDir, "cache");
  const usageFile = join(options.workDir, "usage.json");
  await mkdir(options.workDir, { recursive: true });
  const args = [
    ...(options.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`] : []),
    "--import",
    pathToFileURL(join(BENCH_OUT, "usage-probe.js")).href,
    CLI,
    "build",
    ...["--portal", options.apiRoot, "--out", outDir, "--cache-dir", cacheDir],
    ...["--concurrency", String(options.concurrency), "--records", String(options.records)],
    ...(await siteUrlFlag()),
    ...(options.flags ?? []),
    "--quiet",
  ];
  // The flags above are the whole configuration: no ODS_* setting of the caller leaks in.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("ODS_")),
  );
  const { code, stdout, stderr, wallMs, machineBusyMs } = await runNode(args, {
    ...env,
    BENCH_USAGE_FILE: usageFile,
  });
  if (code !== 0) throw new Error(`The build failed (exit code ${code}):\n${stderr}${stdout}`);
  if (stderr.trim()) process.stderr.write(stderr);
  const report = JSON.parse(
    await readFile(join(cacheDir, "build-report.json"), "utf8"),
  ) as BuildReportJson;
  if (!report.ok || typeof report.ms !== "object")
    throw new Error("build-report.json does not describe a successful build.");
  return {
    wallMs,
    machineBusyMs,
    report,
    usage: JSON.parse(await readFile(usageFile, "utf8")) as Usage,
    site: await measureSite(outDir),
    summary: stdout.trim(),
  };
}

let siteUrl: Promise<string[]> | undefined;

/**
 * `--site-url` is required by CLIs that have it and refused by older ones: asked of
 * `--help` once, so the bench runs against any commit.
 */
function siteUrlFlag(): Promise<string[]> {
  siteUrl ??= runNode([CLI, "--help"]).then(({ stdout }) =>
    stdout.includes("--site-url") ? ["--site-url", "https://catalog.example.org/"] : [],
  );
  return siteUrl;
}
