import type { Usage } from "./usage-probe.js";

/** Number and figure formats shared by the report and the comparison. */
export const int = (n: number) => Math.round(n).toLocaleString("en-US");
export const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
export const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e8 ? 1 : 0)} MB`;
export const kb = (bytes: number) => `${(bytes / 1e3).toFixed(1)} KB`;
export const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

/** The build's CPU time: its own and, once they exited, its child processes'. */
export const buildCpuMs = (usage: Usage) =>
  usage.userMs + usage.systemMs + (usage.children?.cpuMs ?? 0);

/** Left-aligned first column, right-aligned others. */
export function table(rows: ReadonlyArray<readonly string[]>): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
