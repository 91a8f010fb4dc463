import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as Partition from "../src/crawl/partition.js";
import type * as Routes from "../src/portal-server/routes.js";
import type * as Server from "../src/portal-server/server.js";
import type * as Preview from "../src/preview/server.js";
import { ROOT } from "./paths.js";

/**
 * The project's own modules, loaded from lib/ (what `npm run compile` produced, the code
 * the CLI under test runs), typed from their sources in src/.
 */
async function fromLib<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(join(ROOT, "lib", path)).href)) as T;
}

export const loadServer = () => fromLib<typeof Server>("portal-server/server.js");
export const loadRoutes = () => fromLib<typeof Routes>("portal-server/routes.js");
export const loadPreview = () => fromLib<typeof Preview>("preview/server.js");
export const loadPartition = () => fromLib<typeof Partition>("crawl/partition.js");
