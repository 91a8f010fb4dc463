import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, onTestFinished } from "vitest";
import { composeDataset, openStore, type StoredDataset } from "../../src/cache/store.js";
import { datasetPagePath } from "../../src/catalog/routes.js";
import {
  createSummaryKeys,
  createSummarySharing,
  type DatasetSummary,
} from "../../src/model/dataset.js";
import { SAMPLES_DIR } from "../../src/portal-server/demo.js";
import { createPageMaker, type PageSettings } from "../../src/render/page-maker.js";
import { startPagePool, workersFor } from "../../src/render/page-pool.js";
import { openOutput } from "../../src/write/output.js";
import { damageDocument } from "../support/cache.js";
import { makeDataset } from "../support/datasets.js";
import { test } from "../support/fixtures.js";

/**
 * Page workers run compiled code: the tests, run from the TypeScript sources, make pages on
 * the main thread, so this file drives the compiled worker (`npm test` compiles first) and
 * holds its pages to the main thread's, byte for byte.
 */
const WORKER = new URL("../../lib/render/page-worker.js", import.meta.url);
const API = "https://data.example/api/v2/catalog/datasets";

const settings = (templates?: string): PageSettings => ({
  site: {
    title: "Catalog",
    lang: "fr",
    timeZone: "Europe/Paris",
    siteUrl: "https://catalog.example/sub/",
    portalOrigin: "https://public.example",
  },
  templates,
  crawlOrigin: "https://data.example",
  publicOrigin: "https://public.example",
  modelKey: "model key",
});

/** A store with these documents, an output folder, and a pool of workers (two) over them. */
async function setUp(tmp: string, documents: Buffer[], templates?: string, workers = 2) {
  expect(existsSync(fileURLToPath(WORKER)), "run `npm run compile` first (npm test does)").toBe(
    true,
  );
  const cacheDir = join(tmp, "cache");
  const store = openStore(cacheDir);
  const keys = await Promise.all(documents.map((doc) => store.put(doc)));
  const output = await openOutput({ outDir: join(tmp, "site"), cwd: tmp });
  const pool = startPagePool(
    { settings: settings(templates), cacheDir, stagingDir: output.stagingDir, fresh: output.fresh },
    workers,
    WORKER,
  );
  onTestFinished(async () => {
    await Promise.all([pool.close(), store.close()]);
  });
  return { store, keys, output, pool };
}

const body = (dataset: Record<string, unknown>) =>
  JSON.stringify({ links: [{ rel: "self", href: `${API}/${dataset.dataset_id}` }], dataset });

describe("page workers", () => {
  test("write the bytes the main thread makes, and send back the same summary when asked", async ({
    tmp,
  }) => {
    const recorded = readFileSync(`${SAMPLES_DIR}/v20-economie-gouv-catalog_dataset_fantoir.json`);
    const documents = [
      composeDataset(recorded.toString("utf8"), undefined),
      composeDataset(
        body(makeDataset("Odd Id@domain", { description: "<p>Été <script>x</script></p>" })),
        [{ id: "r1", fields: { code: "A<1>", value: 2.5 } }],
      ),
    ];
    const { store, keys, output, pool } = await setUp(tmp, documents);
    const make = createPageMaker(settings());
    for (const key of keys) {
      const stored = (await store.get(key)) as StoredDataset;
      const expected = make.fromDocument(stored, `${API}/x`);
      const job = { doc: key, url: `${API}/x`, path: expected.file.path };
      const result = await pool.make({ ...job, summary: true });
      if (!result.ok) throw new Error(result.message);
      expect(result.summary).toEqual(expected.summary);
      // With the summary, its key: the one this thread makes of it, as it is and once shared.
      expect(result.summaryKey).toBe(createSummaryKeys()(expected.summary));
      const shared = createSummarySharing()(result.summary as DatasetSummary);
      expect(result.summaryKey).toBe(createSummaryKeys()(shared));
      const written = await readFile(join(output.stagingDir, expected.file.path), "utf8");
      expect(written).toBe(expected.file.contents);
      expect(result.bytes).toBe(Buffer.byteLength(written));
      // The main thread knows the summary already: the page alone.
      const again = await pool.make({ ...job, summary: false });
      expect(again).toMatchObject({
        ok: true,
        summary: undefined,
        summaryKey: undefined,
        bytes: result.bytes,
      });
      expect(await readFile(join(output.stagingDir, expected.file.path), "utf8")).toBe(written);
    }
  });

  test("report a damaged document, a body that is no dataset and a broken template", async ({
    tmp,
  }) => {
    const good = composeDataset(body(makeDataset("good")), undefined);
    const { keys, pool } = await setUp(tmp, [good, composeDataset('{"links":[]}', undefined)]);
    const [goodKey = "", badKey = ""] = keys;
    await damageDocument(join(tmp, "cache"), goodKey);
    const path = "datasets/good/index.html";
    expect(await pool.make({ doc: goodKey, url: API, path, summary: true })).toMatchObject({
      ok: false,
      kind: "damaged",
    });
    expect(await pool.make({ doc: badKey, url: API, path, summary: true })).toMatchObject({
      ok: false,
      kind: "shape",
      message: expect.stringContaining("Unexpected API response"),
    });

    const templates = join(tmp, "templates");
    await mkdir(join(templates, "pages"), { recursive: true });
    await writeFile(join(templates, "pages", "dataset.eta"), "<%= it.page.nothing.here %>");
    const broken = await setUp(join(tmp, "broken"), [good], templates);
    expect(
      await broken.pool.make({ doc: broken.keys[0] ?? "", url: API, path, summary: true }),
    ).toMatchObject({
      ok: false,
      kind: "failed",
      site: true,
      message: /pages\/dataset failed/,
    });
  });

  test("grown later, share the jobs still waiting, and make every page", async ({ tmp }) => {
    // Far more pages than a worker holds at once, so most wait on the main thread, long enough
    // for the jobs handed out to be dropped from the queue on the way.
    const datasets = Array.from({ length: 1_100 }, (_, i) => makeDataset(`set-${i}`));
    const { keys, output, pool } = await setUp(
      tmp,
      datasets.map((d) => composeDataset(body(d), undefined)),
      undefined,
      1,
    );
    const jobs = keys.map((key, i) => ({
      doc: key,
      url: `${API}/x`,
      path: datasetPagePath(`set-${i}`),
      summary: true,
    }));
    const results = jobs.map((job) => pool.make(job));
    expect(pool.size).toBe(1);
    pool.grow(2);
    pool.grow(1); // Never fewer.
    expect(pool.size).toBe(2);
    const made = await Promise.all(results);
    expect(made.map((r) => r.ok && r.summary?.id)).toEqual(datasets.map((d) => d.dataset_id));
    for (const job of jobs) expect(existsSync(join(output.stagingDir, job.path))).toBe(true);
  });

  test("closed, turn down the jobs still waiting for a worker", async ({ tmp }) => {
    const { keys, pool } = await setUp(tmp, [composeDataset(body(makeDataset("a")), undefined)]);
    const results = Array.from({ length: 5 }, () =>
      pool.make({
        doc: keys[0] ?? "",
        url: `${API}/a`,
        path: datasetPagePath("a"),
        summary: false,
      }),
    );
    const settled = Promise.allSettled(results);
    await pool.close();
    expect((await settled).map((s) => s.status === "rejected" && String(s.reason))).toEqual(
      Array(5).fill("Error: The page workers were closed."),
    );
  });

  test("are started only for enough pages, and only from compiled code", () => {
    expect(workersFor(10, WORKER)).toBe(0);
    expect(workersFor(10_000, WORKER)).toBeGreaterThan(0);
    expect(workersFor(10_000, new URL("./page-worker.js", import.meta.url))).toBe(0);
  });
});
