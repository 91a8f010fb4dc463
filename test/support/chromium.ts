import { existsSync } from "node:fs";
import { type Browser, chromium, errors } from "playwright-core";

/**
 * Launching Debian's Chromium with playwright-core, for the browser tests (test/e2e) and the
 * bench's search downloads (bench/search-downloads.ts). Playwright never downloads a browser
 * here: a missing Chromium is an error that says how to install it.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/**
 * As this machine's Chromium needs it: headless, no sandbox (tests run as root in CI), and no
 * background connections to Google's services, which a closed network refuses by the dozen.
 * Playwright adds a fresh temporary `--user-data-dir` to every launch and removes it on close.
 */
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const LAUNCH_TIMEOUT_MS = 20_000;

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it with apt-get install chromium, or set CHROMIUM_PATH`,
    );
  }
  try {
    return await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      timeout: LAUNCH_TIMEOUT_MS,
    });
  } catch (error) {
    throw named(
      error,
      `Chromium at ${CHROMIUM_PATH} did not start within ${LAUNCH_TIMEOUT_MS / 1000} s`,
    );
  }
}

/** A Playwright timeout rethrown with a message naming what hung; other errors as they are. */
export function named(error: unknown, message: string): unknown {
  if (error instanceof errors.TimeoutError) return new Error(message, { cause: error });
  return error;
}
