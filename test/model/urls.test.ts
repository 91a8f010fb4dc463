import { describe, expect, it } from "vitest";
import { appendPath } from "../../src/model/urls.js";

describe("appendPath", () => {
  // Each case as the URL setters print it (the function builds most of them as strings).
  const cases: Array<[string[], string]> = [
    [
      ["https://p.example/api/v2/catalog/datasets/x?lang=fr#a", "records"],
      "https://p.example/api/v2/catalog/datasets/x/records",
    ],
    [["https://p.example/api//", "a b", "c@d/e"], "https://p.example/api/a%20b/c%40d%2Fe"],
    [["https://P.example:443/", "explore"], "https://p.example/explore"],
    [["http://p.example:8080"], "http://p.example:8080/"],
    [["https://u:pw@p.example/a", "b"], "https://u:pw@p.example/a/b"],
    [["https://p.example/a/b", ".."], "https://p.example/a/"],
    [["https://p.example/a/b", ".", "c"], "https://p.example/a/b/c"],
    [["https://données.example/x", "y"], "https://xn--donnes-eva.example/x/y"],
    [["http://[::1]:8080/a", "é"], "http://[::1]:8080/a/%C3%A9"],
    [["https://p.example/a%20b/", "", "x"], "https://p.example/a%20b//x"],
  ];
  for (const [[base = "", ...segments], expected] of cases) {
    it(`appends ${JSON.stringify(segments)} to ${base}`, () => {
      expect(appendPath(base, ...segments)).toBe(expected);
    });
  }
});
