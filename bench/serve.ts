import type { PortalData } from "../src/portal-server/portal.js";
import { loadRoutes, loadServer } from "./lib.js";
import type { FromServer, ToServer } from "./server-handle.js";
import { changeDatasets, factsOf, syntheticPortal, withRecordsMade } from "./synthetic.js";

/**
 * Child process: generates the synthetic portal and serves it with the project's own API
 * test server (`startPortalServer`), then answers the bench over IPC (see server-handle.ts).
 * Every dataset's self answer and record sample are made before the builds are measured, and
 * every answer is kept until the catalog changes (the server's `cache`): answering a 40,000-
 * dataset crawl otherwise cost the server about 20 s of CPU on the two cores the build runs on,
 * where a real portal's work is done on its own machines.
 * Arguments: datasets, latency in ms, seed, the builds' record sample. Exits when the parent
 * disconnects.
 */
const [datasets, latencyMs, seed, records] = process.argv.slice(2).map(Number);
if (
  !process.send ||
  datasets === undefined ||
  latencyMs === undefined ||
  seed === undefined ||
  records === undefined
) {
  throw new Error(
    "serve.js is started by the bench: fork(serve.js, [datasets, latency, seed, records]).",
  );
}
const send = (message: FromServer) => process.send?.(message);

const started = performance.now();
let portal = withRecordsMade(syntheticPortal(datasets, seed));
const generateMs = performance.now() - started;
const { startPortalServer } = await loadServer();
const { encodeId } = await loadRoutes();
const server = await startPortalServer({ portal, latencyMs, cache: true });
server.prime(crawlPaths(portal));
let logged = 0;
let cpu = process.cpuUsage();

process.on("message", (message: ToServer) => {
  if (message.type === "change") {
    const changed = changeDatasets(portal, message.fraction, seed);
    portal = withRecordsMade(changed.portal);
    server.setPortal(portal);
    server.prime(crawlPaths(portal));
    const ids = new Set(changed.ids);
    send({
      type: "changed",
      ids: changed.ids,
      facts: factsOf(portal.datasets),
      changedWithRecordSample: factsOf(
        portal.datasets.filter((d) => ids.has(String(d.dataset.dataset_id))),
      ).withRecordSample,
    });
  } else {
    const urls = server.requests.slice(logged).map((r) => r.url);
    logged = server.requests.length;
    const spent = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    send({
      type: "log",
      urls,
      cpuMs: (spent.user + spent.system) / 1000,
      maxRssKb: process.resourceUsage().maxRSS,
    });
  }
});
process.on("disconnect", () => {
  void server.close().finally(() => process.exit(0));
});
send({ type: "ready", origin: server.origin, generateMs, facts: factsOf(portal.datasets) });

/** What a build asks for each dataset: its self link, and its record sample when it has records. */
function* crawlPaths(data: PortalData): Generator<string> {
  for (const entry of data.datasets) {
    const self = `/api/v2/catalog/datasets/${encodeId(String(entry.dataset.dataset_id))}`;
    yield self;
    if (entry.records) yield `${self}/records?limit=${records}`;
  }
}
