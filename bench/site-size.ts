import { readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";

/** What a generated site weighs: every file, and the dataset pages on their own. */
export interface SiteSize {
  files: number;
  bytes: number;
  datasetPages: number;
  datasetPageBytes: number;
}

/** Walks `dir`; a dataset page is `datasets/<folder>/index.html`, as both sites lay them out. */
export async function measureSite(dir: string): Promise<SiteSize> {
  const size: SiteSize = { files: 0, bytes: 0, datasetPages: 0, datasetPageBytes: 0 };
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  // Stat in batches: 40,000 at once would only queue on libuv's four threads.
  for (let i = 0; i < files.length; i += 256) {
    const batch = files.slice(i, i + 256);
    const sizes = await Promise.all(batch.map(async (file) => (await stat(file)).size));
    batch.forEach((file, j) => {
      const bytes = sizes[j] ?? 0;
      size.files++;
      size.bytes += bytes;
      const parts = relative(dir, file).split(sep);
      if (parts.length === 3 && parts[0] === "datasets" && parts[2] === "index.html") {
        size.datasetPages++;
        size.datasetPageBytes += bytes;
      }
    });
  }
  return size;
}
