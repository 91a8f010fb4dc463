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
  /** Makes and writes one page in the least busy worker, once one has room for it. */
  make(job: Omit<PageJob, "id">): Promise<PageResult>;
  /** Starts more workers, up to `size` in all: jobs not handed out yet go to them too. */
  grow(size: number): void;
  /** Workers started. */
  readonly size: number;
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

/**
 * Jobs wait here, on the main thread, and each worker holds at most `JOBS_PER_WORKER` of
 * them: so a worker started later (`grow`) shares the jobs still waiting, instead of finding
 * them all queued at the workers already running.
 */
export function startPagePool(setup: WorkerSetup, size: number, script = PAGE_WORKER): PagePool {
  const workers: Worker[] = [];
  const exited = new Map<Worker, Promise<void>>();
  const busy = new Map<Worker, number>();
  // Jobs not handed out yet are `queue[head…]`: taken by index, since `shift` copies the whole
  // array once it is too large to trim in place (tens of thousands of jobs during a long crawl).
  let queue: PageJob[] = [];
  let head = 0;
  const waiting = new Map<
    number,
    { worker?: Worker; resolve: (result: PageResult) => void; reject: (error: Error) => void }
  >();
  let next = 0;
  let failure: Error | undefined;
  let closing = false;
  let scheduled = false;
  /** A worker died: its jobs fail, and so does every later one (the build is failing). */
  const fail = (worker: Worker, error: Error) => {
    if (closing) return;
    failure ??= error;
    for (const [id, job] of waiting) {
      if (job.worker !== undefined && job.worker !== worker) continue;
      waiting.delete(id);
      job.reject(error);
    }
    queue = [];
    head = 0;
  };
  const leastBusyWithRoom = (): Worker | undefined => {
    let best: Worker | undefined;
    for (const worker of workers) {
      const load = busy.get(worker) ?? 0;
      if (load < JOBS_PER_WORKER && (best === undefined || load < (busy.get(best) ?? 0)))
        best = worker;
    }
    return best;
  };
  /** Hands waiting jobs to the workers with room for them, least busy first, one message each. */
  const send = () => {
    scheduled = false;
    const outbox = new Map<Worker, PageJob[]>();
    while (head < queue.length) {
      const worker = leastBusyWithRoom();
      if (!worker) break;
      const job = queue[head++] as PageJob;
      busy.set(worker, (busy.get(worker) ?? 0) + 1);
      const pending = waiting.get(job.id);
      if (pending) pending.worker = worker;
      const jobs = outbox.get(worker) ?? [];
      outbox.set(worker, jobs);
      jobs.push(job);
    }
    // The jobs handed out are dropped from time to time, not one by one.
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    for (const [worker, jobs] of outbox) worker.postMessage(jobs);
  };
  // Jobs handed out in one turn of the event loop go to each worker as one message.
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(send);
  };
  const start = () => {
    const worker = new Worker(script, { workerData: setup, resourceLimits: WORKER_LIMITS });
    workers.push(worker);
    busy.set(worker, 0);
    exited.set(worker, new Promise<void>((resolve) => worker.once("exit", () => resolve())));
    worker.on("message", (results: PageResult[]) => {
      busy.set(worker, (busy.get(worker) ?? results.length) - results.length);
      for (const result of results) {
        const job = waiting.get(result.id);
        waiting.delete(result.id);
        job?.resolve(result);
      }
      if (head < queue.length) send();
    });
    worker.on("error", (error) => fail(worker, error));
    worker.on("exit", (code) => fail(worker, new Error(`A page worker exited (code ${code}).`)));
  };
  for (let n = 0; n < size; n++) start();
  return {
    make(job) {
      if (failure) return Promise.reject(failure);
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        queue.push({ ...job, id });
        schedule();
      });
    },
    grow(to) {
      if (closing || failure) return;
      while (workers.length < to) start();
      if (head < queue.length) schedule();
    },
    get size() {
      return workers.length;
    },
    async close() {
      closing = true;
      // Jobs still waiting when the pool closes belong to a build that is failing.
      const gone = new Error("The page workers were closed.");
      for (const job of queue.slice(head)) {
        waiting.get(job.id)?.reject(gone);
        waiting.delete(job.id);
      }
      queue = [];
      head = 0;
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
 * Jobs a worker holds at once: several answer batches (page-worker.ts sends 16 at a time), so
 * it never waits for the next job, and few enough that the jobs left wait on the main thread.
 */
export const JOBS_PER_WORKER = 32;
/**
 * A page's garbage is a few hundred kilobytes, all short-lived: a young generation of 24 MB
 * (semi-spaces of 8) holds a few dozen pages' worth between scavenges. With 8 MB (semi-spaces
 * of about 2.7), making a page from its stored document took 16% longer (six alternating pairs
 * of 10,000 pages on one thread, semi-spaces set with --max-semi-space-size); 48 MB gained
 * nothing more, and each worker's peak memory grows with it.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 24 };
const CLOSE_TIMEOUT_MS = 5_000;
