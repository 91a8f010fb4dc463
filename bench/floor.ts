import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Eta } from "eta";
import { measureSite } from "./site-size.js";
import { syntheticPortal } from "./synthetic.js";

/**
 * Child process: the floor. The same N dataset pages, from the same synthetic dataset
 * objects, rendered by one bare Eta template and written, one after the other with blocking
 * calls: no crawl, no store, no sanitizer, no model. What rendering and writing this many
 * pages costs on this machine, so the build's render + write time can be read as a ratio to
 * it. Blocking writes, because they are the faster way here: until the sixth bench session
 * the floor kept 16 writes in flight through libuv's thread pool, and six alternating runs
 * (2026-12-07) gave 6,835 to 8,491 pages/s that way against 9,444 to 9,953 blocking, with a
 * third less CPU. A floor slower than the fastest known way would flatter the ratio.
 * Arguments: datasets, seed, output folder. Prints one JSON line (FloorResult).
 */

export interface FloorResult {
  pages: number;
  /** Render + write wall time, without generating the records the pages show. */
  ms: number;
  /** The part of `ms` spent inside Eta. */
  renderMs: number;
  bytes: number;
  avgPageBytes: number;
  maxRssKb: number;
  /** CPU time of the floor process, start-up and generation included. */
  cpuMs: number;
}

const [datasets, seed, outDir] = process.argv.slice(2);
if (datasets === undefined || seed === undefined || outDir === undefined) {
  throw new Error("floor.js takes: datasets seed outDir.");
}

const portal = syntheticPortal(Number(datasets), Number(seed));
const eta = new Eta({ autoEscape: true, autoTrim: [false, "nl"] });
eta.loadTemplate("@page", pageTemplate());

let renderMs = 0;
let recordsMs = 0;
const started = performance.now();
for (const [i, entry] of portal.datasets.entries()) {
  let t = performance.now();
  // Records are made on demand by the synthetic portal; that is not rendering.
  const records = (entry.records ?? []).slice(0, 5);
  recordsMs += performance.now() - t;
  t = performance.now();
  const html = eta.render("@page", { d: entry.dataset, records });
  renderMs += performance.now() - t;
  const dir = join(outDir, "datasets", folderOf(String(entry.dataset.dataset_id), i));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.html"), html);
}
const ms = performance.now() - started - recordsMs;

const site = await measureSite(outDir);
const usage = process.resourceUsage();
const result: FloorResult = {
  pages: site.datasetPages,
  ms,
  renderMs,
  bytes: site.datasetPageBytes,
  avgPageBytes: site.datasetPageBytes / Math.max(1, site.datasetPages),
  maxRssKb: usage.maxRSS,
  cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
};
process.stdout.write(`${JSON.stringify(result)}\n`);

/** Clean ids as they are; anything else made safe and unique (the floor needs no more). */
function folderOf(id: string, index: number): string {
  return /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/.test(id)
    ? id
    : `${id.toLowerCase().replace(/[^a-z0-9]+/g, "-")}--${index}`;
}

/**
 * A small, realistic dataset page (head, breadcrumb, facts, description, metadata of every
 * template, fields, record sample, attachments, API links), written for the raw API object.
 * A function so it can sit at the bottom of the file.
 */
function pageTemplate(): string {
  return `<% const d = it.d, m = d.metas.default, show = (v) => v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : v %>
<!doctype html>
<html lang="<%= m.language %>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><%= m.title %> · Open data catalog</title>
<link rel="stylesheet" href="../../assets/style.css">
</head>
<body>
<header><a href="../../">Open data catalog</a></header>
<main>
<nav aria-label="Breadcrumb"><a href="../../">Home</a> › <span aria-current="page"><%= m.title %></span></nav>
<h1><%= m.title %></h1>
<p class="facts">
<% if (m.publisher) { %><span>Publisher: <%= m.publisher %></span><% } %>
<span>Modified: <time datetime="<%= m.modified %>"><%= m.modified.slice(0, 10) %></time></span>
<span><%= m.records_count %> records</span>
</p>
<section><h2>Description</h2>
<% if (m.description) { %><div class="prose"><%~ m.description %></div><% } else { %><p>No description.</p><% } %>
</section>
<% if (d.features.length > 0) { %>
<section><h2>Features</h2><ul><% for (const f of d.features) { %><li><%= f %></li><% } %></ul></section>
<% } %>
<section><h2>Metadata</h2>
<% for (const [name, values] of Object.entries(d.metas)) { %>
<h3><%= name %></h3>
<table><tbody>
<% for (const [key, value] of Object.entries(values)) { if (value === null || value === "" || key === "description") continue %>
<tr><th scope="row"><%= key %></th><td><%= Array.isArray(value) ? value.join(", ") : show(value) %></td></tr>
<% } %>
</tbody></table>
<% } %>
</section>
<section><h2>Fields</h2>
<table><thead><tr><th>Name</th><th>Label</th><th>Type</th><th>Description</th><th>Annotations</th></tr></thead><tbody>
<% for (const f of d.fields) { %>
<tr><td><code><%= f.name %></code></td><td><%= f.label %></td><td><%= f.type %></td><td><%= f.description ?? "" %></td><td><%= Object.keys(f.annotations).join(", ") %></td></tr>
<% } %>
</tbody></table>
</section>
<% if (it.records.length > 0) { %>
<section><h2>Sample records</h2>
<table><thead><tr><% for (const f of d.fields) { %><th><%= f.label %></th><% } %></tr></thead><tbody>
<% for (const r of it.records) { %>
<tr><% for (const f of d.fields) { %><td><%= show(r.fields[f.name]) %></td><% } %></tr>
<% } %>
</tbody></table>
</section>
<% } %>
<% if (d.attachments.length > 0) { %>
<section><h2>Attachments</h2><ul>
<% for (const a of d.attachments) { %><li><a href="<%= a.url %>"><%= a.title %></a> (<%= a.mimetype %>)</li><% } %>
</ul></section>
<% } %>
<section><h2>API</h2><ul>
<li><a href="https://data.example.org/api/v2/catalog/datasets/<%= encodeURIComponent(d.dataset_id) %>">Dataset</a></li>
<li><a href="https://data.example.org/api/v2/catalog/datasets/<%= encodeURIComponent(d.dataset_id) %>/records">Records</a></li>
<li><a href="https://data.example.org/explore/dataset/<%= encodeURIComponent(d.dataset_id) %>/">Portal page</a></li>
</ul></section>
</main>
<footer>Data from data.example.org.</footer>
</body>
</html>
`;
}
