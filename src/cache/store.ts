import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { access, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import fg from "fast-glob";
import { CacheError } from "../errors.js";
import { mapLimit } from "../limit.js";
import type { OdsRecord } from "../model/ods.js";

/**
 * Content-addressed storage for API bodies: each document is saved under the SHA-256 of
 * its bytes (`objects/ab/abcdef….json`). The crawl writes here instead of keeping 40,000
 * bodies in memory; the render phase reads them back one at a time. A changed document gets
 * a new key, so a build that dies half-way leaves what the previous build's manifest points
 * to as it was; anything damaged (a crash mid-write, a disk error) fails its hash check on
 * read and is never trusted.
 */
export interface Store {
  /** Saves a document and returns its key. The same bytes at once are written once. */
  put(bytes: Buffer | string): Promise<string>;
  /** The document's parsed JSON; throws `CacheError` if it is missing or damaged. */
  get(key: string): Promise<unknown>;
  /** `get` without the event loop: for worker threads, which have nothing else to do meanwhile. */
  getSync(key: string): unknown;
  has(key: string): Promise<boolean>;
  /** Deletes every document whose key is not in `keep`; returns how many were deleted. */
  prune(keep: ReadonlySet<string>): Promise<number>;
  /** Deletes these documents (those the last site used and this one does not). */
  remove(keys: Iterable<string>): Promise<number>;
  readonly dir: string;
}

export function openStore(cacheDir: string): Store {
  const dir = join(cacheDir, "objects");
  const pathOf = (key: string) => join(dir, key.slice(0, 2), `${key}.json`);
  const made = new Set<string>();
  const inFlight = new Map<string, Promise<void>>();
  const write = async (key: string, buffer: Buffer) => {
    const path = pathOf(key);
    const shard = key.slice(0, 2);
    if (!made.has(shard)) {
      await mkdir(join(dir, shard), { recursive: true });
      made.add(shard);
    }
    // Written in place: a file cut short by a crash fails its hash check on read and is
    // fetched again, so the rename dance would only cost two system calls per document.
    await writeFile(path, buffer);
  };

  const missing =
    (key: string) =>
    (error: unknown): never => {
      throw new CacheError(`Cached document ${key} is missing from ${dir}.`, { cause: error });
    };
  const decode = (key: string, buffer: Buffer): unknown => {
    if (hashBytes(buffer) !== key) {
      throw new CacheError(`Cached document ${pathOf(key)} is damaged (its hash does not match).`);
    }
    return JSON.parse(buffer.toString("utf8"));
  };

  return {
    dir,
    async put(bytes) {
      const buffer = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
      const key = hashBytes(buffer);
      // Many datasets share bodies (empty record samples): write each key once.
      let writing = inFlight.get(key);
      if (!writing) {
        writing = write(key, buffer).finally(() => inFlight.delete(key));
        inFlight.set(key, writing);
      }
      await writing;
      return key;
    },
    async get(key) {
      return decode(key, await readFile(pathOf(key)).catch(missing(key)));
    },
    getSync(key) {
      let buffer: Buffer;
      try {
        buffer = readFileSync(pathOf(key));
      } catch (error) {
        return missing(key)(error);
      }
      return decode(key, buffer);
    },
    async prune(keep) {
      const files = await fg("*/*.json", { cwd: dir, onlyFiles: true });
      const stale = files.filter((file) => !keep.has(basename(file, ".json")));
      await Promise.all(stale.map((file) => rm(join(dir, file), { force: true })));
      return stale.length;
    },
    has: (key) => exists(pathOf(key)),
    async remove(keys) {
      const list = [...keys];
      await mapLimit(list, 16, (key) => rm(pathOf(key), { force: true }));
      return list.length;
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * What the store keeps per dataset: its API body as received and its record sample, in one
 * document, so rendering a page costs one read.
 */
export interface StoredDataset {
  body: unknown;
  records: OdsRecord[] | null;
}

/** The stored form, written around the body's own text (never parsed and re-serialised). */
export function composeDataset(bodyJson: string, records: OdsRecord[] | undefined): string {
  return `{"records":${records ? JSON.stringify(records) : "null"},"body":${bodyJson}}`;
}

export function hashBytes(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}
