import { createHash } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { PortalData } from "./portal.js";
import { PortalIndex, route } from "./routes.js";

/**
 * A local ODS API v2 portal over real HTTP on 127.0.0.1 (port 0 by default). It serves the
 * bundled demo for `npm run build`, the tests, and the benchmark. Faults are injected per
 * request through `fault`, so tests script exactly what a flaky portal does.
 */

export interface RequestInfo {
  /** 0-based position of the request since the server started. */
  index: number;
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingMessage["headers"];
}

export type Fault =
  /** Answer this status and body instead (e.g. 503, or 429 with a quota body). */
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Drop the connection without answering. */
  | { reset: true }
  /** Send the headers and half the body, then cut the connection. */
  | { truncate: true }
  /** Answer correctly after a pause (in addition to the server's latency). */
  | { delayMs: number }
  /** Never answer (until the client gives up). */
  | { hang: true };

export interface PortalServerOptions {
  portal: PortalData;
  /** Added before every answer; simulates a remote portal. */
  latencyMs?: number;
  fault?: (request: RequestInfo) => Fault | undefined;
  /** `X-RateLimit-*` quota: each request spends one call; at zero the server answers 429. */
  quota?: { limit: number; remaining: number; resetAt: Date };
  /**
   * Send ETags and answer `If-None-Match` with 304. ODS documents no validators, so this is
   * off by default; the crawler uses them when a portal (or a proxy in front of it) has them.
   */
  etags?: boolean;
  /**
   * Answer a GET asked before from the bytes sent the first time, until the catalog changes
   * (`setPortal`), as an HTTP cache in front of a portal does; `prime` makes answers before
   * they are asked. For the bench: a 40,000-dataset crawl costs the server about 20 s of CPU,
   * on the two cores the build under test runs on.
   */
  cache?: boolean;
  port?: number;
}

export interface PortalServer {
  readonly origin: string;
  /** `origin + "/api/v2"`: what `--portal` takes. */
  readonly apiRoot: string;
  /** Every request received, in order. */
  readonly requests: RequestInfo[];
  /** Replaces the served catalog (tests change datasets between builds). */
  setPortal(portal: PortalData): void;
  /** With `cache`, makes the answers to these GET paths (with queries) now; a no-op without. */
  prime(urls: Iterable<string>): void;
  readonly quota: PortalServerOptions["quota"];
  close(): Promise<void>;
}

export async function startPortalServer(options: PortalServerOptions): Promise<PortalServer> {
  let index = new PortalIndex(options.portal);
  /** Answers made, by path and query (see `cache`). */
  let answers = new Map<string, JsonReply>();
  const requests: RequestInfo[] = [];
  const quota = options.quota ? { ...options.quota } : undefined;
  let origin = "";

  const server = createServer((request, response) => {
    const info: RequestInfo = {
      index: requests.length,
      method: request.method ?? "GET",
      url: request.url ?? "/",
      headers: request.headers,
    };
    requests.push(info);
    void answer(info, request, response).catch(() => response.destroy());
  });

  const answer = async (info: RequestInfo, request: IncomingMessage, response: ServerResponse) => {
    // The latency counts from the request's arrival, as a client sees a remote portal's: the
    // answer is prepared during the wait, so the server's own work is not added to it.
    const due = performance.now() + (options.latencyMs ?? 0);
    const fault = options.fault?.(info);
    const reply = prepare(info, fault);
    const wait =
      Math.max(0, due - performance.now()) + (fault && "delayMs" in fault ? fault.delayMs : 0);
    // Even a 0 ms timer waits a millisecond or more: at 0 ms latency, answer at once.
    if (wait > 0) await sleep(wait);
    if (reply === "hang") return;
    if (reply === "reset") {
      request.socket.destroy();
      return;
    }
    if (reply.truncate) {
      response.writeHead(reply.status, {
        "content-type": "application/json",
        "content-length": reply.bytes.length,
      });
      response.write(reply.bytes.subarray(0, Math.floor(reply.bytes.length / 2)));
      await sleep(5);
      request.socket.destroy();
      return;
    }
    if (options.etags && reply.status === 200) {
      const etag = `"${createHash("sha1").update(reply.bytes).digest("hex")}"`;
      if (request.headers["if-none-match"] === etag) {
        response.writeHead(304, { etag, ...reply.headers });
        response.end();
        return;
      }
      reply.headers.etag = etag;
    }
    send(response, reply);
  };

  /** What to answer, decided when the request arrives (the quota is spent then). */
  const prepare = (info: RequestInfo, fault: Fault | undefined): Reply => {
    if (fault && "hang" in fault) return "hang";
    if (fault && "reset" in fault) return "reset";
    const headers: Record<string, string> = {};
    if (quota) {
      if (quota.remaining <= 0) return json(429, quotaBody(quota), rateHeaders(quota));
      quota.remaining--;
      Object.assign(headers, rateHeaders(quota));
    }
    if (fault && "status" in fault) {
      const body = fault.body ?? { error_code: "Fault", message: "Injected fault" };
      return json(fault.status, body, { ...headers, ...fault.headers });
    }
    // Headers and truncation are this request's; the body may have been made before.
    return { ...answerTo(info), headers, truncate: fault !== undefined && "truncate" in fault };
  };

  /** The catalog's answer to a request: made now, or with `cache` for a GET, made before. */
  const answerTo = (info: RequestInfo): JsonReply => {
    const cacheable = options.cache && info.method === "GET";
    const cached = cacheable ? answers.get(info.url) : undefined;
    if (cached) return cached;
    const { status, body } = handle(info, origin, index);
    const reply = json(status, body, {});
    if (cacheable && status === 200) answers.set(info.url, reply);
    return reply;
  };

  server.keepAliveTimeout = 5_000;
  server.listen(options.port ?? 0, "127.0.0.1");
  await once(server, "listening");
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    apiRoot: `${origin}/api/v2`,
    requests,
    quota,
    setPortal(next) {
      index = new PortalIndex(next);
      answers = new Map();
    },
    prime(urls) {
      if (!options.cache) return;
      for (const url of urls) answerTo({ index: -1, method: "GET", url, headers: {} });
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

// --- internal ---

function handle(info: RequestInfo, origin: string, index: PortalIndex) {
  if (info.method !== "GET" && info.method !== "HEAD") {
    return {
      status: 405,
      body: { error_code: "MethodNotAllowed", message: "Only GET is supported." },
    };
  }
  const url = new URL(info.url, origin);
  const path = url.pathname.replace(/\/+$/, "");
  if (path !== "/api/v2" && !path.startsWith("/api/v2/")) {
    return {
      status: 404,
      body: { error_code: "NotFoundResource", message: `No API at ${url.pathname}.` },
    };
  }
  let segments: string[];
  try {
    segments = path.slice("/api/v2".length).split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return {
      status: 400,
      body: { error_code: "InvalidURL", message: "Malformed percent-encoding." },
    };
  }
  return route(index, { segments, query: url.searchParams, origin });
}

/** Never answer, drop the connection, or answer this (cut halfway when `truncate`). */
type Reply = "hang" | "reset" | JsonReply;

interface JsonReply {
  status: number;
  /**
   * The body's JSON in UTF-8, encoded once: `Buffer.byteLength` and then `end(text)` walked a
   * 420 KB listing page twice, and measuring took longer than encoding (4.8 against 2.6 ms).
   */
  bytes: Buffer;
  headers: Record<string, string>;
  truncate: boolean;
}

function json(status: number, body: unknown, headers: Record<string, string>): JsonReply {
  return { status, bytes: Buffer.from(JSON.stringify(body), "utf8"), headers, truncate: false };
}

function send(response: ServerResponse, reply: JsonReply) {
  const { bytes } = reply;
  response.writeHead(reply.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": bytes.length,
    ...reply.headers,
  });
  response.end(bytes);
}

function rateHeaders(quota: {
  limit: number;
  remaining: number;
  resetAt: Date;
}): Record<string, string> {
  return {
    "x-ratelimit-limit": String(quota.limit),
    "x-ratelimit-remaining": String(Math.max(0, quota.remaining)),
    "x-ratelimit-reset": String(Math.floor(quota.resetAt.getTime() / 1000)),
  };
}

/** The quota body ODS sends (legacy v1 shape, documented in the v2 OpenAPI). */
function quotaBody(quota: { limit: number; resetAt: Date }) {
  return {
    errorcode: 10002,
    reset_time: quota.resetAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
    limit_time_unit: "day",
    call_limit: quota.limit,
    error: "Too many requests on the domain. Please contact the domain administrator.",
  };
}
