import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Validators } from "../crawl/http.js";
import type { Log } from "../log.js";
import type { DatasetSummary } from "../model/dataset.js";
import { VERSION } from "../version.js";

/**
 * What the last successful build knew, kept in the cache folder so the next build can skip
 * what did not change: per dataset, the hash of its listing entry, where its document is in
 * the store, the validators of its self response, and the summary listing pages need; per
 * other page, the key of its inputs. Written only after the site was swapped in, so it always
 * describes a published site.
 *
 * On disk it is JSON Lines (a header, one line per dataset and per batch of pages, and an end
 * line), written and read as a stream: at 40,000 datasets the whole manifest as one JSON
 * string would cost the build more memory than everything else it holds.
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
  /** Path of the dataset's page in the output folder. */
  page: string;
  summary: DatasetSummary;
}

const FORMAT = 2;
const FILE = "manifest.jsonl";
const PAGES_PER_LINE = 1000;

type Header = Omit<Manifest, "datasets" | "pages">;

/**
 * The previous build's manifest, or undefined for a cold build. A manifest that is damaged
 * (truncated, malformed), from another version of the tool or for another portal is never
 * trusted: it is moved aside (`manifest.jsonl.rejected`) with a warning saying why.
 */
export async function loadManifest(
  cacheDir: string,
  options: { portal: string; log: Log },
): Promise<Manifest | undefined> {
  const path = join(cacheDir, FILE);
  let read: Manifest | string;
  try {
    read = await readManifest(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    read = "it cannot be read";
  }
  if (typeof read === "string") {
    options.log.warn(
      `Not using the cache in ${cacheDir}: ${FILE} is damaged (${read}). It was set aside; this build fetches everything.`,
    );
    await rename(path, `${path}.rejected`).catch(() => rm(path, { force: true }));
    return undefined;
  }
  if (read.tool !== VERSION) {
    options.log.warn(
      `Not using the cache in ${cacheDir}: it was written by ods-catalog ${read.tool}, this is ${VERSION}. It was set aside; this build fetches everything.`,
    );
    await rename(path, `${path}.rejected`).catch(() => rm(path, { force: true }));
    return undefined;
  }
  return read.portal === options.portal ? read : undefined;
}

/** Writes the manifest as a stream to a temporary file, then renames it into place. */
export async function saveManifest(
  cacheDir: string,
  manifest: Omit<Manifest, "format" | "tool">,
): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const path = join(cacheDir, FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  const stream = createWriteStream(temporary);
  const write = async (value: unknown) => {
    if (!stream.write(`${JSON.stringify(value)}\n`)) await once(stream, "drain");
  };
  const { datasets, pages, ...rest } = manifest;
  const header: Header = { format: FORMAT, tool: VERSION, ...rest };
  await write(header);
  let lines = 0;
  for (const [id, entry] of Object.entries(datasets)) {
    await write({ dataset: id, ...entry });
    lines++;
  }
  const paths = Object.entries(pages);
  for (let i = 0; i < paths.length; i += PAGES_PER_LINE) {
    await write({ pages: Object.fromEntries(paths.slice(i, i + PAGES_PER_LINE)) });
    lines++;
  }
  await write({ end: lines });
  stream.end();
  await once(stream, "finish");
  await rename(temporary, path);
}

// --- internal ---

/** The manifest, or the first thing wrong with it. */
async function readManifest(path: string): Promise<Manifest | string> {
  const lines = createInterface({
    input: createReadStream(path, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let manifest: Manifest | undefined;
  let count = 0;
  let ended = false;
  for await (const line of lines) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return "not valid JSON";
    }
    if (typeof value !== "object" || value === null || ended) return "unexpected content";
    const record = value as Record<string, unknown>;
    if (!manifest) {
      const problem = headerProblem(record);
      if (problem) return problem;
      manifest = { ...(record as unknown as Header), datasets: {}, pages: {} };
      continue;
    }
    if (typeof record.end === "number") {
      if (record.end !== count) return "it is incomplete";
      ended = true;
    } else if (typeof record.dataset === "string") {
      const { dataset: id, ...entry } = record;
      if (!isEntry(entry)) return `entry ${id} is incomplete`;
      manifest.datasets[id] = entry;
      count++;
    } else if (typeof record.pages === "object" && record.pages !== null) {
      Object.assign(manifest.pages, record.pages);
      count++;
    } else {
      return "unexpected content";
    }
  }
  if (!manifest) return "it is empty";
  return ended ? manifest : "it is incomplete";
}

function headerProblem(header: Record<string, unknown>): string | undefined {
  if (header.format !== FORMAT) return `format ${String(header.format)} instead of ${FORMAT}`;
  for (const key of ["tool", "portal", "outDir", "renderKey"]) {
    if (typeof header[key] !== "string") return `no ${key}`;
  }
  if (typeof header.recordsSample !== "number") return "no recordsSample";
  if (header.searchKey !== undefined && typeof header.searchKey !== "string")
    return "a bad searchKey";
  return undefined;
}

function isEntry(e: Record<string, unknown>): e is Record<string, unknown> & ManifestEntry {
  return (
    typeof e.listingHash === "string" &&
    typeof e.doc === "string" &&
    /^[0-9a-f]{64}$/.test(e.doc) &&
    typeof e.url === "string" &&
    (e.source === "self" || e.source === "listing") &&
    typeof e.page === "string" &&
    typeof e.summary === "object" &&
    e.summary !== null
  );
}
