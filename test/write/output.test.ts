import { existsSync } from "node:fs";
import { lstat, mkdir, open, readFile, rename, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { OutputError } from "../../src/errors.js";
import { MARKER, openOutput, writeNewFileSync } from "../../src/write/output.js";
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

  test("writes a file given as pieces of text, counting its bytes", async ({ tmp }) => {
    const output = await openOutput({ outDir: join(tmp, "site"), cwd: tmp });
    // Past one block of 65,536 characters, with a character of three bytes in UTF-8.
    const pieces = ["[", ..."x".repeat(70_000).split(""), "…]"];
    await output.write({ path: "big.json", contents: pieces.values() });
    await output.commit();
    expect(await readFile(join(tmp, "site", "big.json"), "utf8")).toBe(pieces.join(""));
    expect(output.stats.bytes).toBe(70_000 + 5);
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

  test("hard-links unchanged files from the published site", async ({ tmp }) => {
    const outDir = await previousSite(tmp);
    const output = await openOutput({ outDir, cwd: tmp });
    expect(await output.unchanged("datasets/old/index.html", { buffer: false, live: true })).toBe(
      true,
    );
    expect(await output.unchanged("datasets/new/index.html", { buffer: true, live: false })).toBe(
      false,
    );
    await output.write({ path: "index.html", contents: "new home" });
    await output.commit();
    expect(await readFile(join(outDir, "datasets", "old", "index.html"), "utf8")).toBe("old page");
    expect(output.stats).toMatchObject({ files: 2, reused: 1, bytes: 8 });
  });

  test("leaves the published site and the buffer alone when nothing changed", async ({ tmp }) => {
    const outDir = await previousSite(tmp);
    const output = await openOutput({ outDir, cwd: tmp });
    await output.unchanged("index.html", { buffer: false, live: true });
    await output.unchanged("datasets/old/index.html", { buffer: false, live: true });
    // The published site holds those two files and its marker.
    expect(output.isPublished(4)).toBe(false);
    expect(output.isPublished(3)).toBe(true);
    await output.keepPublished();
    expect(existsSync(output.stagingDir)).toBe(false);
    expect(await readFile(join(outDir, "index.html"), "utf8")).toBe("old home");
  });

  test("rewrites the site of two builds ago in place, never touching the published files it shares", async ({
    tmp,
  }) => {
    const outDir = join(tmp, "site");
    const read = (dir: string, path: string) => readFile(join(dir, path), "utf8");
    // Build 1.
    let output = await openOutput({ outDir, cwd: tmp });
    expect([output.liveId, output.bufferId]).toEqual([undefined, undefined]);
    const first = output.stagingId;
    await output.write({ path: "index.html", contents: "home 1" });
    await output.write({ path: "datasets/a/index.html", contents: "A1" });
    await output.write({ path: "datasets/b/index.html", contents: "B1" });
    await output.commit();
    // Build 2: `a` is hard-linked from build 1, `b` is gone, `c` is new.
    output = await openOutput({ outDir, cwd: tmp });
    expect([output.liveId, output.bufferId]).toEqual([first, undefined]);
    const second = output.stagingId;
    await output.write({ path: "index.html", contents: "home 2" });
    expect(await output.unchanged("datasets/a/index.html", { buffer: false, live: true })).toBe(
      true,
    );
    await output.write({ path: "datasets/c/index.html", contents: "C1" });
    await output.commit();
    // Build 3 rewrites build 1's folder, whose `a` shares its inode with the published `a`.
    output = await openOutput({ outDir, cwd: tmp });
    // Folders keep their identity through the renames: the buffer is build 1's folder.
    expect([output.liveId, output.bufferId]).toEqual([second, first]);
    expect(await output.unchanged("index.html", { buffer: true, live: false })).toBe(true);
    expect(await output.unchanged("datasets/c/index.html", { buffer: true, live: false })).toBe(
      false,
    );
    await output.write({ path: "datasets/a/index.html", contents: "A3" });
    expect(await output.unchanged("datasets/c/index.html", { buffer: false, live: true })).toBe(
      true,
    );
    expect(await read(outDir, "datasets/a/index.html")).toBe("A1");
    expect(await read(outDir, "index.html")).toBe("home 2");
    await output.commit();
    expect(await read(outDir, "index.html")).toBe("home 1");
    expect(await read(outDir, "datasets/a/index.html")).toBe("A3");
    expect(await read(outDir, "datasets/c/index.html")).toBe("C1");
    expect(existsSync(join(outDir, "datasets", "b"))).toBe(false);
    expect(output.stats).toMatchObject({ kept: 1, reused: 1, removed: 1 });
    // The site it replaced is the next build's buffer, whole.
    expect(await read(join(tmp, ".site.prev"), "datasets/a/index.html")).toBe("A1");
    expect(await read(join(tmp, ".site.prev"), "index.html")).toBe("home 2");
  });

  test("a file written from a worker replaces one shared with the published site, never writing through it", async ({
    tmp,
  }) => {
    const outDir = join(tmp, "site");
    const read = (path: string) => readFile(join(outDir, path), "utf8");
    let output = await openOutput({ outDir, cwd: tmp });
    await output.write({ path: "datasets/a/index.html", contents: "A1" });
    await output.commit();
    output = await openOutput({ outDir, cwd: tmp });
    expect(await output.unchanged("datasets/a/index.html", { buffer: false, live: true })).toBe(
      true,
    );
    await output.commit();
    // The buffer's `a` is now a hard link to the published `a`.
    output = await openOutput({ outDir, cwd: tmp });
    writeNewFileSync(output.stagingDir, "datasets/a/index.html", Buffer.from("A3"));
    output.adoptFile("datasets/a/index.html", 2);
    writeNewFileSync(output.stagingDir, "datasets/new/index.html", Buffer.from("N"));
    output.adoptFile("datasets/new/index.html", 1);
    expect(await read("datasets/a/index.html")).toBe("A1");
    expect(() => writeNewFileSync(output.stagingDir, "../escape.html", Buffer.from("x"))).toThrow(
      OutputError,
    );
    await output.commit();
    expect(await read("datasets/a/index.html")).toBe("A3");
    expect(await read("datasets/new/index.html")).toBe("N");
    expect(existsSync(join(tmp, "escape.html"))).toBe(false);
    expect(output.stats.bytes).toBe(3);
  });

  test("text is written in UTF-8, each file with its own bytes only, whatever was written before", async ({
    tmp,
  }) => {
    const output = await openOutput({ outDir: join(tmp, "site"), cwd: tmp });
    const texts = [
      `<p>Données “${"é".repeat(5000)}” 😀 \ud800 fin</p>`,
      "short",
      "x".repeat((1 << 20) + 1),
      "😀".repeat(70_000),
      "",
    ];
    texts.forEach((text, i) => {
      const size = writeNewFileSync(output.stagingDir, `f${i}.html`, text);
      expect(size).toBe(Buffer.byteLength(text));
    });
    for (const [i, text] of texts.entries()) {
      const written = await readFile(join(output.stagingDir, `f${i}.html`));
      expect(written.equals(Buffer.from(text))).toBe(true);
    }
    await output.abort();
  });

  test("a file written from a worker over a buffer file no other folder shares is rewritten in place", async ({
    tmp,
  }) => {
    const outDir = join(tmp, "site");
    let output = await openOutput({ outDir, cwd: tmp });
    await output.write({ path: "datasets/a/index.html", contents: "A1, a longer first page" });
    await output.commit();
    output = await openOutput({ outDir, cwd: tmp });
    await output.write({ path: "datasets/a/index.html", contents: "A2" });
    await output.commit();
    // The buffer's `a` (A1) is its own file now: the published `a` (A2) was written anew.
    output = await openOutput({ outDir, cwd: tmp });
    const staged = join(output.stagingDir, "datasets/a/index.html");
    expect((await stat(staged)).nlink).toBe(1);
    // Held open, the old file keeps its inode if unlinked: only an in-place write shows here.
    const held = await open(staged, "r");
    try {
      writeNewFileSync(output.stagingDir, "datasets/a/index.html", Buffer.from("A3"));
      expect((await held.readFile()).toString()).toBe("A3");
      expect((await stat(staged)).ino).toBe((await held.stat()).ino);
    } finally {
      await held.close();
    }
    output.adoptFile("datasets/a/index.html", 2);
    expect(await readFile(join(outDir, "datasets/a/index.html"), "utf8")).toBe("A2");
    await output.commit();
    expect(await readFile(join(outDir, "datasets/a/index.html"), "utf8")).toBe("A3");
  });

  test("a symbolic link where a page goes is replaced by the page, its target left alone", async ({
    tmp,
  }) => {
    const outDir = join(tmp, "site");
    const output = await openOutput({ outDir, cwd: tmp });
    const outside = join(tmp, "outside.txt");
    await writeFile(outside, "not ours");
    await mkdir(join(output.stagingDir, "datasets", "a"), { recursive: true });
    const staged = join(output.stagingDir, "datasets/a/index.html");
    await symlink(outside, staged);
    writeNewFileSync(output.stagingDir, "datasets/a/index.html", "A");
    expect(await readFile(outside, "utf8")).toBe("not ours");
    expect((await lstat(staged)).isSymbolicLink()).toBe(false);
    expect(await readFile(staged, "utf8")).toBe("A");
    await output.abort();
  });

  test("a symbolic link to a folder in the buffer is removed, never followed into what it points to", async ({
    tmp,
  }) => {
    const outDir = join(tmp, "site");
    for (const home of ["home 1", "home 2"]) {
      const output = await openOutput({ outDir, cwd: tmp });
      await output.write({ path: "index.html", contents: home });
      await output.commit();
    }
    // Someone's link in the buffer, to a folder outside the site.
    const outside = join(tmp, "outside");
    await mkdir(join(outside, "deep"), { recursive: true });
    await writeFile(join(outside, "deep", "keep.txt"), "not ours");
    await symlink(outside, join(tmp, ".site.prev", "linked"));
    const output = await openOutput({ outDir, cwd: tmp });
    expect(output.bufferId).toBeDefined();
    await output.write({ path: "index.html", contents: "home 3" });
    await output.commit();
    expect(await readFile(join(outside, "deep", "keep.txt"), "utf8")).toBe("not ours");
    expect(existsSync(join(outDir, "linked"))).toBe(false);
    expect(output.stats.removed).toBe(1);
  });

  test("a staging folder made empty is fresh: files go in without a look, and one there after all is handled as usual", async ({
    tmp,
  }) => {
    const outDir = join(tmp, "site");
    let output = await openOutput({ outDir, cwd: tmp });
    expect(output.fresh).toBe(true);
    writeNewFileSync(output.stagingDir, "datasets/a/index.html", "A", output.fresh);
    // A page made again (an early page in another language) replaces the first.
    writeNewFileSync(output.stagingDir, "datasets/a/index.html", "A again", output.fresh);
    output.adoptFile("datasets/a/index.html", 7);
    // A link put there since the folder was made is replaced, never followed.
    const outside = join(tmp, "outside.txt");
    await writeFile(outside, "not ours");
    await mkdir(join(output.stagingDir, "datasets", "b"), { recursive: true });
    const linked = join(output.stagingDir, "datasets/b/index.html");
    await symlink(outside, linked);
    writeNewFileSync(output.stagingDir, "datasets/b/index.html", "B", output.fresh);
    expect(await readFile(outside, "utf8")).toBe("not ours");
    expect((await lstat(linked)).isSymbolicLink()).toBe(false);
    expect(await readFile(linked, "utf8")).toBe("B");
    output.adoptFile("datasets/b/index.html", 1);
    await output.commit();
    expect(await readFile(join(outDir, "datasets/a/index.html"), "utf8")).toBe("A again");
    // The next build rewrites nothing (no buffer yet): fresh again. The one after rewrites the
    // first build's folder, which holds files: not fresh.
    output = await openOutput({ outDir, cwd: tmp });
    expect(output.fresh).toBe(true);
    await output.write({ path: "datasets/a/index.html", contents: "A2" });
    await output.commit();
    output = await openOutput({ outDir, cwd: tmp });
    expect(output.fresh).toBe(false);
    await output.write({ path: "datasets/a/index.html", contents: "A3" });
    await output.commit();
    expect(await readFile(join(outDir, "datasets/a/index.html"), "utf8")).toBe("A3");
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
