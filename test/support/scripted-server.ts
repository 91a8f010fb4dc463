import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { onTestFinished } from "vitest";

/**
 * A JSON server answering fixed bodies by path (query included), for responses no real
 * portal would normally produce: links to other origins, loops, inconsistent listings.
 * `{origin}` in any string is replaced by the server's own origin.
 */
export async function scriptedServer(
  routes: Record<string, unknown>,
): Promise<{ origin: string; paths: string[] }> {
  const paths: string[] = [];
  let origin = "";
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    paths.push(path);
    const body = routes[path];
    const text = JSON.stringify(
      body ?? { error_code: "NotFoundResource", message: "no route" },
    ).replaceAll("{origin}", origin);
    res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
    res.end(text);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  return { origin, paths };
}
