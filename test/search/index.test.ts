import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { missingWords, planParts } from "../../src/search/index.js";
import { buildSite } from "../support/build-site.js";
import { test } from "../support/fixtures.js";

/** The sums of each part's costs, from where each part ends. */
function partSums(costs: number[], ends: number[]): number[] {
  return ends.map((end, i) =>
    costs.slice(i === 0 ? 0 : ends[i - 1], end).reduce((a, b) => a + b, 0),
  );
}

describe("planParts", () => {
  test("keeps a catalog under the budget in one part", () => {
    expect(planParts([3, 1, 4, 1, 5], 100)).toEqual([5]);
    expect(planParts([], 100)).toEqual([0]);
  });

  test("splits into the fewest parts of about equal weight, each about under the budget", () => {
    // A deterministic spread of record weights, light and heavy.
    const costs = Array.from({ length: 1000 }, (_, i) => 8 + ((i * 7919) % 97));
    const total = costs.reduce((a, b) => a + b, 0);
    for (const budget of [total / 2, total / 3 + 1, total / 7, 400]) {
      const ends = planParts(costs, budget);
      expect(ends).toHaveLength(Math.ceil(total / budget));
      expect(ends.at(-1)).toBe(costs.length);
      expect(ends).toEqual([...ends].sort((a, b) => a - b));
      for (const sum of partSums(costs, ends)) {
        // Each part is its share of the total, give or take half a record at either end
        // (records weigh at most 104 here).
        expect(sum).toBeLessThanOrEqual(budget + 104);
        expect(Math.abs(sum - total / ends.length)).toBeLessThanOrEqual(104);
      }
    }
  });
});

describe("missingWords", () => {
  test("gives each part the other parts' words it lacks, whatever their case", () => {
    expect(
      missingWords([
        ["Lauréats 2021", "Qualité de l'air"],
        ["qualité de l'eau", "LAURÉATS"],
        ["Budget"],
      ]),
    ).toEqual([
      ["budget", "l'eau"],
      ["2021", "budget", "l'air"],
      ["2021", "de", "l'air", "l'eau", "lauréats", "qualité"],
    ]);
  });
});

describe("the index in parts", () => {
  test("each part but the first holds only its index, and parts.json lists them", async ({
    tmp,
  }) => {
    const site = await buildSite({ tmp, search: true, flags: { "search-memory": "0.2" } });
    const parts = JSON.parse(await site.read("pagefind/parts.json"));
    expect(parts).toEqual(["part-2", "part-3"]);
    const root = join(site.outDir, "pagefind");
    expect((await readdir(root)).filter((f) => /\.js$|wasm/.test(f)).sort()).toEqual([
      "pagefind.js",
      "wasm.fr.pagefind",
      "wasm.unknown.pagefind",
    ]);
    for (const part of parts) {
      const files = (await readdir(join(root, part))).sort();
      expect(files.filter((f) => !/^pagefind\.fr_\w+\.pf_meta$/.test(f))).toEqual([
        "filter",
        "fragment",
        "index",
        "pagefind-entry.json",
      ]);
      expect((await readdir(join(root, part, "index"))).length).toBeGreaterThan(0);
    }
  });

  test("one part when the catalog fits the budget; an unchanged index is reused", async ({
    tmp,
  }) => {
    const first = await buildSite({ tmp, search: true });
    expect(JSON.parse(await first.read("pagefind/parts.json"))).toEqual([]);
    const meta = (await first.files()).find((f) => f.endsWith(".pf_meta"));
    if (!meta) throw new Error("no Pagefind metadata written");
    const before = await stat(join(first.outDir, meta));
    const second = await buildSite({ tmp, search: true });
    expect(second.log.lines).toContainEqual(expect.stringContaining("search index is unchanged"));
    expect((await stat(join(second.outDir, meta))).ino).toBe(before.ino);
  });
});
