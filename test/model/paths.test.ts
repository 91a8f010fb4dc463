import { describe, expect, it } from "vitest";
import { asciiSlug, segmentFor } from "../../src/model/paths.js";

describe("segmentFor", () => {
  it("keeps clean lowercase ids as they are", () => {
    expect(segmentFor("controle_techn")).toBe("controle_techn");
    expect(segmentFor("france-relance-donnees-agregees")).toBe("france-relance-donnees-agregees");
  });

  it("gives every other id a readable slug plus a hash of the exact id", () => {
    expect(segmentFor("evolution_region_longueurs_circuits_files@rte")).toMatch(
      /^evolution-region-longueurs-circuits-files-rte--[0-9a-f]{12}$/,
    );
    expect(segmentFor("Économie & Finances")).toMatch(/^economie-finances--[0-9a-f]{12}$/);
    expect(segmentFor("日本語")).toMatch(/^item--[0-9a-f]{12}$/);
  });

  it("never produces a path that climbs out, hides or names a device", () => {
    for (const id of [
      "../../x",
      "..",
      ".",
      "/etc/passwd",
      "a/../../b",
      "C:\\Windows",
      ".hidden",
      "con",
      "NUL",
      "a\0b",
      " ",
    ]) {
      const segment = segmentFor(id);
      expect(segment).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
      expect(segment).not.toMatch(/^(con|nul)$/);
    }
  });

  it("maps ids that differ only by case, accents or punctuation to distinct folders, case-insensitively", () => {
    const ids = [
      "data",
      "Data",
      "DATA",
      "données",
      "donnees",
      "a b",
      "a-b",
      "a_b",
      "a@b",
      "a/b",
      "a--b",
      "a.b",
      "ab-",
    ];
    const segments = ids.map((id) => segmentFor(id).toLowerCase());
    expect(new Set(segments).size).toBe(ids.length);
  });

  it("stays unique across many generated ids", () => {
    const ids = Array.from({ length: 5000 }, (_, i) => [
      `set-${i}`,
      `Set-${i}`,
      `set ${i}`,
      `set-${i}@x`,
    ]).flat();
    expect(new Set(ids.map((id) => segmentFor(id).toLowerCase())).size).toBe(ids.length);
  });

  it("is stable from build to build", () => {
    expect(segmentFor("A B")).toBe(segmentFor("A B"));
  });
});

describe("asciiSlug", () => {
  it("folds accents and punctuation", () => {
    expect(asciiSlug("  Économie — Finances publiques ")).toBe("economie-finances-publiques");
  });
});
