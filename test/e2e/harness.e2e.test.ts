import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, onTestFinished } from "vitest";
import { startPreviewServer } from "../../src/preview/server.js";
import { test } from "../support/fixtures.js";
import { runAxe, useChromium } from "./support/browser.js";
import { validateHtml } from "./support/html-validate.js";

/**
 * The checks themselves, on pages broken on purpose: a harness that silently stopped seeing
 * problems would let every site test pass.
 */

const chromium = useChromium();

/** Without an icon link Chromium asks for /favicon.ico, a 404 the harness rightly reports. */
const ICON = '<link rel="icon" href="data:,">';
const CSP =
  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'\">";

async function serveFiles(tmp: string, files: Record<string, string>) {
  const root = join(tmp, "site");
  await mkdir(root, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(join(root, name), content);
  const server = await startPreviewServer({ root });
  onTestFinished(() => server.close());
  return server;
}

describe("browser harness", () => {
  test("records console errors, page errors, failed requests and error answers", async ({
    tmp,
  }) => {
    const server = await serveFiles(tmp, {
      "broken.html": [
        `<!doctype html><html lang="en"><title>Broken</title>${ICON}`,
        '<link rel="stylesheet" href="/missing.css">',
        '<script src="/errors.js"></script><h1>Broken</h1>',
      ].join("\n"),
      "errors.js": 'console.error("boom"); setTimeout(() => { throw new Error("kaboom"); });',
    });
    const { problems, assertClean } = await chromium.openPage(server.url("broken.html"));
    await expect(assertClean()).rejects.toThrow(/console errors, page errors and failed requests/);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^console error: boom /),
        "page error: kaboom",
        // A 404 answered as text/plain with nosniff: Chromium refuses it as a stylesheet.
        expect.stringContaining(`GET ${server.url("missing.css")}`),
      ]),
    );
  });

  test("accepts the page's own deliberate 404, and nothing else", async ({ tmp }) => {
    const server = await serveFiles(tmp, {
      "404.html": `<!doctype html><html lang="en"><title>Not found</title>${ICON}<h1>Not found</h1>`,
    });
    const clean = await chromium.openPage(server.url("gone/"), { status: 404 });
    await clean.assertClean();
    const unexpected = await chromium.openPage(server.url("gone/"));
    await expect(unexpected.assertClean()).rejects.toThrow();
    expect(unexpected.problems).toContain(`HTTP 404: GET ${server.url("gone/")}`);
  });

  test("axe-core runs under the page's Content-Security-Policy and reports violations", async ({
    tmp,
  }) => {
    const server = await serveFiles(tmp, {
      "a11y.html": `<!doctype html><html><head>${CSP}<title>A11y</title>${ICON}</head><body><main><img src="data:,"><a href="/x"></a></main></body></html>`,
    });
    const { page } = await chromium.openPage(server.url("a11y.html"));
    const violations = await runAxe(page);
    expect(violations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^html-has-lang \(serious\): .* — html: /),
        expect.stringMatching(/^image-alt \(critical\): .* — img: /),
        expect.stringMatching(/^link-name \(serious\): .* — a: /),
      ]),
    );
    // A second run in the same page reuses the injected axe.
    expect(await runAxe(page)).toEqual(violations);
  });
});

describe("html-validate harness", () => {
  test("reports findings as file:line:col rule message", async () => {
    const findings = await validateHtml(
      '<!doctype html>\n<html lang="en"><head><title>x</title></head>\n<body><p><div></p></body></html>',
      "bad.html",
    );
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) expect(finding).toMatch(/^bad\.html:\d+:\d+ [a-z-]+ \S/);
  });

  test("finds nothing in a small valid page", async () => {
    const page = [
      "<!doctype html>",
      '<html lang="en">',
      "<head><title>Valid</title></head>",
      '<body><main id="main"><h1>Valid</h1><p>Text.</p></main></body>',
      "</html>",
    ].join("\n");
    expect(await validateHtml(page, "ok.html")).toEqual([]);
  });
});
