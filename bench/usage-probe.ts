import { readFileSync, writeFileSync } from "node:fs";

/**
 * Preloaded into each build child (`node --import …/usage-probe.js lib/bin.js build …`).
 * At exit it writes the process's peak RSS and CPU time, from getrusage, to the file named
 * by BENCH_USAGE_FILE: the build's own memory, measured exactly rather than by polling, with
 * the portal server in another process.
 *
 * The build may start processes of its own (older commits ran Pagefind's indexing service,
 * a separate binary). getrusage does not see them, so the probe also reads, on Linux, their CPU time
 * (`cutime`/`cstime` of /proc/self/stat, once they have exited) and samples their peak RSS
 * (`VmHWM`) every 200 ms while they run. Nothing else of the build is touched.
 */
export interface Usage {
  maxRssKb: number;
  userMs: number;
  systemMs: number;
  /** The build's child processes; null where /proc is not available. */
  children: { cpuMs: number; maxRssKb: number } | null;
}

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  let childrenPeakKb = 0;
  const sampleChildren = () => {
    for (const pid of readProc(`/proc/self/task/${process.pid}/children`)?.split(" ") ?? []) {
      const status = pid ? readProc(`/proc/${pid}/status`) : undefined;
      const peak = Number(/^VmHWM:\s+(\d+) kB/m.exec(status ?? "")?.[1] ?? 0);
      childrenPeakKb = Math.max(childrenPeakKb, peak);
    }
  };
  setInterval(sampleChildren, 200).unref();
  process.on("exit", () => {
    sampleChildren();
    const usage = process.resourceUsage();
    // Fields after the command name: state is field 3, cutime 16 and cstime 17 (in 1/100 s).
    const stat = readProc("/proc/self/stat")?.split(") ")[1]?.split(" ");
    const result: Usage = {
      maxRssKb: usage.maxRSS,
      userMs: usage.userCPUTime / 1000,
      systemMs: usage.systemCPUTime / 1000,
      children: stat
        ? {
            cpuMs: (Number(stat[16 - 3]) + Number(stat[17 - 3])) * 10,
            maxRssKb: childrenPeakKb,
          }
        : null,
    };
    writeFileSync(file, JSON.stringify(result));
  });
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}
