import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Validators } from "../crawl/http.js";
import type { Log } from "../log.js";
import type { DatasetSummary } from "../model/dataset.js";
import { VERSION } from "../version.js";

/**
 * What the last successful build knew, kept in the cache folder so the next build can skip
 * what did not change: per dataset, the hash of its listing entry, where its body is in the
 * store, the validators of its self response, and the summary the listing pages need.
 * Written only after the site was swapped in, so it always describes a published site.
 */
export interface Manifest {
  format: typeof FORMAT;
  tool: string;
  /** API root the cache belongs to; another portal means a cold build. */
  portal: string;
  /** Output folder and render settings the pages were written with. */
  outDir: string;
  renderKey: string;
  /** Records sampled per dataset when the samples were fetched. */
  recordsSample: number;
  datasets: Record<string, ManifestEntry>;
  /** Input key of every page besides dataset pages, by file path. */
  pages: Record<string, string>;
  /** Identifies the content of the search index, when one was built. */
  searchKey: string | undefined;
}

export interface ManifestEntry {
  listingHash: string;
  doc: string;
  url: string;
  source: "self" | "listing";
  validators?: Validators | undefined;
  /** Store key of the records sample, when one was fetched. */
  records?: string | undefined;
  /** Path of the dataset's page in the output folder. */
  page: string;
  summary: DatasetSummary;
}

const FORMAT = 1;
const FILE = "manifest.json";

/**
 * The previous build's manifest, or undefined for a cold build. A manifest that is damaged,
 * from another version of the tool or for another portal is never trusted: it is moved
 * aside (`manifest.json.rejected`) with a warning saying why.
 */
export async function loadManifest(
  cacheDir: string,
  options: { portal: string; log: Log },
): Promise<Manifest | undefined> {
  const path = join(cacheDir, FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  const reject = async (why: string) => {
    options.log.warn(
      `Not using the cache in ${cacheDir}: ${why}. It was set aside; this build fetches everything.`,
    );
    await rename(path, `${path}.rejected`).catch(() => rm(path, { force: true }));
    return undefined;
  };
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return reject(`${FILE} is damaged (not valid JSON)`);
  }
  const problem = validate(manifest);
  if (problem) return reject(`${FILE} is damaged (${problem})`);
  const valid = manifest as Manifest;
  if (valid.tool !== VERSION)
    return reject(`it was written by ods-catalog ${valid.tool}, this is ${VERSION}`);
  if (valid.portal !== options.portal) return undefined;
  return valid;
}

/** Writes the manifest atomically (temporary file, then rename). */
export async function saveManifest(
  cacheDir: string,
  manifest: Omit<Manifest, "format" | "tool">,
): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const path = join(cacheDir, FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ format: FORMAT, tool: VERSION, ...manifest }));
  await rename(temporary, path);
}

// --- internal ---

/** The first thing wrong with a parsed manifest, or undefined when its shape is right. */
function validate(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return "not an object";
  const m = value as Record<string, unknown>;
  if (m.format !== FORMAT) return `format ${String(m.format)} instead of ${FORMAT}`;
  for (const key of ["tool", "portal", "outDir", "renderKey"]) {
    if (typeof m[key] !== "string") return `no ${key}`;
  }
  if (typeof m.recordsSample !== "number") return "no recordsSample";
  if (typeof m.pages !== "object" || m.pages === null) return "no pages";
  if (m.searchKey !== undefined && typeof m.searchKey !== "string") return "a bad searchKey";
  if (typeof m.datasets !== "object" || m.datasets === null) return "no datasets";
  for (const [id, entry] of Object.entries(m.datasets as Record<string, unknown>)) {
    const e = entry as Record<string, unknown> | null;
    const ok =
      typeof e === "object" &&
      e !== null &&
      typeof e.listingHash === "string" &&
      typeof e.doc === "string" &&
      /^[0-9a-f]{64}$/.test(e.doc) &&
      typeof e.url === "string" &&
      (e.source === "self" || e.source === "listing") &&
      typeof e.page === "string" &&
      typeof e.summary === "object" &&
      e.summary !== null &&
      (e.records === undefined ||
        (typeof e.records === "string" && /^[0-9a-f]{64}$/.test(e.records)));
    if (!ok) return `entry ${id} is incomplete`;
  }
  return undefined;
}
