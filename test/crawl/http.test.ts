import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { describe, expect, it, onTestFinished } from "vitest";
import { createHttp, type HttpOptions } from "../../src/crawl/http.js";
import { FetchError, QuotaError } from "../../src/errors.js";
import { makePortal } from "../support/datasets.js";
import { portalServer } from "../support/fixtures.js";

/** A bare server for behaviour the portal server does not script (redirects, encodings). */
async function rawServer(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  onTestFinished(async () => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(origin: string, options: Partial<HttpOptions> = {}) {
  const http = createHttp({
    origin,
    userAgent: "ods-catalog-test/1",
    concurrency: 2,
    retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 20, maxWaitMs: 2_000 },
    ...options,
  });
  onTestFinished(() => http.close());
  return http;
}

describe("createHttp", () => {
  it("sends the User-Agent and the API key as a header, never in the URL", async () => {
    const server = await portalServer({ portal: makePortal(["a"]) });
    const http = client(server.origin, { apiKey: "secret-key" });
    const result = await http.getJson(server.apiRoot);
    expect(result.status).toBe("ok");
    const request = server.requests[0];
    expect(request?.headers["user-agent"]).toBe("ods-catalog-test/1");
    expect(request?.headers.authorization).toBe("Apikey secret-key");
    expect(request?.url).not.toContain("secret");
  });

  it("retries 503s and connection resets with backoff, then succeeds", async () => {
    const server = await portalServer({
      portal: makePortal(["a"]),
      fault: ({ index }) =>
        index === 0 ? { status: 503 } : index === 1 ? { reset: true } : undefined,
    });
    const retries: string[] = [];
    const http = client(server.origin, { onRetry: (e) => retries.push(e.reason) });
    const result = await http.getJson(server.apiRoot);
    expect(result.status).toBe("ok");
    expect(retries[0]).toBe("HTTP 503");
    // A reset on a kept-alive socket surfaces as ECONNRESET or as undici's "other side closed".
    expect(retries[1]).toMatch(/^(ECONNRESET|UND_ERR_SOCKET)$/);
    expect(http.stats).toMatchObject({ requests: 3, retries: 2 });
  });

  it("retries a truncated body, then reports it with its URL", async () => {
    const server = await portalServer({
      portal: makePortal(["a"]),
      fault: () => ({ truncate: true }),
    });
    const http = client(server.origin, {
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 10 },
    });
    await expect(http.getJson(server.apiRoot)).rejects.toThrow(
      `Could not fetch ${server.apiRoot}: the connection closed before the response was complete (after 1 retry).`,
    );
    expect(server.requests).toHaveLength(2);
  });

  it("gives up on a portal that never answers once the total time allowed is spent", async () => {
    const server = await portalServer({ portal: makePortal(["a"]), fault: () => ({ hang: true }) });
    const http = client(server.origin, {
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 10 },
      timeouts: { totalMs: 100 },
    });
    await expect(http.getJson(server.apiRoot)).rejects.toThrow(
      `Could not fetch ${server.apiRoot}: the portal did not answer in time (after 1 retry).`,
    );
    expect(server.requests).toHaveLength(2);
  });

  it("cuts a body that trickles in for longer than the total time allowed", async () => {
    const origin = await rawServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
      // A byte every 20 ms: never silent for the body timeout, never done either.
      const drip = setInterval(() => res.write("0,"), 20);
      res.on("close", () => clearInterval(drip));
    });
    const http = client(origin, {
      retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 10 },
      timeouts: { totalMs: 200, bodyMs: 5_000 },
    });
    await expect(http.getJson(`${origin}/api/v2`)).rejects.toThrow(
      `Could not fetch ${origin}/api/v2: the portal did not answer in time.`,
    );
  });

  it("retries malformed JSON and names the URL when it persists", async () => {
    const origin = await rawServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"links": [');
    });
    const http = client(origin, {
      retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 10 },
    });
    await expect(http.getJson(`${origin}/api/v2`)).rejects.toThrow(
      `${origin}/api/v2 did not return valid JSON (truncated or not JSON) (after 2 retries).`,
    );
    expect(http.stats.requests).toBe(3);
  });

  it("honours Retry-After on a 429", async () => {
    const server = await portalServer({
      portal: makePortal(["a"]),
      fault: ({ index }) =>
        index === 0 ? { status: 429, headers: { "retry-after": "1" } } : undefined,
    });
    const delays: number[] = [];
    const http = client(server.origin, { onRetry: (e) => delays.push(e.delayMs) });
    await http.getJson(server.apiRoot);
    expect(delays).toEqual([1000]);
  });

  it("stops with a QuotaError when the quota resets far in the future", async () => {
    const resetAt = new Date(Date.now() + 6 * 3600_000);
    const server = await portalServer({
      portal: makePortal(["a"]),
      quota: { limit: 100, remaining: 0, resetAt },
    });
    const http = client(server.origin);
    const error = await http.getJson(server.apiRoot).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaError);
    expect((error as Error).message).toBe(
      `The portal's API quota is exhausted until ${resetAt.toISOString().replace(/\.\d{3}Z$/, ".000Z")} (${server.apiRoot}); set ODS_API_KEY or retry later.`,
    );
    expect(server.requests).toHaveLength(1);
  });

  it("reports 4xx errors at once, with the portal's error code and message", async () => {
    const server = await portalServer({ portal: makePortal(["a"]) });
    const http = client(server.origin);
    const url = `${server.apiRoot}/catalog/datasets/missing`;
    await expect(http.getJson(url)).rejects.toThrow(
      `${url} answered HTTP 404 (NotFoundResource: The requested dataset missing does not exist.).`,
    );
    expect(server.requests).toHaveLength(1);
    await expect(http.getJson(url, { allowNotFound: true })).resolves.toEqual({
      status: "not-found",
      url,
    });
  });

  it("tells the user to set ODS_API_KEY on 401", async () => {
    const server = await portalServer({
      portal: makePortal(["a"]),
      fault: () => ({ status: 401 }),
    });
    await expect(client(server.origin).getJson(server.apiRoot)).rejects.toThrow(
      "The portal requires credentials: set ODS_API_KEY.",
    );
  });

  it("refuses URLs and redirects to another origin, and follows same-origin redirects", async () => {
    const other = await rawServer((_req, res) => res.end("{}"));
    const origin = await rawServer((req, res) => {
      if (req.url === "/moved") {
        res.writeHead(301, { location: "/api/v2" });
        res.end();
        return;
      }
      if (req.url === "/away") {
        res.writeHead(302, { location: `${other}/steal` });
        res.end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ links: [], auth: req.headers.authorization ?? null }));
    });
    const http = client(origin, { apiKey: "k" });
    await expect(http.getJson(`${origin}/moved`)).resolves.toMatchObject({
      status: "ok",
      url: `${origin}/api/v2`,
    });
    await expect(http.getJson(`${other}/x`)).rejects.toThrow(
      `Refusing to fetch ${other}/x: it is not on the portal's origin ${origin}.`,
    );
    await expect(http.getJson(`${origin}/away`)).rejects.toThrow(FetchError);
  });

  it("decompresses gzip bodies and keeps validators", async () => {
    const origin = await rawServer((req, res) => {
      if (req.headers["if-none-match"] === '"v1"') {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, {
        "content-encoding": "gzip",
        etag: '"v1"',
        "content-type": "application/json",
      });
      res.end(gzipSync(JSON.stringify({ hello: "wörld" })));
    });
    const http = client(origin);
    const first = await http.getJson(`${origin}/x`);
    expect(first).toMatchObject({
      status: "ok",
      body: { hello: "wörld" },
      validators: { etag: '"v1"' },
    });
    await expect(http.getJson(`${origin}/x`, { validators: { etag: '"v1"' } })).resolves.toEqual({
      status: "not-modified",
      url: `${origin}/x`,
    });
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const origin = await rawServer((_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.end("{}");
      }, 20);
    });
    const http = client(origin, { concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => http.getJson(`${origin}/${i}`)));
    expect(peak).toBe(3);
  });

  it("spaces requests to the requests-per-second limit", async () => {
    const starts: number[] = [];
    const origin = await rawServer((_req, res) => {
      starts.push(performance.now());
      res.end("{}");
    });
    const http = client(origin, { concurrency: 4, requestsPerSecond: 20 });
    const begun = performance.now();
    await Promise.all(Array.from({ length: 9 }, (_, i) => http.getJson(`${origin}/${i}`)));
    // 20 per second is one start every 50 ms: the 9th cannot start before 400 ms. Timers never
    // fire early, so this holds however loaded the machine is (gaps between arrivals do not).
    expect(Math.max(...starts) - begun).toBeGreaterThanOrEqual(399);
    expect(starts).toHaveLength(9);
  });

  it("names an unreachable portal", async () => {
    const origin = "http://127.0.0.1:9";
    const http = client(origin, {
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 10 },
    });
    await expect(http.getJson(`${origin}/api/v2`)).rejects.toThrow(
      `Could not fetch ${origin}/api/v2: the connection was refused (after 1 retry).`,
    );
  });
});
