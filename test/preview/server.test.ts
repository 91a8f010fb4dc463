import { mkdir, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, onTestFinished } from "vitest";
import { type PreviewServerOptions, startPreviewServer } from "../../src/preview/server.js";
import { test } from "../support/fixtures.js";
import { raw } from "./http.js";

const NOT_FOUND_PAGE = "<!doctype html><title>Not here</title><h1>Page not found</h1>";
const SECRET = "secret outside the site";

/** A small built site in `<tmp>/site`, and a file beside it that must never be served. */
async function makeSite(tmp: string, files: Record<string, string> = {}): Promise<string> {
  const root = join(tmp, "site");
  const all: Record<string, string> = {
    "index.html": "<!doctype html><title>Home</title>",
    "404.html": NOT_FOUND_PAGE,
    "datasets/a/index.html": "<!doctype html><title>Dataset a</title>",
    "datasets/with space/index.html": "<!doctype html><title>Spaced</title>",
    "assets/style.css": "body{margin:0}",
    "empty/.keep": "",
    ...files,
  };
  for (const [path, content] of Object.entries(all)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  await writeFile(join(tmp, "secret.txt"), SECRET);
  return root;
}

async function serve(options: PreviewServerOptions) {
  const server = await startPreviewServer(options);
  onTestFinished(() => server.close());
  return server;
}

describe("preview server", () => {
  test("serves index.html for the root and for folder URLs ending in /", async ({ tmp }) => {
    const { origin } = await serve({ root: await makeSite(tmp) });
    const home = await raw(origin, "/");
    expect(home.status).toBe(200);
    expect(home.body).toContain("<title>Home</title>");
    expect(home.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect((await raw(origin, "/datasets/a/")).body).toContain("Dataset a");
    expect((await raw(origin, "/datasets/a/index.html")).body).toContain("Dataset a");
    expect((await raw(origin, "/datasets/with%20space/")).body).toContain("Spaced");
    expect((await raw(origin, "/datasets/a/?tab=fields")).status).toBe(200);
  });

  test("redirects a folder URL without its slash to the URL with it (301)", async ({ tmp }) => {
    const { origin } = await serve({ root: await makeSite(tmp) });
    const folder = await raw(origin, "/datasets/a");
    expect(folder.status).toBe(301);
    expect(folder.headers.location).toBe("/datasets/a/");
    expect((await raw(origin, "/datasets/a?q=1")).headers.location).toBe("/datasets/a/?q=1");
    expect((await raw(origin, "/datasets/with%20space")).headers.location).toBe(
      "/datasets/with%20space/",
    );
  });

  test("answers unknown paths with a real 404 and the site's 404.html", async ({ tmp }) => {
    const { origin } = await serve({ root: await makeSite(tmp) });
    for (const path of [
      "/nope",
      "/nope/",
      "/datasets/b/",
      "/index.html/",
      "/assets/style.css/",
      "/empty/",
      "//datasets/a/",
      "/datasets//a/",
    ]) {
      const response = await raw(origin, path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).toBe(NOT_FOUND_PAGE);
      expect(response.headers["content-type"], path).toBe("text/html; charset=utf-8");
    }
  });

  test("answers 404 in plain text when the site has no 404.html", async ({ tmp }) => {
    const root = join(tmp, "bare");
    await mkdir(root);
    await writeFile(join(root, "index.html"), "home");
    const { origin } = await serve({ root });
    const response = await raw(origin, "/missing");
    expect(response.status).toBe(404);
    expect(response.body).toBe("Not found\n");
  });

  test("serves the site under a base path, and nothing outside it", async ({ tmp }) => {
    const server = await serve({ root: await makeSite(tmp), basePath: "catalog" });
    const { origin } = server;
    expect(server.url()).toBe(`${origin}/catalog/`);
    expect(server.url("/datasets/a/")).toBe(`${origin}/catalog/datasets/a/`);
    expect((await raw(origin, "/catalog/")).body).toContain("Home");
    expect((await raw(origin, "/catalog/datasets/a/")).body).toContain("Dataset a");
    expect((await raw(origin, "/catalog/assets/style.css")).status).toBe(200);
    const bare = await raw(origin, "/catalog?x=1");
    expect([bare.status, bare.headers.location]).toEqual([301, "/catalog/?x=1"]);
    const folder = await raw(origin, "/catalog/datasets/a");
    expect([folder.status, folder.headers.location]).toEqual([301, "/catalog/datasets/a/"]);
    for (const path of ["/", "/index.html", "/datasets/a/", "/catalogue/", "/catalog.html"]) {
      const response = await raw(origin, path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).toBe(NOT_FOUND_PAGE);
    }
  });

  test("never serves a file outside the root, however the path is spelled", async ({ tmp }) => {
    const root = await makeSite(tmp);
    await symlink(join(tmp, "secret.txt"), join(root, "link.txt"));
    await symlink(tmp, join(root, "up"));
    const { origin } = await serve({ root });
    const attempts = {
      "/../secret.txt": 400,
      "/datasets/../../secret.txt": 400,
      "/..%2fsecret.txt": 400,
      "/..%2f..%2fetc/passwd": 400,
      "/%2e%2e/secret.txt": 400,
      "/%2E%2E%2Fsecret.txt": 400,
      "/.%2e/secret.txt": 400,
      "/./index.html": 400,
      "/..\\secret.txt": 400,
      "/%5c..%5csecret.txt": 400,
      "/index.html%00.txt": 400,
      "/%00": 400,
      "/%zz": 400,
      "/%E0%A4%A": 400,
      "/link.txt": 404,
      "/up/secret.txt": 404,
      "/up/": 404,
    };
    for (const [path, status] of Object.entries(attempts)) {
      const response = await raw(origin, path);
      expect(response.status, path).toBe(status);
      expect(response.body, path).not.toContain(SECRET);
    }
  });

  test("sends the right Content-Type for every kind of file a site holds", async ({ tmp }) => {
    const types = {
      "a.html": "text/html; charset=utf-8",
      "a.css": "text/css; charset=utf-8",
      "a.js": "text/javascript; charset=utf-8",
      "a.mjs": "text/javascript; charset=utf-8",
      "a.json": "application/json; charset=utf-8",
      "sitemap.xml": "application/xml; charset=utf-8",
      "a.svg": "image/svg+xml",
      "a.wasm": "application/wasm",
      "a.png": "image/png",
      "favicon.ico": "image/x-icon",
      "robots.txt": "text/plain; charset=utf-8",
      "search-index/terms/12.json": "application/json; charset=utf-8",
      "a.pf_meta": "application/octet-stream",
      "UPPER.HTML": "text/html; charset=utf-8",
      "no-extension": "application/octet-stream",
    };
    const root = await makeSite(tmp, Object.fromEntries(Object.keys(types).map((f) => [f, f])));
    const { origin } = await serve({ root });
    for (const [file, type] of Object.entries(types)) {
      const response = await raw(origin, `/${file}`);
      expect([response.status, response.headers["content-type"]], file).toEqual([200, type]);
      expect(response.body, file).toBe(file);
    }
  });

  test("answers HEAD like GET, without a body", async ({ tmp }) => {
    const { origin } = await serve({ root: await makeSite(tmp) });
    const head = await raw(origin, "/assets/style.css", "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(head.headers["content-length"]).toBe(String("body{margin:0}".length));
    expect(head.body).toBe("");
    const missing = await raw(origin, "/nope", "HEAD");
    expect(missing.status).toBe(404);
    expect(missing.body).toBe("");
    expect((await raw(origin, "/datasets/a", "HEAD")).status).toBe(301);
  });

  test("refuses methods other than GET and HEAD", async ({ tmp }) => {
    const { origin } = await serve({ root: await makeSite(tmp) });
    for (const method of ["POST", "PUT", "DELETE", "OPTIONS"]) {
      const response = await raw(origin, "/", method);
      expect(response.status, method).toBe(405);
      expect(response.headers.allow, method).toBe("GET, HEAD");
    }
  });

  test("sends no-cache and the security headers on every answer", async ({ tmp }) => {
    const { origin } = await serve({ root: await makeSite(tmp) });
    for (const path of ["/", "/assets/style.css", "/datasets/a", "/nope", "/%2e%2e/x"]) {
      const { headers } = await raw(origin, path);
      expect(headers["cache-control"], path).toBe("no-cache");
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      expect(headers["x-frame-options"], path).toBe("DENY");
      expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    }
  });

  test("closes with browsers' keep-alive connections still open", async ({ tmp }) => {
    const server = await startPreviewServer({ root: await makeSite(tmp) });
    const response = await fetch(server.url(), { keepalive: true });
    await response.text();
    await server.close();
    await expect(fetch(server.url())).rejects.toThrow();
  });
});
