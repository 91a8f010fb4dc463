import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./paths.js";

/**
 * Reads a V8 CPU profile (`node --cpu-prof`) of a build and ranks where its time went by
 * self time: per function and per file, so a missed target can be traced to its cause.
 */

export interface HotSpot {
  /** `function file:line`, or a file alone, or V8's `(garbage collector)`, `(idle)`… */
  name: string;
  selfMs: number;
  /** Share of all sampled time, idle included. */
  share: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  functions: HotSpot[];
  files: HotSpot[];
}

interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  samples: number[];
  timeDeltas: number[];
}

export async function summarizeProfile(dir: string, top = 15): Promise<ProfileSummary> {
  const name = (await readdir(dir)).find((f) => f.endsWith(".cpuprofile"));
  if (!name) throw new Error(`No .cpuprofile in ${dir}.`);
  const profile = JSON.parse(await readFile(join(dir, name), "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const root = pathToFileURL(ROOT).href;
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const frame = byId.get(id);
    if (!frame) return;
    totalMs += ms;
    // Frames without a URL are V8's own entries (`(garbage collector)`, `(idle)`…) or
    // built-ins such as the fs bindings, which are grouped as one "file".
    const special = frame.functionName.startsWith("(");
    const file = frame.url.replace(root, "") || (special ? frame.functionName : "(native)");
    const fn = frame.url
      ? `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}`
      : special
        ? frame.functionName
        : `${frame.functionName || "(anonymous)"} (native)`;
    functions.set(fn, (functions.get(fn) ?? 0) + ms);
    files.set(file, (files.get(file) ?? 0) + ms);
  });
  const rank = (map: Map<string, number>): HotSpot[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([spot, selfMs]) => ({ name: spot, selfMs, share: selfMs / totalMs }));
  return { file: join(dir, name), totalMs, functions: rank(functions), files: rank(files) };
}
