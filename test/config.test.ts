import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfigFile } from "../src/config/file.js";
import { DEFAULTS } from "../src/config/options.js";
import { apiRootOf, resolveConfig } from "../src/config/resolve.js";
import { ConfigError } from "../src/errors.js";
import { test } from "./support/fixtures.js";

describe("resolveConfig", () => {
  it("uses the defaults when nothing is set", () => {
    expect(resolveConfig({ flags: {}, env: {}, cwd: "/project" })).toEqual({
      ...DEFAULTS,
      outDir: "/project/dist",
      cacheDir: "/project/.cache",
    });
  });

  it("lets flags override environment variables, which override the config file", () => {
    const config = resolveConfig({
      flags: { concurrency: "8", out: "site" },
      env: { ODS_CONCURRENCY: "2", ODS_LANG: "fr", ODS_API_KEY: " key ", ODS_PAGE_SIZE: "20" },
      file: {
        path: "/repo/ods-catalog.config.json",
        dir: "/repo",
        values: { pageSize: 100, title: "From the file", concurrency: 1, cacheDir: "state" },
      },
      cwd: "/work",
    });
    expect(config).toMatchObject({
      concurrency: 8,
      outDir: resolve("/work", "site"),
      cacheDir: "/repo/state",
      lang: "fr",
      apiKey: "key",
      pageSize: 20,
      title: "From the file",
    });
  });

  it("warns when a portal has no --site-url, and takes the base path from it", () => {
    const warnings: string[] = [];
    const bare = resolveConfig({
      flags: { portal: "https://data.example.org" },
      env: {},
      warn: (m) => warnings.push(m),
    });
    expect(bare.siteUrl).toBe("http://localhost:4173/");
    expect(warnings).toEqual([
      expect.stringMatching(
        /^No --site-url given: .* Give --site-url with the site's public address/,
      ),
    ]);
    const config = resolveConfig({
      flags: { portal: "https://data.example.org", "site-url": "https://org.github.io/catalog" },
      env: {},
    });
    expect(config).toMatchObject({
      siteUrl: "https://org.github.io/catalog/",
      basePath: "/catalog/",
      portal: "https://data.example.org/api/v2",
    });
    expect(() =>
      resolveConfig({
        flags: {
          portal: "https://d.example",
          "site-url": "https://s.example/a/",
          "base-path": "/b/",
        },
        env: {},
      }),
    ).toThrow(
      "--base-path /b/ disagrees with the path of --site-url https://s.example/a/; give one of them.",
    );
  });

  it("sets verbosity and the search switch from flags", () => {
    expect(resolveConfig({ flags: { quiet: true }, env: {} }).verbosity).toBe("quiet");
    expect(resolveConfig({ flags: { verbose: true, quiet: true }, env: {} }).verbosity).toBe(
      "verbose",
    );
    expect(resolveConfig({ flags: { "skip-search": true }, env: {} }).search).toBe(false);
    expect(resolveConfig({ flags: {}, env: { ODS_SKIP_SEARCH: "true" } }).search).toBe(false);
  });

  it("rejects bad values with one error listing them all, naming where each came from", () => {
    const attempt = () =>
      resolveConfig({
        flags: { rate: "-1", "time-zone": "Mars/Base" },
        env: {},
        file: { path: "/r/c.json", dir: "/r", values: { pageSize: "many" } },
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      'Invalid settings: pageSize in /r/c.json must be a whole number, got "many". --rate must be a positive number of requests per second. --time-zone Mars/Base is not a known IANA time zone.',
    );
  });
});

describe("loadConfigFile", () => {
  test("reads ods-catalog.config.json beside the command when present", async ({ tmp }) => {
    expect(await loadConfigFile({ explicit: undefined, cwd: tmp })).toBeUndefined();
    await writeFile(
      join(tmp, "ods-catalog.config.json"),
      JSON.stringify({ siteUrl: "https://x.example/", pageSize: 30, lang: null }),
    );
    expect(await loadConfigFile({ explicit: undefined, cwd: tmp })).toEqual({
      path: join(tmp, "ods-catalog.config.json"),
      dir: tmp,
      values: { siteUrl: "https://x.example/", pageSize: 30 },
    });
  });

  test("refuses API keys, unknown keys, bad JSON and a missing explicit file", async ({ tmp }) => {
    await mkdir(join(tmp, "c"));
    const write = (name: string, text: string) => writeFile(join(tmp, "c", name), text);
    await write("key.json", JSON.stringify({ apiKey: "secret" }));
    await write("typo.json", JSON.stringify({ sitUrl: "https://x.example/" }));
    await write("bad.json", "{ siteUrl: ");
    const load = (name: string) => loadConfigFile({ explicit: join("c", name), cwd: tmp });
    await expect(load("key.json")).rejects.toThrow(
      `Config file ${join(tmp, "c", "key.json")} holds apiKey: the API key is read from the ODS_API_KEY environment variable only`,
    );
    await expect(load("typo.json")).rejects.toThrow(
      "has an unknown setting sitUrl; known settings: portal, siteUrl,",
    );
    await expect(load("bad.json")).rejects.toThrow("is not valid JSON");
    await expect(load("missing.json")).rejects.toThrow("cannot be read; check the --config path.");
  });
});

describe("apiRootOf", () => {
  it("accepts a portal origin or its API root", () => {
    for (const value of [
      "https://data.example.org",
      "https://data.example.org/",
      "https://data.example.org/api/v2",
      "https://data.example.org/api/v2/",
    ]) {
      expect(apiRootOf(value)).toBe("https://data.example.org/api/v2");
    }
    expect(apiRootOf("http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080/api/v2");
  });

  it("refuses other paths, schemes and embedded credentials", () => {
    expect(apiRootOf("https://data.example.org/explore")).toHaveProperty("problem");
    expect(apiRootOf("ftp://data.example.org")).toHaveProperty("problem");
    expect(apiRootOf("not a url")).toHaveProperty("problem");
    expect(apiRootOf("https://user:pw@data.example.org")).toEqual({
      problem: "--portal must not carry credentials; set ODS_API_KEY instead.",
    });
    expect(apiRootOf("https://data.example.org/?apikey=x")).toEqual({
      problem: "--portal must not carry an apikey parameter; set ODS_API_KEY instead.",
    });
  });
});
