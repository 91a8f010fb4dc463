import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where things are. The bench compiles to `bench/.out/bench/*.js` (see bench/tsconfig.json),
 * three levels below the project root.
 */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
if (!existsSync(join(ROOT, "package.json"))) {
  throw new Error(`The bench expected the project root at ${ROOT}; run it with \`npm run bench\`.`);
}

/** The compiled bench modules (entry points of the child processes). */
export const BENCH_OUT = fileURLToPath(new URL(".", import.meta.url));
export const RESULTS_DIR = join(ROOT, "bench", "results");
/** The CLI under test, as users run it. */
export const CLI = join(ROOT, "lib", "bin.js");
