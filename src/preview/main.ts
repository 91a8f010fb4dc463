import { stat } from "node:fs/promises";
import { relative } from "node:path";
import { SiteError } from "../errors.js";
import { startPreviewServer } from "./server.js";

/**
 * `ods-catalog preview`: serves a built site on 127.0.0.1 until closed, and says where in one
 * line. Failures the user can fix (no site yet, port taken) are `SiteError`s.
 */
export async function preview(options: {
  root: string;
  basePath: string;
  port: number;
  log: (line: string) => void;
}): Promise<{ close(): Promise<void> }> {
  const shown = relative(process.cwd(), options.root) || ".";
  const folder = await stat(options.root).catch(() => undefined);
  if (!folder?.isDirectory()) {
    throw new SiteError(`No site to preview in ${shown}/: build it first with npm run build.`);
  }
  const server = await startPreviewServer({
    root: options.root,
    basePath: options.basePath,
    port: options.port,
    host: "127.0.0.1",
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new SiteError(`Port ${options.port} is already in use; choose another with --port.`);
    }
    throw error;
  });
  options.log(`Previewing ${shown}/ at ${server.url()} (Ctrl-C to stop)`);
  return { close: () => server.close() };
}
