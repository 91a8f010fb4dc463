import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { apiRootOf, DEFAULTS, resolveConfig } from "../src/config.js";
import { ConfigError } from "../src/errors.js";

describe("resolveConfig", () => {
  it("uses the defaults when nothing is set", () => {
    expect(resolveConfig({ flags: {}, env: {}, cwd: "/project" })).toEqual({
      ...DEFAULTS,
      outDir: "/project/dist",
      cacheDir: "/project/.cache",
    });
  });

  it("lets flags override environment variables", () => {
    const config = resolveConfig({
      flags: { concurrency: "8", out: "site" },
      env: { ODS_CONCURRENCY: "2", ODS_LANG: "fr", ODS_API_KEY: " key " },
    });
    expect(config).toMatchObject({
      concurrency: 8,
      outDir: resolve("site"),
      lang: "fr",
      apiKey: "key",
    });
  });

  it("sets verbosity from --quiet and --verbose", () => {
    expect(resolveConfig({ flags: { quiet: true }, env: {} }).verbosity).toBe("quiet");
    expect(resolveConfig({ flags: { verbose: true, quiet: true }, env: {} }).verbosity).toBe(
      "verbose",
    );
  });

  it("rejects bad values with one error listing them all", () => {
    expect(() =>
      resolveConfig({ flags: { rate: "-1", "time-zone": "Mars/Base" }, env: {} }),
    ).toThrow(ConfigError);
    expect(() =>
      resolveConfig({ flags: { rate: "-1", "time-zone": "Mars/Base" }, env: {} }),
    ).toThrow(
      "Invalid settings: --rate must be a positive number of requests per second. --time-zone Mars/Base is not a known IANA time zone.",
    );
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
