import { createHash, randomBytes } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync } from "node:fs";
import { rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CacheError } from "../errors.js";
import type { OdsRecord } from "../model/ods.js";
import { writeAllSync } from "../write/write-all.js";

/**
 * Content-addressed storage for API bodies: each document is known by the SHA-256 of its
 * bytes. The crawl writes here instead of keeping 40,000 bodies in memory; the render phase
 * reads them back one at a time.
 *
 * Documents are appended to pack files (`objects/<name>.pack`, one per build, and per page
 * worker, that stores something), each with an index of `key offset length` lines
 * (`<name>.idx`), rather than written one file each: creating a file costs far more than
 * appending to one (about 30% of a crawl's time on this project's 2-core bench machine), and a
 * cache of a few files instead of 80,000 is quick to save and restore in CI. A changed document gets a new key, so a build that
 * dies half-way leaves what the previous build's manifest points to as it was; anything
 * damaged (a crash mid-write, a disk error) fails its hash check on read and is never trusted.
 * `prune` drops what the site no longer uses and rewrites packs that are mostly garbage.
 */
export interface Store {
  /** Saves a document and returns its key. The same bytes are stored once. */
  put(bytes: Buffer | string): Promise<string>;
  /**
   * `put` without a promise: the key at once, the bytes written with blocking calls as soon as
   * some 64 KB are queued, or when the event loop turns, or by `close()`. For documents a build
   * can do without (a dataset's model): a failed write is not reported, and a later read finds
   * the document missing.
   */
  add(bytes: Buffer | string): string;
  /** The document's parsed JSON; throws `CacheError` if it is missing or damaged. */
  get(key: string): Promise<unknown>;
  /** `get` without the event loop: for worker threads, which have nothing else to do meanwhile. */
  getSync(key: string): unknown;
  has(key: string): Promise<boolean>;
  /** Deletes every document whose key is not in `keep`; returns how many were deleted. */
  prune(keep: ReadonlySet<string>): Promise<number>;
  /** Finishes writing and closes every file (the index on disk is complete after each `put`). */
  close(): Promise<void>;
  readonly dir: string;
}

export function openStore(cacheDir: string): Store {
  const dir = join(cacheDir, "objects");
  const fileOf = (pack: string, ext: "pack" | "idx") => join(dir, `${pack}.${ext}`);
  let index: Map<string, Location> | undefined;
  const inFlight = new Map<string, Promise<void>>();
  let writer: PackWriter | undefined;
  const readers = new Map<string, number>();

  /** Bytes of each pack's index already read into `index`. */
  let indexed = new Map<string, number>();
  /**
   * Reads what the indexes on disk gained since last time (synchronously, so workers can use
   * it too): everything at first, then the lines another thread or process has appended since.
   */
  const refresh = (): Map<string, Location> => {
    index ??= new Map();
    for (const name of packNames(dir)) {
      const from = indexed.get(name) ?? 0;
      let text: string;
      try {
        text = readFrom(fileOf(name, "idx"), from);
      } catch {
        continue; // A pack without its index holds nothing anyone can find: prune removes it.
      }
      // Whole lines only: one being written is read next time. A line a crash cut short is
      // never completed (each build appends to a pack of its own) and never read.
      const whole = text.slice(0, text.lastIndexOf("\n") + 1);
      indexed.set(name, from + whole.length);
      for (const line of whole.split("\n")) {
        const location = parseLine(line, name);
        if (location) index.set(location.key, location);
      }
    }
    return index;
  };
  const load = (): Map<string, Location> => index ?? refresh();

  const readerOf = (pack: string): number => {
    let fd = readers.get(pack);
    if (fd === undefined) {
      fd = openSync(fileOf(pack, "pack"), "r");
      readers.set(pack, fd);
    }
    return fd;
  };

  /** Reads a document's bytes; a short or failed read is damage like a wrong hash. */
  const read = (key: string): Buffer => {
    // Not known yet: maybe stored since by the crawl, while this thread makes pages.
    const at = load().get(key) ?? refresh().get(key);
    if (!at) throw new CacheError(`Cached document ${key} is missing from ${dir}.`);
    const buffer = Buffer.allocUnsafe(at.length);
    let got = 0;
    try {
      got = readSync(readerOf(at.pack), buffer, 0, at.length, at.offset);
    } catch (error) {
      throw damaged(key, at, error);
    }
    if (got !== at.length || hashBytes(buffer) !== key) throw damaged(key, at);
    return buffer;
  };
  const damaged = (key: string, at: Location, cause?: unknown) => {
    // Forgotten, so that storing the same bytes again writes them anew.
    index?.delete(key);
    return new CacheError(
      `Cached document ${key} in ${fileOf(at.pack, "pack")} is damaged (its hash does not match).`,
      { cause },
    );
  };

  /**
   * Queues the document; with `soon`, writes the queue at once when it holds `ADD_BATCH`
   * bytes or more, rather than when the event loop turns.
   */
  const append = async (key: string, buffer: Buffer, soon: boolean): Promise<void> => {
    writer ??= openWriter(dir);
    const written = writer.append(key, buffer);
    if (soon && writer.queued >= ADD_BATCH) writer.flush();
    load().set(key, await written);
  };

  /** Starts writing the document unless it is stored or being stored; returns its key. */
  const save = (bytes: Buffer | string, soon: boolean): string => {
    const buffer = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
    const key = hashBytes(buffer);
    // Many datasets share bodies (empty record samples): write each key once.
    if (!load().has(key) && !inFlight.has(key)) {
      const writing = append(key, buffer, soon).finally(() => inFlight.delete(key));
      inFlight.set(key, writing);
      // Whoever needs the outcome awaits it (`put`); `add`'s callers do not.
      writing.catch(() => undefined);
    }
    return key;
  };

  const store: Store = {
    dir,
    async put(bytes) {
      const key = save(bytes, false);
      await inFlight.get(key);
      return key;
    },
    add: (bytes) => save(bytes, true),
    // Positional reads of a few kilobytes from the page cache: no need for the thread pool.
    async get(key) {
      return store.getSync(key);
    },
    getSync(key) {
      return JSON.parse(read(key).toString("utf8"));
    },
    async has(key) {
      return load().has(key);
    },
    async prune(keep) {
      // Settled first, so no write still in flight adds a key back after the sweep.
      await Promise.allSettled(inFlight.values());
      // Read again: other threads (page workers) and processes may have stored documents since.
      const entries = refresh();
      let removed = 0;
      for (const key of [...entries.keys()]) {
        if (keep.has(key)) continue;
        entries.delete(key);
        removed++;
      }
      await store.close();
      await rewritePacks(dir, entries, fileOf);
      // Documents may have moved to another pack: read the indexes again when next needed.
      index = undefined;
      indexed = new Map();
      return removed;
    },
    async close() {
      await Promise.allSettled(inFlight.values());
      const pending = writer;
      writer = undefined;
      pending?.close();
      for (const fd of readers.values()) closeSync(fd);
      readers.clear();
    },
  };
  return store;
}

/**
 * What the store keeps per dataset: its API body as received and its record sample, in one
 * document, so rendering a page costs one read.
 */
export interface StoredDataset {
  body: unknown;
  records: OdsRecord[] | null;
}

/**
 * The stored form, written around the body's own bytes: never parsed and serialised again,
 * nor even encoded again when it comes as received.
 */
export function composeDataset(body: Buffer | string, records: OdsRecord[] | undefined): Buffer {
  return Buffer.concat([
    Buffer.from(`{"records":${records ? JSON.stringify(records) : "null"},"body":`),
    typeof body === "string" ? Buffer.from(body) : body,
    CLOSE_BRACE,
  ]);
}
const CLOSE_BRACE = Buffer.from("}");

export function hashBytes(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * `hashBytes` of the bytes with every occurrence of `cut` (ASCII, such as an origin) left
 * out: the same hash as of the decoded text with it removed, without decoding 420 KB of a
 * listing page to a string and encoding it again.
 */
export function hashBytesWithout(bytes: Buffer, cut: string): string {
  const hash = createHash("sha256");
  const needle = Buffer.from(cut);
  let from = 0;
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, from)) {
    hash.update(bytes.subarray(from, at));
    from = at + needle.length;
  }
  return hash.update(bytes.subarray(from)).digest("hex");
}

// --- internal ---

interface Location {
  key: string;
  pack: string;
  offset: number;
  length: number;
}

interface PackWriter {
  name: string;
  /**
   * Appends a document to the pack, then its line to the index, and tells where it is.
   * Documents appended while a write is under way are written together, in one write each to
   * the pack and the index: a system call costs far more than the bytes it copies.
   */
  append(key: string, bytes: Buffer): Promise<Location>;
  /** Writes what was appended and not written yet, now. */
  flush(): void;
  /** Bytes appended and not written yet. */
  readonly queued: number;
  close(): void;
}

/**
 * `add` writes what is queued once it reaches this many bytes (about ten models). A page
 * worker adds a model per page, and models held until its event loop turns (32 pages) outlived
 * the young generation, each with its buffer outside the heap: a cold build's peak RSS rose by
 * about 100 MB at 40,000 datasets. Written one by one, each with its index line, they took two
 * system calls a page, which cold builds paid for in time.
 */
const ADD_BATCH = 64 * 1024;

/** A pack made mostly of documents nobody uses any more is rewritten. */
const MIN_LIVE_SHARE = 0.5;
/** More packs than this (one per build, and per page worker, that stored something) are merged. */
const MAX_PACKS = 8;

const PACK_NAME = /^[0-9a-z-]+$/;

function packNames(dir: string): string[] {
  return readdirSafe(dir)
    .filter((f) => f.endsWith(".pack"))
    .map((f) => f.slice(0, -".pack".length))
    .filter((name) => PACK_NAME.test(name))
    .sort();
}

function indexLine(at: Location): string {
  return `${at.key} ${at.offset} ${at.length}\n`;
}

function parseLine(line: string, pack: string): Location | undefined {
  const [key, offset, length] = line.split(" ");
  if (!key || !/^[0-9a-f]{64}$/.test(key) || !offset || !length) return undefined;
  const at = { key, pack, offset: Number(offset), length: Number(length) };
  return Number.isSafeInteger(at.offset) && Number.isSafeInteger(at.length) ? at : undefined;
}

function openWriter(dir: string): PackWriter {
  mkdirSync(dir, { recursive: true });
  // Time first, so packs sort oldest first; random, so two builds never share a name.
  const name = `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
  const data = openSync(join(dir, `${name}.pack`), "wx");
  const idx = openSync(join(dir, `${name}.idx`), "wx");
  let size = 0;
  let idxSize = 0;
  /** Documents waiting to be written, in the order of their offsets. */
  let queue: Array<{ at: Location; bytes: Buffer; settle: (error?: unknown) => void }> = [];
  let queued = 0;
  let scheduled = false;
  /**
   * Writes what this turn of the event loop appended, with blocking calls: copying a batch of
   * documents into the page cache takes microseconds, where handing each write to libuv's
   * thread pool cost the crawl's thread about 4.6 s at 40,000 datasets on two busy cores
   * (waking a pool thread, which then takes the core).
   */
  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    queued = 0;
    const first = batch[0];
    if (!first) return;
    try {
      writeAllSync(data, Buffer.concat(batch.map((d) => d.bytes)), first.at.offset, "the cache");
      const lines = Buffer.from(batch.map((d) => indexLine(d.at)).join(""));
      writeAllSync(idx, lines, idxSize, "the cache");
      idxSize += lines.length;
      for (const d of batch) d.settle();
    } catch (error) {
      for (const d of batch) d.settle(error);
    }
  };
  return {
    name,
    append(key, bytes) {
      // Offsets are claimed now, in call order, which is the order the queue is written in.
      const at = { key, pack: name, offset: size, length: bytes.length };
      size += bytes.length;
      queued += bytes.length;
      return new Promise((resolve, reject) => {
        queue.push({ at, bytes, settle: (error) => (error ? reject(error) : resolve(at)) });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    flush,
    get queued() {
      return queued;
    },
    close() {
      flush();
      closeSync(data);
      closeSync(idx);
    },
  };
}

/**
 * Brings the packs on disk in line with `entries` (the documents to keep): a pack with nothing
 * to keep is deleted; one mostly garbage, or all but the largest when there are too many, have
 * what they keep copied into a new pack; the others get an index of what they keep. Stray files
 * (an index without its pack, a previous version's `ab/abcd….json` folders) are removed.
 */
async function rewritePacks(
  dir: string,
  entries: Map<string, Location>,
  fileOf: (pack: string, ext: "pack" | "idx") => string,
): Promise<void> {
  const names = packNames(dir);
  const byPack = new Map<string, Location[]>(names.map((name) => [name, []]));
  for (const at of entries.values()) byPack.get(at.pack)?.push(at);
  const sizes = new Map(
    await Promise.all(names.map(async (n) => [n, (await stat(fileOf(n, "pack"))).size] as const)),
  );
  const largest = [...sizes].sort((a, b) => b[1] - a[1])[0]?.[0];
  const merge = names.length > MAX_PACKS;

  let target: PackWriter | undefined;
  for (const name of names) {
    const kept = (byPack.get(name) ?? []).sort((a, b) => a.offset - b.offset);
    const live = kept.reduce((sum, at) => sum + at.length, 0);
    const size = sizes.get(name) ?? 0;
    if (kept.length > 0 && (live < size * MIN_LIVE_SHARE || (merge && name !== largest))) {
      target ??= openWriter(dir);
      const fd = openSync(fileOf(name, "pack"), "r");
      try {
        for (const at of kept) {
          const bytes = Buffer.allocUnsafe(at.length);
          const got = readSync(fd, bytes, 0, at.length, at.offset);
          // Damaged bytes are not carried over: the document is fetched again when needed.
          if (got !== at.length || hashBytes(bytes) !== at.key) continue;
          await target.append(at.key, bytes);
        }
      } finally {
        closeSync(fd);
      }
    } else if (kept.length > 0) {
      const text = kept.map(indexLine).join("");
      if (text !== readIndex(fileOf(name, "idx"))) {
        await writeFileAtomic(fileOf(name, "idx"), text);
      }
      continue;
    }
    await rm(fileOf(name, "idx"), { force: true });
    await rm(fileOf(name, "pack"), { force: true });
  }
  target?.close();

  const packs = new Set(packNames(dir));
  for (const file of readdirSafe(dir)) {
    const stem = file.replace(/\.(pack|idx)$/, "");
    if (file !== stem && packs.has(stem)) continue;
    await rm(join(dir, file), { recursive: true, force: true });
  }
}

/** A file's text from byte `from` on (index files are ASCII: bytes and characters agree). */
function readFrom(path: string, from: number): string {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const bytes = Buffer.allocUnsafe(Math.max(0, size - from));
    const got = readSync(fd, bytes, 0, bytes.length, from);
    return bytes.toString("latin1", 0, got);
  } finally {
    closeSync(fd);
  }
}

function readIndex(path: string): string {
  try {
    return readFrom(path, 0);
  } catch {
    return "";
  }
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}
