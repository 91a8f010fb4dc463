import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fg from "fast-glob";
import type { Output } from "./output.js";

/** The static files that ship with the tool (stylesheet, icon, scripts). */
export const BUILTIN_PUBLIC = fileURLToPath(new URL("../../public/", import.meta.url));

/**
 * Copies every file of a public folder into the site, sorted so output order (and any
 * collision error) is deterministic. A file colliding with a page fails the build.
 */
export async function copyAssets(options: { publicDir: string; output: Output }): Promise<number> {
  const files = (await fg("**/*", { cwd: options.publicDir, dot: false, onlyFiles: true })).sort();
  for (const path of files) {
    await options.output.write({ path, contents: await readFile(join(options.publicDir, path)) });
  }
  return files.length;
}
