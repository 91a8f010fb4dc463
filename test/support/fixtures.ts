import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test as base, onTestFinished } from "vitest";
import {
  type PortalServer,
  type PortalServerOptions,
  startPortalServer,
} from "../../src/portal-server/server.js";

/** `tmp`: a fresh folder per test, removed afterwards. */
export const test = base.extend<{ tmp: string }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures take their dependencies as a destructured first argument.
  tmp: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), "ods-catalog-test-"));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
});

/** Starts a local portal for the current test and closes it when the test ends. */
export async function portalServer(options: PortalServerOptions): Promise<PortalServer> {
  const server = await startPortalServer(options);
  onTestFinished(() => server.close());
  return server;
}
