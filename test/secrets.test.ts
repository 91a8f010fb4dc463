import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fg from "fast-glob";
import { describe, expect } from "vitest";
import { makePortal } from "./support/datasets.js";
import { portalServer, test } from "./support/fixtures.js";
import { runCli } from "./support/run-cli.js";

const KEY = "sentinel-api-key-7f3a9c";

async function everyFile(dir: string): Promise<string> {
  const files = await fg("**/*", { cwd: dir, dot: true, absolute: true });
  return (await Promise.all(files.map((f) => readFile(f, "utf8")))).join("\n");
}

async function run(argv: string[], cwd: string) {
  const { code, stdout, stderr } = await runCli(argv, { cwd, env: { ODS_API_KEY: KEY } });
  return { code, output: stdout + stderr };
}

describe("ODS_API_KEY", () => {
  test("is sent to the portal as a header and appears in no file, cache entry, log line or error", async ({
    tmp,
  }) => {
    const server = await portalServer({
      portal: makePortal(["a", "b"]),
      fault: ({ url }) => (url.endsWith("/datasets/b") ? { status: 500 } : undefined),
    });
    const ok = await run(
      [
        "--portal",
        server.origin,
        "--site-url",
        "https://catalog.example.org/",
        "--verbose",
        "--retries",
        "1",
        "--retry-delay",
        "1",
      ],
      tmp,
    );
    expect(ok.code).toBe(0);
    expect(server.requests.every((r) => r.headers.authorization === `Apikey ${KEY}`)).toBe(true);
    expect(server.requests.some((r) => r.url.includes(KEY))).toBe(false);

    const failing = await portalServer({
      portal: makePortal(["a"]),
      fault: () => ({ status: 401 }),
    });
    const failed = await run(
      ["--portal", failing.origin, "--site-url", "https://catalog.example.org/"],
      tmp,
    );
    expect(failed.code).toBe(1);

    const everything = [
      ok.output,
      failed.output,
      await everyFile(join(tmp, "dist")),
      await everyFile(join(tmp, ".cache")),
    ].join("\n");
    expect(everything.length).toBeGreaterThan(10_000);
    expect(everything).toContain("answered HTTP 401");
    expect(everything).not.toContain(KEY);
  });

  test("is never sent to another origin, even through a redirect", async ({ tmp }) => {
    const elsewhere = await portalServer({ portal: makePortal(["x"]) });
    const server = await portalServer({
      portal: makePortal(["a"]),
      fault: ({ url }) =>
        url === "/api/v2/catalog/datasets/a"
          ? { status: 302, headers: { location: `${elsewhere.apiRoot}/catalog/datasets/x` } }
          : undefined,
    });
    const result = await run(
      ["--portal", server.origin, "--site-url", "https://catalog.example.org/", "--records", "0"],
      tmp,
    );
    expect(result.code).toBe(0);
    expect(result.output).toContain("is not on the portal's origin");
    expect(elsewhere.requests).toHaveLength(0);
  });
});
