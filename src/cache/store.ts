import { createHash } from "node:crypto";
import { access, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import fg from "fast-glob";
import { CacheError } from "../errors.js";

/**
 * Content-addressed storage for API bodies: each document is saved once, under the
 * SHA-256 of its bytes (`objects/ab/abcdef….json`). The crawl writes here instead of keeping
 * 40,000 bodies in memory; the render phase reads them back one at a time. Because a key
 * names its content, a build that dies half-way never corrupts what the previous build's
 * manifest points to, and a damaged file is detected by re-hashing on read.
 */
export interface Store {
  /** Saves a document and returns its key. Writing the same bytes twice is free. */
  put(bytes: Buffer | string): Promise<string>;
  /** The document's parsed JSON; throws `CacheError` if it is missing or damaged. */
  get(key: string): Promise<unknown>;
  has(key: string): Promise<boolean>;
  /** Deletes every document whose key is not in `keep`; returns how many were deleted. */
  prune(keep: ReadonlySet<string>): Promise<number>;
  readonly dir: string;
}

export function openStore(cacheDir: string): Store {
  const dir = join(cacheDir, "objects");
  const pathOf = (key: string) => join(dir, key.slice(0, 2), `${key}.json`);
  const made = new Set<string>();
  const inFlight = new Map<string, Promise<void>>();
  let counter = 0;
  const write = async (key: string, buffer: Buffer) => {
    const path = pathOf(key);
    const shard = key.slice(0, 2);
    if (!made.has(shard)) {
      await mkdir(join(dir, shard), { recursive: true });
      made.add(shard);
    }
    // A key names its content: an existing file (checked by hash on read) needs no rewrite.
    if (await exists(path)) return;
    // Write-then-rename: a reader never sees half a file under a valid key.
    const temporary = `${path}.${process.pid}.${counter++}.tmp`;
    await writeFile(temporary, buffer);
    await rename(temporary, path);
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
      let buffer: Buffer;
      try {
        buffer = await readFile(pathOf(key));
      } catch (error) {
        throw new CacheError(`Cached document ${key} is missing from ${dir}.`, { cause: error });
      }
      if (hashBytes(buffer) !== key) {
        throw new CacheError(
          `Cached document ${pathOf(key)} is damaged (its hash does not match).`,
        );
      }
      return JSON.parse(buffer.toString("utf8"));
    },
    async prune(keep) {
      const files = await fg("*/*.json", { cwd: dir, onlyFiles: true });
      const stale = files.filter((file) => !keep.has(basename(file, ".json")));
      await Promise.all(stale.map((file) => rm(join(dir, file), { force: true })));
      return stale.length;
    },
    has: (key) => exists(pathOf(key)),
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

export function hashBytes(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}
