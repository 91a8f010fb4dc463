import { describe, expect, it } from "vitest";
import { createProgress, duration } from "../src/progress.js";

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("createProgress", () => {
  it("redraws one live line on a terminal, at most ten times a second", () => {
    const c = clock();
    const out: string[] = [];
    let requests = 0;
    const progress = createProgress({
      write: (t) => out.push(t),
      isTTY: true,
      quiet: false,
      requests: () => requests,
      now: c.now,
    });
    progress.phase("Crawling", 1000, { requests: true });
    c.advance(2000);
    requests = 400;
    progress.update(250, 1000);
    progress.update(251, 1000);
    progress.retry();
    c.advance(150);
    progress.update(260, 1000);
    expect(out).toEqual([
      "\r\x1b[2KCrawling: 250/1,000 datasets (25%) · 200 req/s · 0 retries · ETA 6s",
      "\r\x1b[2KCrawling: 260/1,000 datasets (26%) · 186 req/s · 1 retry · ETA 6s",
    ]);
    progress.clear();
    expect(out.at(-1)).toBe("\r\x1b[2K");
  });

  it("prints plain lines every 10% or 30 s without a terminal", () => {
    const c = clock();
    const out: string[] = [];
    const progress = createProgress({
      write: (t) => out.push(t),
      isTTY: false,
      quiet: false,
      requests: () => 0,
      now: c.now,
    });
    progress.phase("Rendering", 1000);
    for (let done = 1; done <= 1000; done++) {
      c.advance(1);
      progress.update(done, 1000);
    }
    expect(out).toHaveLength(10);
    expect(out[0]).toBe("Rendering: 100/1,000 datasets (10%) · ETA 1s\n");
    expect(out[9]).toBe("Rendering: 1,000/1,000 datasets (100%)\n");

    out.length = 0;
    progress.phase("Crawling", undefined, { requests: true });
    progress.update(5, undefined);
    c.advance(30_000);
    progress.update(6, undefined);
    expect(out).toEqual(["Crawling: 6 datasets · 0 req/s · 0 retries\n"]);
  });

  it("stays silent with --quiet and for small builds in logs", () => {
    const out: string[] = [];
    const quiet = createProgress({
      write: (t) => out.push(t),
      isTTY: true,
      quiet: true,
      requests: () => 0,
    });
    quiet.phase("Crawling", 10);
    quiet.update(10, 10);
    const small = createProgress({
      write: (t) => out.push(t),
      isTTY: false,
      quiet: false,
      requests: () => 0,
    });
    small.phase("Rendering", 9);
    for (let i = 1; i <= 9; i++) small.update(i, 9);
    expect(out).toEqual([]);
  });
});

describe("duration", () => {
  it("reads like a person would say it", () => {
    expect([duration(42), duration(75), duration(4000)]).toEqual(["42s", "1m 15s", "1h 6m"]);
  });
});
