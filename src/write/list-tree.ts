import { readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * Everything under `root` that is not a folder, as posix paths relative to it, in no
 * particular order: files, and symbolic links as themselves, never followed. Whatever the
 * caller removes or replaces from this list therefore stays inside `root`: a link to a folder
 * elsewhere is one entry (removing it removes the link), where a glob that follows links
 * would list, and a commit would delete, the files of the folder it points to.
 *
 * Blocking calls: one per folder. Listing a 40,000-dataset site this way takes about 0.6 s of
 * CPU on the bench machine; fast-glob, which reads each folder through libuv's thread pool
 * (a round trip between threads per folder) and matches every path, took 2.5 to 4 s.
 */
export function listTreeSync(root: string): string[] {
  const found: string[] = [];
  const visit = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = prefix + entry.name;
      if (entry.isDirectory()) visit(join(dir, entry.name), `${path}/`);
      else found.push(path);
    }
  };
  visit(root, "");
  return found;
}
