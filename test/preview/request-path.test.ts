import { describe, expect, test } from "vitest";
import { normalizeBasePath, requestPath } from "../../src/preview/request-path.js";

describe("normalizeBasePath", () => {
  test("gives every spelling one leading and one trailing slash", () => {
    for (const [input, expected] of [
      ["", "/"],
      ["/", "/"],
      ["//", "/"],
      ["catalog", "/catalog/"],
      ["/catalog", "/catalog/"],
      ["/catalog/", "/catalog/"],
      ["/a/b.c~d_e-f/", "/a/b.c~d_e-f/"],
    ]) {
      expect(normalizeBasePath(input as string), input).toBe(expected);
    }
  });

  test("refuses dot segments, empty segments and characters that need encoding", () => {
    for (const input of ["/../", "/a/../b/", "/a/./b/", "/a//b/", "/a b/", "/é/", "/a?b/"]) {
      expect(() => normalizeBasePath(input), input).toThrow(/Invalid base path/);
    }
  });
});

describe("requestPath", () => {
  test("splits and decodes segments under the base path", () => {
    expect(requestPath("/catalog/datasets/a%20b/?x=1#top", "/catalog/")).toEqual({
      kind: "site",
      segments: ["datasets", "a b"],
      slash: true,
      query: "?x=1",
    });
    expect(requestPath("/catalog/", "/catalog/")).toEqual({
      kind: "site",
      segments: [],
      slash: true,
      query: "",
    });
    expect(requestPath("/x.css", "/")).toMatchObject({ segments: ["x.css"], slash: false });
  });

  test("redirects the bare base path and misses everything outside it", () => {
    expect(requestPath("/catalog?x", "/catalog/")).toEqual({
      kind: "redirect",
      location: "/catalog/?x",
    });
    expect(requestPath("/catalogue/", "/catalog/")).toEqual({ kind: "missing" });
    expect(requestPath("/", "/catalog/")).toEqual({ kind: "missing" });
    expect(requestPath("//x/", "/")).toEqual({ kind: "missing" });
  });

  test("refuses what could name a file outside the site", () => {
    for (const url of [
      "/..",
      "/../x",
      "/a/%2e%2e/x",
      "/..%2f..%2fetc/passwd",
      "/a%2fb",
      "/a%5cb",
      "/a\\b",
      "/a%00",
      "/%zz",
      "http://example.org/",
      "*",
    ]) {
      expect(requestPath(url, "/"), url).toEqual({ kind: "bad" });
    }
  });
});
