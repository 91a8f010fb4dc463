import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { listTreeSync } from "../../src/write/list-tree.js";
import { test } from "../support/fixtures.js";

test("lists every file and link under a folder, dot files included, without following links", async ({
  tmp,
}) => {
  const root = join(tmp, "site");
  await mkdir(join(root, "datasets", "a"), { recursive: true });
  await mkdir(join(root, "empty"), { recursive: true });
  await writeFile(join(root, ".ods-catalog"), "");
  await writeFile(join(root, "index.html"), "home");
  await writeFile(join(root, "datasets", "a", "index.html"), "A");
  const elsewhere = join(tmp, "elsewhere");
  await mkdir(elsewhere);
  await writeFile(join(elsewhere, "not-listed.txt"), "");
  await symlink(elsewhere, join(root, "datasets", "linked-folder"));
  await symlink(join(root, "index.html"), join(root, "linked-file"));
  expect(listTreeSync(root).sort()).toEqual([
    ".ods-catalog",
    "datasets/a/index.html",
    "datasets/linked-folder",
    "index.html",
    "linked-file",
  ]);
});
