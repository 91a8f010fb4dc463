import { appendFile, mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, onTestFinished } from "vitest";
import { hashBytes, hashBytesWithout, openStore, type Store } from "../../src/cache/store.js";
import { CacheError } from "../../src/errors.js";
import { damageDocument, storedDocuments } from "../support/cache.js";
import { test } from "../support/fixtures.js";

function opened(cacheDir: string): Store {
  const store = openStore(cacheDir);
  onTestFinished(async () => {
    await store.close();
  });
  return store;
}

const doc = (n: number) => JSON.stringify({ n, text: "é".repeat(n % 50) });
const files = async (cacheDir: string) => (await readdir(join(cacheDir, "objects"))).sort();

describe("the document store", () => {
  test("keeps each document once under the hash of its bytes, readable after reopening", async ({
    tmp,
  }) => {
    const store = opened(tmp);
    const keys = await Promise.all([doc(1), doc(2), doc(1)].map((d) => store.put(d)));
    expect(keys[0]).toBe(hashBytes(doc(1)));
    expect(keys[2]).toBe(keys[0]);
    expect(await store.put(doc(2))).toBe(keys[1]);
    await store.close();
    expect((await storedDocuments(tmp)).size).toBe(2);
    // One pack and its index, however many documents.
    expect(await files(tmp)).toHaveLength(2);

    const again = opened(tmp);
    expect(await again.get(keys[1] ?? "")).toEqual(JSON.parse(doc(2)));
    expect(again.getSync(keys[0] ?? "")).toEqual(JSON.parse(doc(1)));
    expect(await again.has(keys[0] ?? "")).toBe(true);
    expect(await again.has(hashBytes("never stored"))).toBe(false);
    await expect(again.get(hashBytes("never stored"))).rejects.toThrow(/missing/);
  });

  test("writes documents put at once side by side, each where its index line says", async ({
    tmp,
  }) => {
    const store = opened(tmp);
    // Put together, they are written in batches while earlier writes are under way.
    const docs = Array.from({ length: 300 }, (_, n) => doc(n));
    const keys = await Promise.all(docs.map((d) => store.put(d)));
    await store.close();
    const packed = await storedDocuments(tmp);
    expect(packed.size).toBe(300);
    const again = opened(tmp);
    for (const [n, key] of keys.entries()) expect(again.getSync(key)).toEqual(JSON.parse(doc(n)));
    const { size } = await stat(join(tmp, "objects", (await files(tmp))[1] ?? ""));
    expect(size).toBe(docs.reduce((sum, d) => sum + Buffer.byteLength(d), 0));
  });

  test("a store opened earlier finds what another one stored since, as a page worker does", async ({
    tmp,
  }) => {
    const writer = opened(tmp);
    const first = await writer.put(doc(1));
    const reader = opened(tmp);
    expect(reader.getSync(first)).toEqual(JSON.parse(doc(1)));
    // Stored after the reader read the index: it reads the lines added since.
    const later = await Promise.all([doc(2), doc(3)].map((d) => writer.put(d)));
    expect(later.map((key) => reader.getSync(key))).toEqual([2, 3].map((n) => JSON.parse(doc(n))));
    expect(() => reader.getSync(hashBytes("never stored"))).toThrow(/missing/);
  });

  test("add gives the key at once, and writes once 64 KB are queued, without waiting", async ({
    tmp,
  }) => {
    const store = opened(tmp);
    const put = store.put(doc(6));
    const small = store.add(doc(7));
    expect(small).toBe(hashBytes(doc(7)));
    const reader = opened(tmp);
    // Queued: written when the event loop turns, or once enough is queued.
    expect(() => reader.getSync(small)).toThrow(/missing/);
    const large = (n: number) => JSON.stringify({ n, text: "x".repeat(40_000) });
    const keys = [large(1), large(2)].map((d) => store.add(d));
    // Readable at once by another store, as the main thread reads what a worker stored, with
    // all that was queued before.
    expect(reader.getSync(small)).toEqual(JSON.parse(doc(7)));
    expect(reader.getSync(keys[1] ?? "")).toEqual(JSON.parse(large(2)));
    expect(reader.getSync(hashBytes(doc(6)))).toEqual(JSON.parse(doc(6)));
    // The same bytes again: one copy.
    expect(store.add(doc(7))).toBe(small);
    await put;
    await store.close();
    expect((await storedDocuments(tmp)).size).toBe(4);
  });

  test("prune keeps what another store (a page worker's) added since this one read its indexes", async ({
    tmp,
  }) => {
    const main = opened(tmp);
    const kept = await main.put(doc(1));
    const worker = opened(tmp);
    const added = worker.add(doc(2));
    worker.add(doc(3));
    await worker.close();
    expect(await main.prune(new Set([kept, added]))).toBe(1);
    expect([...(await storedDocuments(tmp)).keys()].sort()).toEqual([kept, added].sort());
    expect(opened(tmp).getSync(added)).toEqual(JSON.parse(doc(2)));
  });

  test("refuses a damaged document, and stores the same bytes anew afterwards", async ({ tmp }) => {
    const store = opened(tmp);
    const key = await store.put(doc(7));
    await store.close();
    await damageDocument(tmp, key);
    const reopened = opened(tmp);
    expect(() => reopened.getSync(key)).toThrow(CacheError);
    expect(() => reopened.getSync(key)).toThrow(/missing/);
    expect(await reopened.put(doc(7))).toBe(key);
    expect(await reopened.get(key)).toEqual(JSON.parse(doc(7)));
  });

  test("ignores an index line a crash cut short", async ({ tmp }) => {
    const store = opened(tmp);
    const key = await store.put(doc(3));
    await store.close();
    const [index] = (await files(tmp)).filter((f) => f.endsWith(".idx"));
    await appendFile(join(tmp, "objects", index ?? ""), `${hashBytes("x")} 12`);
    expect((await storedDocuments(tmp)).has(key)).toBe(true);
    expect(opened(tmp).getSync(key)).toEqual(JSON.parse(doc(3)));
  });

  test("prune keeps what is asked, rewrites mostly-unused packs and removes stray files", async ({
    tmp,
  }) => {
    const first = opened(tmp);
    const old = await Promise.all(Array.from({ length: 10 }, (_, i) => first.put(doc(i))));
    await first.close();
    const second = opened(tmp);
    const recent = await Promise.all(
      Array.from({ length: 10 }, (_, i) => second.put(doc(100 + i))),
    );
    await second.close();
    // A previous version's one-file-per-document layout, and an index without its pack.
    await mkdir(join(tmp, "objects", "ab"));
    await writeFile(join(tmp, "objects", "ab", "abcd.json"), "{}");
    await writeFile(join(tmp, "objects", "orphan.idx"), "");

    const store = opened(tmp);
    // Two of the first pack's documents (mostly garbage now), all of the second's.
    const keep = new Set([old[0] ?? "", old[1] ?? "", ...recent]);
    expect(await store.prune(keep)).toBe(8);
    const left = await storedDocuments(tmp);
    expect([...left.keys()].sort()).toEqual([...keep].sort());
    for (const key of keep) expect(store.getSync(key)).toBeDefined();
    // The first pack is gone, its two documents moved: two packs and their indexes remain.
    const after = await files(tmp);
    expect(after.filter((f) => f.endsWith(".pack"))).toHaveLength(2);
    expect(after.filter((f) => f.endsWith(".idx"))).toHaveLength(2);
    const sizes = await Promise.all(
      after
        .filter((f) => f.endsWith(".pack"))
        .map(async (f) => (await stat(join(tmp, "objects", f))).size),
    );
    const bytesKept = [...left.values()].reduce((sum, at) => sum + at.length, 0);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(bytesKept);

    expect(await store.prune(new Set())).toBe(12);
    expect(await files(tmp)).toEqual([]);
  });

  test("merges packs when builds have left more than eight", async ({ tmp }) => {
    const keys: string[] = [];
    for (let build = 0; build < 10; build++) {
      const store = opened(tmp);
      keys.push(await store.put(doc(build)));
      await store.close();
    }
    expect((await files(tmp)).filter((f) => f.endsWith(".pack"))).toHaveLength(10);
    const store = opened(tmp);
    expect(await store.prune(new Set(keys))).toBe(0);
    expect((await files(tmp)).filter((f) => f.endsWith(".pack")).length).toBeLessThanOrEqual(2);
    for (const key of keys) expect(await store.get(key)).toBeDefined();
  });
});

describe("hashBytesWithout", () => {
  test("hashes the text with every occurrence of the cut left out", () => {
    const origin = "http://127.0.0.1:4321";
    for (const text of [
      `{"href":"${origin}/api/v2/x","next":"${origin}/api/v2/y?offset=100"}`,
      `${origin}${origin}é données ${origin}`,
      "no origin at all: Île-de-France",
      "",
    ]) {
      expect(hashBytesWithout(Buffer.from(text), origin)).toBe(
        hashBytes(text.replaceAll(origin, "")),
      );
    }
    expect(hashBytesWithout(Buffer.from(`${origin}/a`), origin)).not.toBe(
      hashBytesWithout(Buffer.from(`${origin}/b`), origin),
    );
  });
});
