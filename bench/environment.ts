import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { ROOT } from "./paths.js";
import type { BenchResult } from "./results.js";

/** The commit and machine a result belongs to: figures only compare on like for like. */
export function environment(): Pick<BenchResult, "commit" | "machine"> {
  const git = (...args: string[]) => {
    try {
      return execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
    } catch {
      return "";
    }
  };
  const cpu = cpus();
  return {
    commit: {
      sha: git("rev-parse", "--short", "HEAD") || "unknown",
      // The code measured: changes to results or the bench itself do not make a run "dirty".
      dirty: git("status", "--porcelain", "--", ".", ":!bench") !== "",
      subject: git("log", "-1", "--format=%s"),
    },
    machine: {
      node: process.version,
      platform: `${platform()} ${release()}`,
      cpus: cpu.length,
      cpuModel: cpu[0]?.model.trim() ?? "unknown",
      totalMemMB: Math.round(totalmem() / 1e6),
      loadavg: loadavg(),
    },
  };
}

/**
 * CPU time the whole machine spent busy so far (all processes, all cores), from
 * /proc/stat; undefined off Linux. Its growth during a build, minus the build's and the
 * server's own CPU, is what other processes took: the noise in that measurement.
 */
export function machineBusyMs(): number | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
    // cpu  user nice system idle iowait irq softirq steal …, in USER_HZ (1/100 s) ticks.
    const [user, nice, system, , , irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
    return (
      ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 10
    );
  } catch {
    return undefined;
  }
}

/**
 * Flushes the page cache to disk (`sync`) before a measurement, so the writeback of the
 * previous step's gigabyte of pages does not land in the next step's timings.
 */
export function settleDisk(): void {
  try {
    execFileSync("sync");
  } catch {
    // No `sync` (not POSIX): measure as is.
  }
}
