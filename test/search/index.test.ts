import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect } from "vitest";
import {
  filterFile,
  indexFiles,
  planShards,
  type SearchDoc,
  SHARD_BYTES,
  STOP_WORDS,
  words,
} from "../../src/search/index.js";
import { buildSite } from "../support/build-site.js";
import { test } from "../support/fixtures.js";

/** The search page's reader, run here as the browser runs it. */
interface Engine {
  excerpt(text: string, searched: string[], length?: number): { text: string; mark: boolean }[];
  openIndex(load: (path: string) => Promise<unknown>): Promise<{
    search(
      query: string,
      filters?: Record<string, string[]>,
    ): Promise<{ ids: number[]; words: string[] }>;
    documents(ids: number[]): Promise<{ path: string; title: string; text: string }[]>;
  }>;
}
const engine: Engine = await import(
  new URL("../../public/assets/search-engine.js", import.meta.url).href
);

/** The reader over index files held in memory, counting what it loads. */
async function open(files: { path: string; contents: string }[]) {
  const loaded: string[] = [];
  const byPath = new Map(files.map((f) => [f.path, f.contents]));
  const index = await engine.openIndex(async (path) => {
    loaded.push(path);
    const contents = byPath.get(path);
    if (contents === undefined) throw new Error(`no ${path}`);
    return JSON.parse(contents);
  });
  return { index, loaded };
}

/** A deterministic catalog: words drawn from a small vocabulary, so most are shared. */
function catalog(count: number): SearchDoc[] {
  const vocabulary = [
    ..."données qualité air eau budget commune région lauréats énergie vélo trafic".split(" "),
    ..."population école santé élection déchets parking arbres bruit logement emploi".split(" "),
    ..."Données DONNEES donnee donner transport transports l'air d'eau 2021 2023 co2".split(" "),
  ];
  const pick = (seed: number, n: number) =>
    Array.from({ length: n }, (_, i) => vocabulary[(seed * 7919 + i * 104729) % vocabulary.length]);
  return Array.from({ length: count }, (_, i) => ({
    path: `datasets/d${i}/`,
    title: pick(i, 1 + (i % 3)).join(" "),
    tags: pick(i + 1, i % 4).join(" \n "),
    text: `${pick(i + 2, 5 + (i % 9)).join(" ")}, les données de la ville.`,
    fields: i % 5 === 0 ? "code_commune \n Nom de la commune nom_com" : "",
    filters: [
      `theme\0${i % 2 ? "Environnement" : "Mobilité"}`,
      ...(i % 7 ? [] : ["publisher\0INSEE"]),
    ],
  }));
}

/** The datasets a word finds, worked out the slow way from each dataset's words. */
function expected(docs: SearchDoc[], word: string): number[] {
  return docs.flatMap((doc, id) =>
    words(`${doc.title} ${doc.tags} ${doc.text} ${doc.fields}`).some(
      (w) => w === word || (word.length >= 3 && w.startsWith(word)),
    )
      ? [id]
      : [],
  );
}

describe("words and filter files", () => {
  test("lowers, strips marks and splits on anything but letters and digits, 2 to 40 characters", () => {
    expect(words("Qualité de l'AIR, Île-de-France")).toEqual([
      "qualite",
      "de",
      "air",
      "ile",
      "de",
      "france",
    ]);
    expect(words("ÉNERGIE_renouvelable;données ŒUVRES cœur naïve")).toEqual([
      ...["energie", "renouvelable", "donnees", "œuvres", "cœur", "naive"],
    ]);
    // Every combining mark goes, in any script: queries are folded the same way.
    expect(words("東京都 の データ Ελληνικά Ωμέγα русский")).toEqual([
      ...["東京都", "テータ", "ελληνικα", "ωμεγα", "русскии"],
    ]);
    expect(words("a b 1 22 émoji 👍 x")).toEqual(["22", "emoji"]);
    expect(words(`${"y".repeat(41)} ${"z".repeat(40)}`)).toEqual(["z".repeat(40)]);
  });

  test("names a filter value's file by a hash of facet and label, among the files there are", () => {
    expect(filterFile("theme", "Société", 1)).toBe("filters/0.json");
    expect(filterFile("theme", "Société", 1000)).toMatch(/^filters\/\d{1,3}\.json$/);
    expect(filterFile("theme", "Société", 1000)).not.toBe(filterFile("theme", "Societe", 1000));
    expect(filterFile("theme", "Société", 1000)).not.toBe(filterFile("publisher", "Société", 1000));
  });
});

describe("planShards", () => {
  test("puts each word in the shard of its longest prefix, with every word it starts", () => {
    const sorted = [...new Set(catalog(3000).flatMap((d) => words(`${d.title} ${d.text}`)))]
      .concat(Array.from({ length: 4000 }, (_, i) => `mot${i.toString(36)}`))
      .sort();
    const weight = (word: string) => 100 + word.length;
    const shards = planShards(sorted, weight);
    expect(shards.length).toBeGreaterThan(5);
    expect(shards.flatMap((s) => s.words).sort()).toEqual(sorted);
    const names = shards.map((s) => s.name);
    const shardOf = (word: string) =>
      shards.reduce<(typeof shards)[number] | undefined>(
        (best, s) =>
          word.startsWith(s.name) && (!best || s.name.length > best.name.length) ? s : best,
        undefined,
      );
    // Every prefix of three letters or more, with the words it starts: its shard has them all.
    const starting = new Map<string, string[]>();
    for (const word of sorted)
      for (let n = 3; n <= word.length; n++) {
        const prefix = word.slice(0, n);
        starting.set(prefix, [...(starting.get(prefix) ?? []), word]);
      }
    expect(starting.size).toBeGreaterThan(1000);
    for (const [prefix, all] of starting) {
      const held = new Set(shardOf(prefix)?.words);
      expect(
        all.filter((word) => !held.has(word)),
        prefix,
      ).toEqual([]);
    }
    for (const word of sorted) expect(shardOf(word)?.words).toContain(word);
    for (const shard of shards) {
      const bytes = shard.words.reduce((sum, w) => sum + weight(w), 0);
      if (shard.name.length < 3) expect(bytes).toBeLessThanOrEqual(SHARD_BYTES);
    }
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("the index and its reader", () => {
  test("a word finds every dataset having it or, from three letters, a word it starts", async () => {
    const docs = catalog(2000);
    const { index } = await open(indexFiles(docs));
    const vocabulary = new Set(docs.flatMap((d) => words(`${d.title} ${d.text} ${d.fields}`)));
    const queries = [...vocabulary, "don", "donn", "transp", "co", "comm", "zzz"].filter(
      (w) => !STOP_WORDS.includes(w),
    );
    expect(queries.length).toBeGreaterThan(25);
    for (const word of queries) {
      const { ids } = await index.search(word);
      expect(
        [...ids].sort((a, b) => a - b),
        word,
      ).toEqual(expected(docs, word));
    }
    // Stop words find nothing; every word of a query must be found.
    expect((await index.search("les de la")).ids).toEqual([]);
    const both = (await index.search("vélo énergie")).ids.sort((a, b) => a - b);
    const velo = expected(docs, "velo");
    expect(both).toEqual(expected(docs, "energie").filter((id) => velo.includes(id)));
    expect(both.length).toBeGreaterThan(0);
  });

  test("ranks a title above tags, tags above text, and the word itself above longer words", async () => {
    const base = { tags: "", fields: "", filters: [] };
    const docs: SearchDoc[] = [
      { ...base, path: "datasets/a/", title: "Arbres", text: "vélo" },
      { ...base, path: "datasets/b/", title: "Bruit", text: "vélos" },
      { ...base, path: "datasets/c/", title: "Vélos", text: "" },
      { ...base, path: "datasets/d/", title: "Trafic", tags: "vélo", text: "" },
      { ...base, path: "datasets/e/", title: "Vélo", text: "" },
    ];
    const { index } = await open(indexFiles(docs));
    const found = await index.search("velo");
    expect(found.ids).toEqual([4, 2, 3, 0, 1]);
    expect(found.words).toEqual(["velo"]);
    const shown = await index.documents(found.ids.slice(0, 2));
    expect(shown).toEqual([
      { path: "datasets/e/", title: "Vélo", text: "" },
      { path: "datasets/c/", title: "Vélos", text: "" },
    ]);
  });

  test("a filter value whose label holds a NUL is found in the file the page looks in", async () => {
    // Labels come from the API: nothing keeps a NUL out of one.
    const labels = Array.from({ length: 40 }, (_, i) => `Thème ${i}\0suite ${i}`);
    const docs = labels.map((label, i) => ({
      path: `datasets/d${i}/`,
      title: `jeu ${i}`,
      tags: "",
      text: "",
      fields: "",
      filters: [`theme\0${label}`],
    }));
    const { index } = await open(indexFiles(docs));
    for (const [id, label] of labels.entries())
      expect((await index.search("", { theme: [label] })).ids).toEqual([id]);
  });

  test("filters: any value of one, every one of several, with or without words", async () => {
    const docs = catalog(500);
    const files = indexFiles(docs);
    const { index, loaded } = await open(files);
    const having = (filter: string) =>
      docs.flatMap((d, id) => (d.filters.includes(filter) ? [id] : []));
    const env = having("theme\0Environnement");
    const insee = having("publisher\0INSEE");
    expect((await index.search("", { theme: ["Environnement"] })).ids).toEqual(env);
    expect((await index.search("", { theme: ["Environnement", "Mobilité"] })).ids).toEqual(
      docs.map((_, id) => id),
    );
    expect(
      (await index.search("", { theme: ["Environnement"], publisher: ["INSEE"] })).ids,
    ).toEqual(env.filter((id) => insee.includes(id)));
    const air = (await index.search("air", { publisher: ["INSEE"] })).ids.sort((a, b) => a - b);
    expect(air).toEqual(expected(docs, "air").filter((id) => insee.includes(id)));
    expect(air.length).toBeGreaterThan(0);
    // An unknown value finds nothing, and no filter and no words find nothing.
    expect((await index.search("", { theme: ["Astronomie"] })).ids).toEqual([]);
    expect((await index.search("", {})).ids).toEqual([]);
    // Only the files a search needs are loaded.
    const { filterFiles } = JSON.parse(
      files.find((f) => f.path === "meta.json")?.contents ?? "{}",
    ) as { filterFiles: number };
    expect(loaded).toContain(filterFile("publisher", "INSEE", filterFiles));
    expect(loaded.filter((p) => p.startsWith("docs/"))).toEqual([]);
  });

  test("a query on a large catalog loads a few small files", async () => {
    const docs = catalog(20_000);
    const files = indexFiles(docs);
    const size = new Map(files.map((f) => [f.path, Buffer.byteLength(f.contents)]));
    const { index, loaded } = await open(files);
    const found = await index.search("données", { theme: ["Environnement"] });
    expect(found.ids.length).toBeGreaterThan(5000);
    await index.documents(found.ids.slice(0, 10));
    const bytes = loaded.reduce((sum, path) => sum + (size.get(path) ?? 0), 0);
    expect(loaded.length).toBeLessThanOrEqual(1 + 1 + 1 + 10);
    expect(bytes).toBeLessThan(300_000);
  });

  test("an excerpt shows the words around the first word found, marked", () => {
    const text = `${"Un long début sans rien. ".repeat(10)}La qualité de l'air mesurée, puis l'air encore.`;
    const pieces = engine.excerpt(text, ["air"], 12);
    const joined = pieces.map((p) => p.text).join("");
    expect(joined.startsWith("… ")).toBe(true);
    expect(joined).toContain("La qualité de l'air");
    expect(pieces.filter((p) => p.mark).map((p) => p.text)).toEqual(["air", "air"]);
    expect(joined).not.toContain("début");
    expect(engine.excerpt("Court texte.", ["absent"])).toEqual([
      { text: "Court", mark: false },
      { text: " ", mark: false },
      { text: "texte", mark: false },
      { text: ".", mark: false },
    ]);
  });
});

describe("in a build", () => {
  test("the index holds every dataset and its filters; reused while nothing it shows changes", async ({
    tmp,
  }) => {
    const first = await buildSite({ tmp, search: true });
    const catalogJson = JSON.parse(await first.read("catalog.json")) as {
      datasets: { title: string }[];
    };
    const read = async (path: string) => JSON.parse(await first.read(`search-index/${path}`));
    const index = await engine.openIndex(read);
    const meta = await read("meta.json");
    expect(meta.docs).toBe(catalogJson.datasets.length);
    const all = await index.documents(Array.from({ length: meta.docs }, (_, i) => i));
    expect(all.map((d) => d.title).sort()).toEqual(catalogJson.datasets.map((d) => d.title).sort());
    expect((await index.search("FANTOIR")).ids.length).toBeGreaterThan(0);
    const before = await stat(join(first.outDir, "search-index/meta.json"));
    const second = await buildSite({ tmp, search: true });
    expect(second.log.lines).toContainEqual(expect.stringContaining("search index is unchanged"));
    expect((await stat(join(second.outDir, "search-index/meta.json"))).ino).toBe(before.ino);
    expect(await readFile(join(second.outDir, "search-index/meta.json"), "utf8")).toBe(
      `${JSON.stringify(meta)}\n`,
    );
    // Years are counted in the site's time zone: another one makes the index again.
    const third = await buildSite({
      tmp,
      search: true,
      flags: { "time-zone": "Pacific/Kiritimati" },
    });
    expect(third.log.lines).not.toContainEqual(
      expect.stringContaining("search index is unchanged"),
    );
    expect(third.log.lines).toContainEqual(expect.stringContaining("Search index written"));
  });
});
