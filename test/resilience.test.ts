import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fg from "fast-glob";
import { describe, expect } from "vitest";
import type { Fault, RequestInfo } from "../src/portal-server/server.js";
import { buildSite } from "./support/build-site.js";
import { makePortal, manyIds } from "./support/datasets.js";
import { portalServer, test } from "./support/fixtures.js";
import { seeded } from "./support/random.js";

async function contents(dir: string): Promise<Map<string, string>> {
  const files = (await fg("**/*", { cwd: dir, dot: true })).sort();
  return new Map(
    await Promise.all(
      files.map(async (f) => [f, await readFile(join(dir, f), "utf8")] as [string, string]),
    ),
  );
}

describe("a flaky portal", () => {
  test("a run with 503s, a burst of 429s, a reset and a truncated body publishes exactly the clean run's site", async ({
    tmp,
  }) => {
    let faulty = false;
    const random = seeded(42);
    const injected: string[] = [];
    const fault = (request: RequestInfo): Fault | undefined => {
      if (!faulty) return undefined;
      const n = request.index - firstFaulty;
      let chosen: Fault | undefined;
      if (n >= 20 && n < 25)
        chosen = {
          status: 429,
          headers: { "retry-after": "1" },
          body: { error_code: "TooManyRequests" },
        };
      else if (n === 40) chosen = { reset: true };
      else if (n === 60) chosen = { truncate: true };
      else if (random() < 0.1) chosen = { status: 503 };
      if (chosen)
        injected.push(
          Object.keys(chosen)[0] === "status"
            ? String((chosen as { status: number }).status)
            : (Object.keys(chosen)[0] ?? ""),
        );
      return chosen;
    };
    let firstFaulty = 0;
    const server = await portalServer({ portal: makePortal(manyIds(150)), fault });
    const clean = await buildSite({ tmp: join(tmp, "clean"), portal: server.origin });
    faulty = true;
    firstFaulty = server.requests.length;
    const flaky = await buildSite({
      tmp: join(tmp, "flaky"),
      portal: server.origin,
      flags: { retries: "6" },
    });

    expect(injected.filter((f) => f === "503").length).toBeGreaterThan(10);
    expect(injected).toEqual(expect.arrayContaining(["429", "reset", "truncate"]));
    expect(flaky.report.retries).toBe(injected.length);
    expect(flaky.report.issues).toMatchObject({ fallbacks: [], skipped: [] });
    expect(await contents(flaky.outDir)).toEqual(await contents(clean.outDir));
  });

  test("a self link that never answers times out, is retried, then falls back to the listing copy", async ({
    tmp,
  }) => {
    const server = await portalServer({
      portal: makePortal(["a", "b"]),
      fault: ({ url }) => (url === "/api/v2/catalog/datasets/b" ? { hang: true } : undefined),
    });
    const site = await buildSite({
      tmp,
      portal: server.origin,
      flags: { timeout: "200", retries: "1", records: "0" },
    });
    expect(site.report.issues.fallbacks).toEqual([
      {
        id: "b",
        reason: `Could not fetch ${server.apiRoot}/catalog/datasets/b: the portal did not answer in time (after 1 retry)`,
      },
    ]);
    expect(await site.read("datasets/b/index.html")).toContain("Dataset b");
    expect(server.requests.filter((r) => r.url.endsWith("/datasets/b"))).toHaveLength(2);
  });

  test("no URL is fetched twice in one build", async ({ tmp }) => {
    const server = await portalServer({ portal: makePortal(manyIds(120)) });
    await buildSite({ tmp, portal: server.origin });
    const urls = server.requests.map((r) => r.url);
    expect(new Set(urls).size).toBe(urls.length);
    expect(urls).toHaveLength(2 + 2 + 120 + 120);
  });
});

describe("the portal's quota", () => {
  test("when the remaining quota cannot cover the crawl, a reserve is kept and listing copies are used", async ({
    tmp,
  }) => {
    const quota = { limit: 1000, remaining: 60, resetAt: new Date(Date.now() + 8 * 3600_000) };
    const server = await portalServer({ portal: makePortal(manyIds(100)), quota });
    const site = await buildSite({
      tmp,
      portal: server.origin,
      flags: { "quota-reserve": "20", records: "0", concurrency: "1" },
    });
    expect(site.report.datasets).toBe(100);
    const fallbacks = site.report.issues.fallbacks;
    expect(fallbacks.length).toBeGreaterThan(50);
    expect(
      fallbacks.every((f) => f.reason === "the portal's remaining quota is kept in reserve"),
    ).toBe(true);
    expect(server.quota?.remaining).toBeGreaterThanOrEqual(20);
    const notices = site.log.warnings.filter((w) => w.startsWith("The portal's quota has"));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /keeping 20 in reserve, so the remaining datasets use their copies from the listing\.$/,
    );
  });

  test("an exhausted quota stops the build with one clear line and leaves the previous site", async ({
    tmp,
  }) => {
    const server = await portalServer({ portal: makePortal(["a"]) });
    const first = await buildSite({ tmp, portal: server.origin });
    const resetAt = new Date(Date.now() + 5 * 3600_000);
    const exhausted = await portalServer({
      portal: makePortal(["a"]),
      quota: { limit: 5000, remaining: 0, resetAt },
    });
    await expect(buildSite({ tmp, portal: exhausted.origin })).rejects.toThrow(
      `The portal's API quota is exhausted until ${new Date(Math.floor(resetAt.getTime() / 1000) * 1000).toISOString()} (${exhausted.apiRoot}); set ODS_API_KEY or retry later.`,
    );
    expect(await first.read("datasets/a/index.html")).toContain("Dataset a");
    expect(exhausted.requests).toHaveLength(1);
  });
});
