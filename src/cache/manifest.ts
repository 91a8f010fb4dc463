import { existsSync } from "node:fs";
import { mkdir, open, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Validators } from "../crawl/http.js";
import type { ListingRecord } from "../crawl/listing.js";
import type { Log } from "../log.js";
import type { DatasetSummary } from "../model/dataset.js";
import { VERSION } from "../version.js";
import { utf8Chunks } from "../write/utf8-chunks.js";

/**
 * What the last successful build knew, kept in the cache folder so the next build can skip
 * what did not change: per dataset, the hash of its listing entry, where its document is in
 * the store, the validators of its self response, and the summary listing pages need; per
 * other page, the key of its inputs. It also records how the site one build older (now the
 * buffer folder, `.dist.prev`) differs, so the next build knows which of its files to keep.
 * Written before the site is swapped in, as pending, and made current right after.
 *
 * On disk it is JSON Lines (a header, one line per dataset and per batch of pages, and an end
 * line), written and read a megabyte at a time: at 40,000 datasets the whole manifest as one JSON
 * string would cost the build more memory than everything else it holds.
 */
export interface Manifest {
  format: typeof FORMAT;
  tool: string;
  /** Identity (inode and birth time) of the site folder this manifest describes. */
  buildId: string;
  /** Files in that folder, its marker included. */
  files: number;
  /** API root the cache belongs to; another portal means a cold build. */
  portal: string;
  /** Output folder and render settings the pages were written with. */
  outDir: string;
  renderKey: string;
  /**
   * What a dataset's summary depends on besides its document (the tool's code, the site's
   * language, the public origin of its links): equal keys mean every summary still holds.
   */
  summaryKey?: string | undefined;
  /** Records sampled per dataset when the samples were fetched. */
  recordsSample: number;
  datasets: Record<string, ManifestEntry>;
  /** Input key of every page besides dataset pages, by file path. */
  pages: Record<string, string>;
  /**
   * The listing pages whose datasets all came from their self links, by URL (origin left
   * out): the next build recognises such a page by its bytes and does not parse it again.
   */
  listing: Record<string, ListingRecord>;
  /** Identifies the content of the search index, when one was built. */
  searchKey: string | undefined;
  /** The buffer folder (the site this one replaced), when its content is known. */
  buffer: BufferHeader | null;
  /** Pages whose key differs in the buffer: the key there, or "" where it had no such page. */
  bufferPages: Record<string, string>;
}

export interface ManifestEntry {
  listingHash: string;
  doc: string;
  url: string;
  source: "self" | "listing";
  validators?: Validators | undefined;
  /** Path of the dataset's page in the output folder. */
  page: string;
  /** Absent once dropped from a loaded manifest (`dropSummaries`). */
  summary?: DatasetSummary | undefined;
  /** The summary's content key (`createSummaryKeys`): the next build need not make it again. */
  summaryHash?: string | undefined;
  /** The document the buffer's page was made from, when not `doc`; "" when it has no page. */
  bufferDoc?: string | undefined;
  /**
   * Store key of the dataset's model made from `doc` (stored-model.ts), with this manifest's
   * summary key: a build making the page again starts from it.
   */
  model?: string | undefined;
}

export interface BufferHeader {
  buildId: string;
  renderKey: string;
  searchKey: string | undefined;
}

/** What a build needs to know of the buffer it rewrites: which document or key each page had. */
export interface BufferState {
  renderKey: string;
  searchKey: string | undefined;
  docOf(id: string): string | undefined;
  keyOf(path: string): string | undefined;
}

const FORMAT = 5;
const FILE = "manifest.jsonl";
/** Written before the new site is swapped in, renamed to FILE right after. */
const PENDING_FILE = "manifest.next.jsonl";
const PAGES_PER_LINE = 1000;

type Header = Omit<Manifest, "datasets" | "pages" | "bufferPages" | "listing">;

/**
 * The previous build's manifest, or undefined for a cold build. A manifest that is damaged
 * (truncated, malformed), from another version of the tool or for another portal is never
 * trusted: it is moved aside (`manifest.jsonl.rejected`) with a warning saying why.
 */
export async function loadManifest(
  cacheDir: string,
  options: { portal: string; log: Log; liveId?: string | undefined },
): Promise<Manifest | undefined> {
  // A build killed between swapping its site in and renaming its manifest left it pending.
  const pending = join(cacheDir, PENDING_FILE);
  if (options.liveId && (await headerOf(pending))?.buildId === options.liveId) {
    await publishManifest(cacheDir);
  }
  const path = join(cacheDir, FILE);
  let read: Manifest | string;
  try {
    read = await readManifest(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    read = "it cannot be read";
  }
  const reject = async (why: string) => {
    options.log.warn(
      `Not using the cache in ${cacheDir}: ${why}. It was set aside; this build fetches everything.`,
    );
    await rename(path, `${path}.rejected`).catch(() => rm(path, { force: true }));
    return undefined;
  };
  if (typeof read === "string") return reject(`${FILE} is damaged (${read})`);
  if (read.tool !== VERSION)
    return reject(`it was written by ods-catalog ${read.tool}, this is ${VERSION}`);
  return read.portal === options.portal ? read : undefined;
}

/**
 * Drops a loaded manifest's dataset summaries. They serve only a build with the same summary
 * key; another build would otherwise hold two sets of them (about 200 MB at 40,000 datasets).
 */
export function dropSummaries(manifest: Manifest): void {
  for (const entry of Object.values(manifest.datasets)) {
    entry.summary = undefined;
    entry.summaryHash = undefined;
  }
}

/** The summaries a manifest holds with their content keys, for `createSummaryKeys`. */
export function summaryKeysOf(
  manifest: Manifest | undefined,
): Array<readonly [DatasetSummary, string]> {
  const known: Array<readonly [DatasetSummary, string]> = [];
  for (const entry of Object.values(manifest?.datasets ?? {}))
    if (entry.summary && entry.summaryHash) known.push([entry.summary, entry.summaryHash]);
  return known;
}

/**
 * The state of the buffer folder, from the manifest of the site that replaced it, when the
 * folder is the one it names.
 */
export function bufferStateOf(
  manifest: Manifest | undefined,
  bufferId: string | undefined,
): BufferState | undefined {
  const buffer = manifest?.buffer;
  if (!manifest || !buffer || !bufferId || buffer.buildId !== bufferId) return undefined;
  return {
    renderKey: buffer.renderKey,
    searchKey: buffer.searchKey,
    docOf(id) {
      const entry = manifest.datasets[id];
      if (!entry || entry.bufferDoc === "") return undefined;
      return entry.bufferDoc ?? entry.doc;
    },
    keyOf(path) {
      const key = manifest.bufferPages[path] ?? manifest.pages[path];
      return key === "" ? undefined : key;
    },
  };
}

/**
 * What the site being replaced (`replaced`, the published manifest, trusted for the published
 * folder) will hold as the next build's buffer, relative to the new manifest.
 */
export function describeBuffer(
  next: Pick<Manifest, "datasets" | "pages">,
  replaced: { manifest: Manifest; buildId: string } | undefined,
): Pick<Manifest, "buffer" | "bufferPages"> & { datasets: Record<string, ManifestEntry> } {
  if (!replaced) return { buffer: null, bufferPages: {}, datasets: next.datasets };
  const old = replaced.manifest;
  const datasets: Record<string, ManifestEntry> = {};
  for (const [id, entry] of Object.entries(next.datasets)) {
    const before = old.datasets[id];
    const bufferDoc =
      !before || before.page !== entry.page
        ? ""
        : before.doc === entry.doc
          ? undefined
          : before.doc;
    datasets[id] = bufferDoc === undefined ? entry : { ...entry, bufferDoc };
  }
  const bufferPages: Record<string, string> = {};
  for (const [path, key] of Object.entries(next.pages)) {
    const before = old.pages[path];
    if (before !== key) bufferPages[path] = before ?? "";
  }
  return {
    buffer: { buildId: replaced.buildId, renderKey: old.renderKey, searchKey: old.searchKey },
    bufferPages,
    datasets,
  };
}

/**
 * Writes the new site's manifest in chunks (to a temporary file, then renamed), as pending:
 * `publishManifest` makes it current once the site is swapped in.
 */
export async function saveManifest(
  cacheDir: string,
  manifest: Omit<Manifest, "format" | "tool">,
): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const path = join(cacheDir, PENDING_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, utf8Chunks(manifestLines(manifest)));
  await rename(temporary, path);
}

/** The manifest's lines, each as its JSON and then a newline. */
function* manifestLines(manifest: Omit<Manifest, "format" | "tool">): Generator<string> {
  const { datasets, pages, bufferPages, listing, ...rest } = manifest;
  const header: Header = { format: FORMAT, tool: VERSION, ...rest };
  yield JSON.stringify(header);
  yield "\n";
  let lines = 0;
  for (const [id, entry] of Object.entries(datasets)) {
    yield JSON.stringify({ dataset: id, ...entry });
    yield "\n";
    lines++;
  }
  for (const [url, record] of Object.entries(listing)) {
    yield JSON.stringify({ listing: url, ...record });
    yield "\n";
    lines++;
  }
  for (const [field, map] of [
    ["pages", pages],
    ["bufferPages", bufferPages],
  ] as const) {
    const paths = Object.entries(map);
    for (let i = 0; i < paths.length; i += PAGES_PER_LINE) {
      yield JSON.stringify({ [field]: Object.fromEntries(paths.slice(i, i + PAGES_PER_LINE)) });
      yield "\n";
      lines++;
    }
  }
  yield JSON.stringify({ end: lines });
  yield "\n";
}

/** After the swap: the pending manifest describes the published site. */
export async function publishManifest(cacheDir: string): Promise<void> {
  await rename(join(cacheDir, PENDING_FILE), join(cacheDir, FILE));
}

// --- internal ---

async function headerOf(path: string): Promise<Record<string, unknown> | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    for await (const lines of linesOf(path)) {
      return JSON.parse(lines[0] ?? "") as Record<string, unknown>;
    }
  } catch {
    // Unreadable: no header.
  }
  return undefined;
}

/** The manifest, or the first thing wrong with it. */
async function readManifest(path: string): Promise<Manifest | string> {
  let manifest: Manifest | undefined;
  let count = 0;
  let ended = false;
  for await (const lines of linesOf(path)) {
    for (const line of lines) {
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
        manifest = {
          ...(record as unknown as Header),
          ...{ datasets: {}, pages: {}, bufferPages: {}, listing: {} },
        };
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
      } else if (typeof record.listing === "string") {
        const { listing: url, ...page } = record;
        if (!isListingRecord(page)) return `listing page ${url} is incomplete`;
        manifest.listing[url] = page;
        count++;
      } else if (isPageMap(record.pages)) {
        Object.assign(manifest.pages, record.pages);
        count++;
      } else if (isPageMap(record.bufferPages)) {
        Object.assign(manifest.bufferPages, record.bufferPages);
        count++;
      } else {
        return "unexpected content";
      }
    }
  }
  if (!manifest) return "it is empty";
  return ended ? manifest : "it is incomplete";
}

/**
 * A file's lines, a megabyte's worth at a time. `readline` over a stream spends an event and a
 * promise on every line: loading a 40,000-dataset manifest (97 MB) took 2.1 to 2.5 s that way,
 * 1.3 to 1.7 s this way, of a warm rebuild's 10 to 12. A line may end with CR LF.
 */
async function* linesOf(path: string): AsyncGenerator<string[]> {
  const file = await open(path, "r");
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let rest = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      const data = Buffer.concat([rest, chunk.subarray(0, bytesRead)]);
      const lines: string[] = [];
      let from = 0;
      for (let at = data.indexOf(10); at >= 0; at = data.indexOf(10, from)) {
        lines.push(data.toString("utf8", from, at > from && data[at - 1] === 13 ? at - 1 : at));
        from = at + 1;
      }
      rest = data.subarray(from);
      if (lines.length > 0) yield lines;
    }
    if (rest.length > 0) yield [rest.toString("utf8")];
  } finally {
    await file.close();
  }
}

function headerProblem(header: Record<string, unknown>): string | undefined {
  if (header.format !== FORMAT) return `format ${String(header.format)} instead of ${FORMAT}`;
  for (const key of ["tool", "buildId", "portal", "outDir", "renderKey"]) {
    if (typeof header[key] !== "string") return `no ${key}`;
  }
  if (typeof header.recordsSample !== "number") return "no recordsSample";
  if (typeof header.files !== "number") return "no files";
  for (const key of ["searchKey", "summaryKey"]) {
    if (header[key] !== undefined && typeof header[key] !== "string") return `a bad ${key}`;
  }
  const buffer = header.buffer as Record<string, unknown> | null | undefined;
  if (
    buffer !== null &&
    (typeof buffer !== "object" ||
      typeof buffer.buildId !== "string" ||
      typeof buffer.renderKey !== "string")
  ) {
    return "a bad buffer";
  }
  return undefined;
}

/** A document's key in the store (`hashBytes`). */
const STORE_KEY = /^[0-9a-f]{64}$/;

function isEntry(e: Record<string, unknown>): e is Record<string, unknown> & ManifestEntry {
  return (
    typeof e.listingHash === "string" &&
    typeof e.doc === "string" &&
    STORE_KEY.test(e.doc) &&
    typeof e.url === "string" &&
    (e.source === "self" || e.source === "listing") &&
    typeof e.page === "string" &&
    typeof e.summary === "object" &&
    e.summary !== null &&
    (e.bufferDoc === undefined || typeof e.bufferDoc === "string") &&
    (e.summaryHash === undefined || typeof e.summaryHash === "string") &&
    (e.model === undefined || (typeof e.model === "string" && STORE_KEY.test(e.model)))
  );
}

function isPageMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.values(value).every((v) => typeof v === "string")
  );
}

function isListingRecord(r: Record<string, unknown>): r is Record<string, unknown> & ListingRecord {
  const strings = (value: unknown) =>
    Array.isArray(value) && value.every((v) => typeof v === "string");
  return (
    typeof r.hash === "string" &&
    (r.totalCount === undefined || typeof r.totalCount === "number") &&
    (r.next === undefined || typeof r.next === "string") &&
    strings(r.ids) &&
    strings(r.languages) &&
    (r.languages as string[]).length === (r.ids as string[]).length
  );
}
