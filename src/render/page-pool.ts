import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { PageJob, PageResult, WorkerSetup } from "./page-worker.js";

/**
 * Page workers: threads that make and write dataset pages (page-worker.ts) while the main
 * thread hands out the jobs and collects the summaries. Parsing, modelling, sanitizing and
 * rendering a page is CPU work, a quarter of a millisecond or more per page: on a large
 * catalog, most of the render phase.
 */
export interface PagePool {
  /** Makes and writes one page in the least busy worker. */
  make(job: Omit<PageJob, "id">): Promise<PageResult>;
  close(): Promise<void>;
}

/**
 * The compiled worker module. Run from the TypeScript sources (the tests) there is none, and
 * every page is made on the main thread, by the same code (page-maker.ts).
 */
export const PAGE_WORKER = new URL("./page-worker.js", import.meta.url);

/**
 * How many workers to start for `pages` pages to make: none for a few (starting a thread costs
 * more than it saves), otherwise one per core, at most 4 (each holds a heap of its own).
 */
export function workersFor(pages: number, script: URL = PAGE_WORKER): number {
  if (pages < MIN_PAGES || !existsSync(fileURLToPath(script))) return 0;
  return Math.min(availableParallelism(), MAX_WORKERS);
}

export function startPagePool(setup: WorkerSetup, size: number, script = PAGE_WORKER): PagePool {
  const workers = Array.from(
    { length: size },
    () => new Worker(script, { workerData: setup, resourceLimits: WORKER_LIMITS }),
  );
  const exited = new Map(
    workers.map((worker) => [
      worker,
      new Promise<void>((resolve) => worker.once("exit", () => resolve())),
    ]),
  );
  const waiting = new Map<
    number,
    { worker: Worker; resolve: (result: PageResult) => void; reject: (error: Error) => void }
  >();
  const busy = new Map(workers.map((worker) => [worker, 0]));
  let next = 0;
  let failure: Error | undefined;
  let closing = false;
  /** A worker died: its jobs fail, and so does every later one (the build is failing). */
  const fail = (worker: Worker, error: Error) => {
    if (closing) return;
    failure ??= error;
    for (const [id, job] of waiting) {
      if (job.worker !== worker) continue;
      waiting.delete(id);
      job.reject(error);
    }
  };
  // Jobs handed out in one turn of the event loop go to each worker as one message.
  const outbox = new Map<Worker, PageJob[]>();
  const send = () => {
    for (const [worker, jobs] of outbox) worker.postMessage(jobs);
    outbox.clear();
  };
  for (const worker of workers) {
    worker.on("message", (results: PageResult[]) => {
      busy.set(worker, (busy.get(worker) ?? results.length) - results.length);
      for (const result of results) {
        const job = waiting.get(result.id);
        waiting.delete(result.id);
        job?.resolve(result);
      }
    });
    worker.on("error", (error) => fail(worker, error));
    worker.on("exit", (code) => fail(worker, new Error(`A page worker exited (code ${code}).`)));
  }
  return {
    make(job) {
      if (failure) return Promise.reject(failure);
      let worker = workers[0] as Worker;
      for (const other of workers) {
        if ((busy.get(other) ?? 0) < (busy.get(worker) ?? 0)) worker = other;
      }
      busy.set(worker, (busy.get(worker) ?? 0) + 1);
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { worker, resolve, reject });
        if (outbox.size === 0) setImmediate(send);
        const jobs = outbox.get(worker) ?? [];
        outbox.set(worker, jobs);
        jobs.push({ ...job, id });
      });
    },
    async close() {
      closing = true;
      send();
      // Each worker closes its files and then its port, which ends it; a worker that died or
      // hangs is terminated.
      await Promise.all(
        workers.map(async (worker) => {
          worker.postMessage("close");
          const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
          await exited.get(worker);
          clearTimeout(timer);
        }),
      );
    },
  };
}

// --- internal ---

/** Fewer pages than this are made on the main thread (a worker takes ~0.1 s to start). */
const MIN_PAGES = 500;
const MAX_WORKERS = 4;
/**
 * A page's garbage is a few hundred kilobytes, all short-lived: a small young generation holds
 * it (V8's default for a worker reserves more), which keeps the build's peak memory down.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };
const CLOSE_TIMEOUT_MS = 5_000;
