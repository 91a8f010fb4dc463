import { once } from "node:events";
import { createReadStream, type Stats } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, sep } from "node:path";
import { contentType } from "./content-type.js";
import { normalizeBasePath, requestPath } from "./request-path.js";

/**
 * A static file server for a built site, answering as a careful static host does: `/x/` serves
 * `x/index.html`, `/x` redirects to `/x/` when `x` is a folder, an unknown path is a real 404
 * with the site's `404.html` (no fallback page), and nothing outside `root` is ever served
 * (URLs are checked by `requestPath`, then symbolic links by their real path).
 */

export interface PreviewServerOptions {
  root: string;
  /** URL path the site is served under, e.g. `/catalog/`. Default `/`. */
  basePath?: string;
  /** Default 0: any free port. */
  port?: number;
  host?: string;
}

export interface PreviewServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly origin: string;
  /** The absolute URL of a site path: `url("datasets/x/")` → `<origin><basePath>datasets/x/`. */
  url(path?: string): string;
  close(): Promise<void>;
}

/**
 * Sent with every answer. No Content-Security-Policy header: pages carry their own in a meta
 * tag, and a header here would hide a page whose own policy is missing or wrong.
 */
const HEADERS = {
  "cache-control": "no-cache",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
} as const;

interface Found {
  path: string;
  stats: Stats;
}

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const basePath = normalizeBasePath(options.basePath ?? "/");
  const root = await realpath(options.root);
  const host = options.host ?? "127.0.0.1";

  /** The file at `path` if it exists and really lies inside `root`, symbolic links resolved. */
  const inside = async (path: string): Promise<Found | undefined> => {
    try {
      const real = await realpath(path);
      if (real !== root && !real.startsWith(root + sep)) return undefined;
      return { path: real, stats: await stat(real) };
    } catch {
      return undefined;
    }
  };

  /** A short plain-text answer (errors and redirects). */
  const text = (res: ServerResponse, status: number, body: string, extra = {}) => {
    res.writeHead(status, { ...HEADERS, ...extra, "content-type": "text/plain; charset=utf-8" });
    res.end(res.req.method === "HEAD" ? undefined : body);
  };

  const serve = (res: ServerResponse, status: number, file: Found) => {
    const type = contentType(file.path);
    res.writeHead(status, { ...HEADERS, "content-type": type, "content-length": file.stats.size });
    if (res.req.method === "HEAD") return void res.end();
    createReadStream(file.path)
      .on("error", () => res.destroy())
      .pipe(res);
  };

  const notFound = async (res: ServerResponse) => {
    const page = await inside(join(root, "404.html"));
    if (page?.stats.isFile()) return serve(res, 404, page);
    text(res, 404, "Not found\n");
  };

  const redirect = (res: ServerResponse, location: string) =>
    text(res, 301, `Moved to ${location}\n`, { location });

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return text(res, 405, "Method not allowed\n", { allow: "GET, HEAD" });
    }
    const target = requestPath(req.url ?? "/", basePath);
    if (target.kind === "bad") return text(res, 400, "Bad request\n");
    if (target.kind === "redirect") return redirect(res, target.location);
    if (target.kind === "missing") return notFound(res);
    const found = await inside(join(root, ...target.segments));
    if (found?.stats.isDirectory()) {
      if (!target.slash) {
        const folder = target.segments.map(encodeURIComponent).join("/");
        return redirect(res, `${basePath}${folder}/${target.query}`);
      }
      const index = await inside(join(found.path, "index.html"));
      if (index?.stats.isFile()) return serve(res, 200, index);
    } else if (found?.stats.isFile() && !target.slash) {
      return serve(res, 200, found);
    }
    return notFound(res);
  };

  const server = createServer((req, res) => {
    answer(req, res).catch(() => res.destroy());
  });
  server.listen(options.port ?? 0, host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    origin,
    url: (path = "") => `${origin}${basePath}${path.replace(/^\/+/, "")}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
