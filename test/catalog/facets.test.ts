import { describe, expect, it } from "vitest";
import { facetSegment, groupFacets } from "../../src/catalog/facets.js";
import { pageWindow, paginate } from "../../src/catalog/paginate.js";
import { fileOf, routes } from "../../src/catalog/routes.js";
import type { DatasetSummary } from "../../src/model/dataset.js";

function summary(id: string, overrides: Partial<DatasetSummary> = {}): DatasetSummary {
  return {
    id,
    uid: undefined,
    segment: id,
    title: id,
    summary: "",
    text: "",
    publisher: undefined,
    modified: undefined,
    recordsCount: undefined,
    features: [],
    themes: [],
    keywords: [],
    license: undefined,
    licenseUrl: undefined,
    language: undefined,
    fields: [],
    portalUrl: "https://p.example/",
    apiUrl: "https://p.example/api",
    ...overrides,
  };
}

const context = {
  yearOf: (iso: string) => iso.slice(0, 4),
  compare: (a: string, b: string) => a.localeCompare(b),
};

describe("groupFacets", () => {
  it("groups every facet's values with their datasets, most used first", () => {
    const a = summary("a", {
      themes: ["Economy", "Health"],
      publisher: "DGFiP",
      modified: "2021-05-01T00:00:00Z",
      features: ["geo"],
    });
    const b = summary("b", {
      themes: ["Economy"],
      publisher: "DGFIP",
      modified: "2024-01-01T00:00:00Z",
    });
    const c = summary("c", { themes: ["Health"], publisher: "DGFIP", language: "fr" });
    const facets = groupFacets([a, b, c], context);
    expect(facets.get("theme")?.map((v) => [v.value, v.datasets.map((d) => d.id)])).toEqual([
      ["Economy", ["a", "b"]],
      ["Health", ["a", "c"]],
    ]);
    // Spellings that differ only by case share a page, named after the commonest spelling.
    expect(facets.get("publisher")?.map((v) => [v.value, v.segment, v.datasets.length])).toEqual([
      ["DGFIP", "dgfip", 3],
    ]);
    expect(facets.get("year")?.map((v) => v.value)).toEqual(["2024", "2021"]);
    expect(facets.get("feature")?.map((v) => v.value)).toEqual(["geo"]);
    expect(facets.get("keyword")).toEqual([]);
  });

  it("counts a dataset once per value even when it repeats a spelling", () => {
    const a = summary("a", { keywords: ["Eau", "eau", "EAU"] });
    expect(
      groupFacets([a], context)
        .get("keyword")
        ?.map((v) => v.datasets.length),
    ).toEqual([1]);
  });
});

describe("facetSegment", () => {
  it("is a readable slug, shared by spellings that differ only by case and accents", () => {
    expect(facetSegment("Économie")).toBe("economie");
    expect(facetSegment("economie")).toBe("economie");
    expect(facetSegment("2021")).toBe("2021");
  });

  it("falls back to a hashed folder for values without ASCII letters, never empty or unsafe", () => {
    expect(facetSegment("日本")).toMatch(/^item--[0-9a-f]{12}$/);
    expect(facetSegment("../..")).toMatch(/^item--[0-9a-f]{12}$/);
    expect(facetSegment("x".repeat(200))).toMatch(/^x+--[0-9a-f]{12}$/);
  });
});

describe("paginate and pageWindow", () => {
  it("splits a list into numbered pages", () => {
    const pages = paginate([1, 2, 3, 4, 5], 2);
    expect(pages.map((p) => [p.number, p.count, p.first, p.items])).toEqual([
      [1, 3, 1, [1, 2]],
      [2, 3, 3, [3, 4]],
      [3, 3, 5, [5]],
    ]);
    expect(paginate([], 10)).toEqual([{ number: 1, count: 1, items: [], first: 1, total: 0 }]);
  });

  it("shows the first, the last and a window around the current page", () => {
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(5, 20)).toEqual([1, undefined, 3, 4, 5, 6, 7, undefined, 20]);
    expect(pageWindow(2, 5)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("routes", () => {
  it("keeps listings apart from dataset pages and maps folders to index files", () => {
    expect(routes.catalog("title")).toBe("catalog/");
    expect(routes.catalog("modified", 3)).toBe("catalog/by-modified/page/3/");
    expect(routes.dataset("page")).toBe("datasets/page/");
    expect(routes.facetValue("themes", "economie", 2)).toBe("themes/economie/page/2/");
    expect(fileOf("catalog/")).toBe("catalog/index.html");
    expect(fileOf("")).toBe("index.html");
    expect(fileOf("feed.xml")).toBe("feed.xml");
  });
});
