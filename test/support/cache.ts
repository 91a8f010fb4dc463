import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The store's documents as its pack indexes list them (`objects/<name>.idx`: `key offset
 * length` lines), for tests that count them or damage one as a disk error would.
 */
export async function storedDocuments(
  cacheDir: string,
): Promise<Map<string, { pack: string; offset: number; length: number }>> {
  const dir = join(cacheDir, "objects");
  const documents = new Map<string, { pack: string; offset: number; length: number }>();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".idx")).sort()) {
    for (const line of (await readFile(join(dir, file), "utf8")).split("\n")) {
      const [key, offset, length] = line.split(" ");
      if (key && offset && length)
        documents.set(key, {
          pack: join(dir, file.replace(/\.idx$/, ".pack")),
          offset: Number(offset),
          length: Number(length),
        });
    }
  }
  return documents;
}

/** Flips a byte in the middle of a stored document, as a disk error would. */
export async function damageDocument(cacheDir: string, key: string): Promise<void> {
  const at = (await storedDocuments(cacheDir)).get(key);
  if (!at) throw new Error(`Document ${key} is not in the store of ${cacheDir}.`);
  const pack = await readFile(at.pack);
  const middle = at.offset + Math.floor(at.length / 2);
  pack[middle] = (pack[middle] ?? 0) ^ 0x20;
  await writeFile(at.pack, pack);
}
