import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect } from "vitest";
import { main } from "../src/cli.js";
import { OPTIONS } from "../src/config/options.js";
import { makePortal } from "./support/datasets.js";
import { portalServer, test } from "./support/fixtures.js";
import { runCli } from "./support/run-cli.js";

const run = runCli;

const SITE = "https://catalog.example.org/";
const SUMMARY =
  /^Published 9 datasets: \d+ pages, \d+ files in dist\/, [\d.]+ kB written · 19 requests \(0 retries\), [\d.]+ kB downloaded · \d+\.\d s\n$/;

describe("ods-catalog (in process)", () => {
  test("builds the demo with no flags and prints one summary line", async ({ tmp }) => {
    const result = await run([], { cwd: tmp });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(SUMMARY);
    expect(result.stderr).toContain("No --portal given: building the bundled demo portal");
    expect(existsSync(join(tmp, "dist", "index.html"))).toBe(true);
  });

  test("--quiet prints nothing but the summary", async ({ tmp }) => {
    const result = await run(["build", "--quiet"], { cwd: tmp });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(SUMMARY);
  });

  test("a rebuild of an unchanged portal says that every page is unchanged and nothing written", async ({
    tmp,
  }) => {
    await run(["build", "--quiet"], { cwd: tmp });
    const result = await run(["build", "--quiet"], { cwd: tmp });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(
      /^Published 9 datasets: (\d+) pages \(\1 unchanged\), \d+ files in dist\/, nothing written · 3 requests \(0 retries, 9 from cache\), [\d.]+ kB downloaded · \d+\.\d s\n$/,
    );
  });

  test("an unknown flag exits 2 with one line", async ({ tmp }) => {
    const result = await run(["--bogus"], { cwd: tmp });
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "Unknown option --bogus. Run `ods-catalog --help` for the list of options.\n",
    });
  });

  test("the API key is refused as a flag", async ({ tmp }) => {
    const result = await run(["--api-key", "secret"], { cwd: tmp });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^--api-key is not accepted: the API key is read from the ODS_API_KEY environment variable only/,
    );
    expect(result.stderr).not.toContain("secret");
  });

  test("a bad portal URL exits 2, naming the value and the expected forms", async ({ tmp }) => {
    const result = await run(["--portal", "ftp://example.org", "--site-url", SITE], { cwd: tmp });
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "--portal must be a portal origin (https://host) or its API root (https://host/api/v2), got ftp://example.org.\n",
    });
  });

  test("a portal without --site-url builds, with a warning to give it before publishing", async ({
    tmp,
  }) => {
    const server = await portalServer({ portal: makePortal(["a", "b"]) });
    const result = await run(["--portal", server.origin, "--quiet", "--skip-search"], { cwd: tmp });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Published 2 datasets: /);
    expect(result.stderr).toBe(
      "warning: No --site-url given: canonical links, the sitemap and the feed point at http://localhost:4173/, where `npm run preview` serves the site. Give --site-url with the site's public address (e.g. https://catalog.example.org/) before publishing it.\n",
    );
  });

  test("several bad settings are reported together", async ({ tmp }) => {
    const result = await run(["--concurrency", "0", "--lang", "xx"], {
      cwd: tmp,
      env: { ODS_RETRIES: "many" },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'Invalid settings: ODS_RETRIES must be a whole number, got "many". --concurrency must be between 1 and 64. --lang must be one of en, fr, got xx.\n',
    );
  });

  test("an unreachable portal exits 1 with one line naming the URL, and no stack trace", async ({
    tmp,
  }) => {
    const result = await run(
      ["--portal", "http://127.0.0.1:9", "--site-url", SITE, "--retries", "0"],
      { cwd: tmp },
    );
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "Crawling http://127.0.0.1:9/api/v2 …\nBuild failed: Could not fetch http://127.0.0.1:9/api/v2: the connection was refused. The previous site, if any, is unchanged.\n",
    });
  });

  test("an API error exits 1 naming the URL and the portal's message", async ({ tmp }) => {
    const server = await portalServer({
      portal: makePortal(["a"]),
      fault: ({ url }) =>
        url === "/api/v2/catalog"
          ? { status: 400, body: { error_code: "ODSQLError", message: "Bad query" } }
          : undefined,
    });
    const result = await run(["--portal", server.origin, "--site-url", SITE, "--quiet"], {
      cwd: tmp,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `Build failed: ${server.apiRoot}/catalog answered HTTP 400 (ODSQLError: Bad query). The previous site, if any, is unchanged.\n`,
    );
  });

  test("a dangerous --out exits 1 before any request", async ({ tmp }) => {
    const result = await run(["--out", ".", "--quiet"], { cwd: tmp });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `Build failed: Refusing to use ${tmp} as the output folder: it contains the working directory. Choose another --out. The previous site, if any, is unchanged.\n`,
    );
  });

  test("--help lists every option with its default", async ({ tmp }) => {
    const result = await run(["--help"], { cwd: tmp });
    expect(result.code).toBe(0);
    for (const option of OPTIONS) expect(result.stdout).toContain(`--${option.flag}`);
    expect(result.stdout).toContain("ODS_API_KEY");
  });
});

describe("ods-catalog (the real binary)", () => {
  const bin = fileURLToPath(new URL("../lib/bin.js", import.meta.url));

  test("runs from the compiled output and exits with the build's status", async ({ tmp }) => {
    expect(existsSync(bin), "run `npm run compile` first (npm test does)").toBe(true);
    const ok = spawnSync(process.execPath, [bin, "--quiet"], { cwd: tmp, encoding: "utf8" });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(SUMMARY);
    const failed = spawnSync(
      process.execPath,
      [bin, "--portal", "http://127.0.0.1:9", "--site-url", SITE, "--retries", "0", "--quiet"],
      {
        cwd: tmp,
        encoding: "utf8",
      },
    );
    expect(failed.status).toBe(1);
    expect(failed.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("ods-catalog preview", () => {
  test("serves the built site with real 404s until stopped", async ({ tmp }) => {
    expect((await run(["--quiet", "--skip-search"], { cwd: tmp })).code).toBe(0);
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    let stderr = "";
    const running = main(["preview", "--port", "0"], {
      stdout: () => {},
      stderr: (t) => {
        stderr += t;
      },
      env: {},
      cwd: tmp,
      untilStopped: () => stopped,
    });
    await expect
      .poll(() => stderr)
      .toMatch(/^Previewing \S*dist\/ at http:\/\/127\.0\.0\.1:\d+\/ \(Ctrl-C to stop\)\n$/);
    const origin = /http:\/\/127\.0\.0\.1:\d+/.exec(stderr)?.[0] ?? "";
    const home = await fetch(`${origin}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("<h1>");
    const missing = await fetch(`${origin}/no/such/page/`);
    expect(missing.status).toBe(404);
    stop();
    expect(await running).toBe(0);
  });
});
