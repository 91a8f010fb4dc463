import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { AxeResults, NodeResult, Result } from "axe-core";
import type { Browser, BrowserContextOptions, Page, Response } from "playwright-core";
import { afterAll, expect, onTestFinished } from "vitest";
import { launchChromium, named } from "../../support/chromium.js";

/**
 * Debian's Chromium driven by playwright-core: one browser per test file, a new context (fresh
 * cookies, storage and cache) per page, and every console error, page error and failed request
 * recorded so a test can insist on none. Playwright never downloads a browser here: a missing
 * Chromium fails the tests, it does not skip them.
 *
 * Page scripts are written as string expressions (`page.evaluate<number>("…")`): the project's
 * tsconfig has no DOM types, on purpose, so `document` is not a name TypeScript knows.
 */

const NAVIGATION_TIMEOUT_MS = 15_000;
const ACTION_TIMEOUT_MS = 5_000;

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

export interface OpenedPage {
  page: Page;
  /** The answer to the first navigation. */
  response: Response | null;
  /** Console errors, uncaught page errors, failed requests and answers ≥ 400, as they happen. */
  problems: string[];
  /** Waits for the network to settle, then fails listing every problem seen so far. */
  assertClean(): Promise<void>;
}

export interface OpenOptions {
  /** Status the page itself is meant to answer (the 404 page); any other ≥ 400 is a problem. */
  status?: number;
  context?: BrowserContextOptions;
}

export interface Chromium {
  openPage(url: string, options?: OpenOptions): Promise<OpenedPage>;
}

/**
 * One Chromium for the test file, launched by the first page a test opens and closed after the
 * file's tests. A launch failure fails every test that needs the browser, with its reason.
 */
export function useChromium(): Chromium {
  let launching: Promise<Browser> | undefined;
  afterAll(async () => {
    const browser = await launching?.catch(() => undefined);
    await browser?.close();
  });

  return {
    async openPage(url, options = {}) {
      launching ??= launchChromium();
      const browser = await launching;
      const context = await browser.newContext(options.context);
      onTestFinished(() => context.close());
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
      const page = await context.newPage();
      const problems = recordProblems(page, url, options.status);
      let response: Response | null;
      try {
        response = await page.goto(url, { waitUntil: "load" });
      } catch (error) {
        throw named(
          error,
          `Loading ${url} did not finish within ${NAVIGATION_TIMEOUT_MS / 1000} s`,
        );
      }
      return {
        page,
        response,
        problems,
        async assertClean() {
          await page.waitForLoadState("networkidle", { timeout: NAVIGATION_TIMEOUT_MS });
          expect(problems, `console errors, page errors and failed requests on ${url}`).toEqual([]);
        },
      };
    },
  };
}

function recordProblems(page: Page, url: string, status: number | undefined): string[] {
  const problems: string[] = [];
  /** The deliberate error status of the page itself, which Chromium also logs to the console. */
  const expected = (responseUrl: string, code: number) =>
    status !== undefined && code === status && responseUrl === url;
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const { url: where, lineNumber } = message.location();
    if (status !== undefined && where === url && message.text().includes(`status of ${status}`)) {
      return;
    }
    problems.push(`console error: ${message.text()} (${where}:${lineNumber})`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) =>
    problems.push(
      `request failed: ${request.method()} ${request.url()}: ${request.failure()?.errorText ?? "unknown error"}`,
    ),
  );
  page.on("response", (response) => {
    if (response.status() >= 400 && !expected(response.url(), response.status())) {
      problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
    }
  });
  return problems;
}

let axeSource: Promise<string> | undefined;

/**
 * Runs axe-core in the page for WCAG 2.0–2.2 A and AA, one line per failing node:
 * `rule (impact): help — target: summary`. axe is evaluated through the DevTools protocol
 * rather than added as a `<script>`, so the page's Content-Security-Policy stays in force.
 */
export async function runAxe(page: Page): Promise<string[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  if (!(await page.evaluate<boolean>("typeof window.axe === 'object'"))) {
    await page.evaluate(`${await axeSource};\nundefined`);
  }
  const options = { runOnly: { type: "tag", values: AXE_TAGS }, resultTypes: ["violations"] };
  const results = await page.evaluate<AxeResults>(
    `window.axe.run(document, ${JSON.stringify(options)})`,
  );
  return results.violations.flatMap((violation: Result) =>
    violation.nodes.map((node: NodeResult) => {
      const summary = (node.failureSummary ?? "").replace(/\s+/g, " ").trim();
      return `${violation.id} (${violation.impact ?? "unknown impact"}): ${violation.help} — ${node.target.join(" ")}: ${summary}`;
    }),
  );
}
