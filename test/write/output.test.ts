import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { OutputError } from "../../src/errors.js";
import { MARKER, openOutput } from "../../src/write/output.js";
import { test } from "../support/fixtures.js";

async function previousSite(tmp: string) {
  const outDir = join(tmp, "site");
  await mkdir(join(outDir, "datasets", "old"), { recursive: true });
  await writeFile(join(outDir, MARKER), "");
  await writeFile(join(outDir, "index.html"), "old home");
  await writeFile(join(outDir, "datasets", "old", "index.html"), "old page");
  return outDir;
}

describe("openOutput", () => {
  test("swaps the new site in on commit, removing pages that are gone", async ({ tmp }) => {
    const outDir = await previousSite(tmp);
    const output = await openOutput({ outDir, cwd: tmp });
    await output.write({ path: "index.html", contents: "new home" });
    expect(await readFile(join(outDir, "index.html"), "utf8")).toBe("old home");
    await output.commit();
    expect(await readFile(join(outDir, "index.html"), "utf8")).toBe("new home");
    expect(existsSync(join(outDir, "datasets", "old"))).toBe(false);
    expect(existsSync(join(outDir, MARKER))).toBe(true);
    expect(existsSync(output.stagingDir)).toBe(false);
  });

  test("leaves the previous site byte for byte as it was when the build aborts", async ({
    tmp,
  }) => {
    const outDir = await previousSite(tmp);
    const output = await openOutput({ outDir, cwd: tmp });
    await output.write({ path: "index.html", contents: "half-built" });
    await output.abort();
    expect(await readFile(join(outDir, "index.html"), "utf8")).toBe("old home");
    expect(await readFile(join(outDir, "datasets", "old", "index.html"), "utf8")).toBe("old page");
  });

  test("clears the staging folder a killed build left, and finishes a swap cut between its renames", async ({
    tmp,
  }) => {
    const outDir = await previousSite(tmp);
    await mkdir(join(tmp, ".site.next"), { recursive: true });
    await writeFile(join(tmp, ".site.next", "junk.html"), "junk");
    await rename(outDir, join(tmp, ".site.prev"));
    const output = await openOutput({ outDir, cwd: tmp });
    expect(await readFile(join(outDir, "index.html"), "utf8")).toBe("old home");
    expect(existsSync(join(output.stagingDir, "junk.html"))).toBe(false);
    await output.abort();
  });

  test("hard-links files reused from the previous build", async ({ tmp }) => {
    const outDir = await previousSite(tmp);
    const output = await openOutput({ outDir, cwd: tmp });
    expect(await output.reuse("datasets/old/index.html")).toBe(true);
    expect(await output.reuse("datasets/missing/index.html")).toBe(false);
    await output.commit();
    expect(await readFile(join(outDir, "datasets", "old", "index.html"), "utf8")).toBe("old page");
    expect(output.stats).toMatchObject({ files: 1, reused: 1, bytes: 8 });
  });

  test("refuses paths that leave the folder or are not plain relative paths", async ({ tmp }) => {
    const output = await openOutput({ outDir: join(tmp, "out"), cwd: tmp });
    for (const path of [
      "../x.html",
      "a/../../x",
      "/etc/passwd",
      "a//b",
      "a\\b",
      "",
      ".",
      "a/./b",
      "x\0y",
    ]) {
      await expect(output.write({ path, contents: "" }), path).rejects.toThrow(OutputError);
    }
    expect(existsSync(join(tmp, "x.html"))).toBe(false);
    await output.abort();
  });

  test("refuses two files on one path, even differing only by case", async ({ tmp }) => {
    const output = await openOutput({ outDir: join(tmp, "out"), cwd: tmp });
    await output.write({ path: "datasets/Abc/index.html", contents: "1" });
    await expect(output.write({ path: "datasets/abc/index.html", contents: "2" })).rejects.toThrow(
      "Two pages claim the same output path: datasets/Abc/index.html and datasets/abc/index.html.",
    );
    await output.abort();
  });

  test("refuses dangerous output folders before touching anything", async ({ tmp }) => {
    const project = join(tmp, "project");
    await mkdir(join(project, "src"), { recursive: true });
    await mkdir(join(tmp, "repo", ".git"), { recursive: true });
    await mkdir(join(tmp, "documents"), { recursive: true });
    await writeFile(join(tmp, "documents", "thesis.odt"), "precious");
    await writeFile(join(tmp, "file"), "");
    const cases: Array<[string, string]> = [
      ["/", "it is the file system root"],
      [project, "it contains the working directory"],
      [tmp, "it contains the working directory"],
      [join(tmp, "repo"), "it holds .git"],
      [join(tmp, "documents"), "it is not empty and was not made by ods-catalog"],
      [join(tmp, "file"), "it is a file"],
    ];
    for (const [outDir, why] of cases) {
      await expect(openOutput({ outDir, cwd: project })).rejects.toThrow(why);
    }
    await expect(
      openOutput({ outDir: join(tmp, "srcholder"), cwd: tmp }).then((o) => o.abort()),
    ).resolves.toBeUndefined();
    await mkdir(join(tmp, "withsrc", "src"), { recursive: true });
    await writeFile(join(tmp, "withsrc", MARKER), "");
    await expect(openOutput({ outDir: join(tmp, "withsrc"), cwd: tmp })).rejects.toThrow(
      "it holds src",
    );
    expect(await readFile(join(tmp, "documents", "thesis.odt"), "utf8")).toBe("precious");
  });
});
