import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fg from "fast-glob";
import type { OutputFile } from "./output.js";

/** The static files that ship with the tool (stylesheet, icon, scripts). */
export const BUILTIN_PUBLIC = fileURLToPath(new URL("../../public/", import.meta.url));

/** Every file of a public folder, sorted so output order (and any collision error) is deterministic. */
export async function readAssets(
  publicDir: string,
): Promise<Array<OutputFile & { contents: Buffer }>> {
  const files = (await fg("**/*", { cwd: publicDir, dot: false, onlyFiles: true })).sort();
  return Promise.all(
    files.map(async (path) => ({ path, contents: await readFile(join(publicDir, path)) })),
  );
}
