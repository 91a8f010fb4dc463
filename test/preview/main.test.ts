import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { expect, onTestFinished } from "vitest";
import { SiteError } from "../../src/errors.js";
import { preview } from "../../src/preview/main.js";
import { test } from "../support/fixtures.js";
import { raw } from "./http.js";

test("preview serves the folder and says where, in one line", async ({ tmp }) => {
  const root = join(tmp, "dist");
  await mkdir(root);
  await writeFile(join(root, "index.html"), "<!doctype html><title>Home</title>");
  const lines: string[] = [];
  const server = await preview({ root, basePath: "/catalog/", port: 0, log: (l) => lines.push(l) });
  onTestFinished(() => server.close());
  expect(lines).toHaveLength(1);
  const match =
    /^Previewing (.+) at (http:\/\/127\.0\.0\.1:(\d+)\/catalog\/) \(Ctrl-C to stop\)$/.exec(
      lines[0] ?? "",
    );
  expect(match, lines[0]).not.toBeNull();
  expect(match?.[1]).toMatch(/dist\/$/);
  const origin = new URL(match?.[2] ?? "").origin;
  expect((await raw(origin, "/catalog/")).body).toContain("Home");
});

test("preview refuses a folder that does not exist, naming it", async ({ tmp }) => {
  const root = join(tmp, "nothing-here");
  const attempt = preview({ root, basePath: "/", port: 0, log: () => {} });
  await expect(attempt).rejects.toThrow(SiteError);
  await expect(attempt).rejects.toThrow(/No site to preview in .*nothing-here\/: build it first/);
});

test("preview says which port is taken", async ({ tmp }) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as { port: number }).port;
  const attempt = preview({ root: tmp, basePath: "/", port, log: () => {} });
  await expect(attempt).rejects.toThrow(
    `Port ${port} is already in use; choose another with --port.`,
  );
});
