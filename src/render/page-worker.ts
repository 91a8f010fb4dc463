import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { openStore, type StoredDataset } from "../cache/store.js";
import { ApiShapeError, CacheError, SiteError } from "../errors.js";
import { type DatasetSummary, summaryKey } from "../model/dataset.js";
import { writeNewFileSync } from "../write/output.js";
import { createPageMaker, type PageSettings } from "./page-maker.js";

/**
 * A page worker thread (started by page-pool.ts): for each job, reads the dataset's document
 * from the store, makes its page and writes it into the new site, all with blocking calls
 * (this thread has nothing else to do meanwhile), and answers with the dataset's summary.
 */

export interface WorkerSetup {
  settings: PageSettings;
  cacheDir: string;
  /** The new site's folder (`Output.stagingDir`), and whether it was made empty (`Output.fresh`). */
  stagingDir: string;
  fresh: boolean;
}

export interface PageJob {
  id: number;
  /** Store key of the dataset's document, the URL it came from, the page's path. */
  doc: string;
  url: string;
  path: string;
  /**
   * Whether to answer with the dataset's summary: not when the main thread has the last
   * build's summary of this very document (copying it across threads was 4% of a worker's time).
   */
  summary: boolean;
  /** Store key of the dataset's model the last build saved from this very document, if any. */
  model?: string | undefined;
}

export type PageResult =
  | {
      id: number;
      ok: true;
      /** Size of the page written. */
      bytes: number;
      /** Unless the job said not to send it. */
      summary: DatasetSummary | undefined;
      /**
       * The summary's content key (`summaryKey`), with it: made here, where the workers run
       * side by side, rather than for 40,000 summaries on the main thread.
       */
      summaryKey: string | undefined;
      /** The model the page was made from (`fromModel`) or saved as (`MadePage.model`). */
      model: string | undefined;
      fromModel: boolean;
      modelMs: number;
      renderMs: number;
    }
  | {
      id: number;
      ok: false;
      /**
       * `damaged`: the document is missing or damaged in the store (the main thread repairs it);
       * `shape`: its body is not a dataset (the dataset is left out); `failed`: anything else,
       * which fails the build (`site`: an error the user can act on, such as a broken template).
       */
      kind: "damaged" | "shape" | "failed";
      site: boolean;
      message: string;
    };

/**
 * Workers start while the crawl still runs (early-pages.ts): a lower priority lets the crawl's
 * thread go first, so the workers mostly take the CPU time it leaves (at 0 ms latency on two
 * cores the crawl still slows, by about what the render phase saves). On Linux a priority
 * applies to the calling thread alone; elsewhere it would slow the whole process, so it is
 * left as it is.
 */
const WORKER_NICENESS = 10;

/**
 * Answers sent together: the main thread hands out new jobs as these come back. 16 rather
 * than 8 halves the messages (postMessage was 2% of a worker's time) and still leaves a worker
 * holding `JOBS_PER_WORKER` = 32 a batch to work on while the next jobs come.
 */
const REPLY_BATCH = 16;

if (parentPort) {
  if (process.platform === "linux") {
    try {
      setPriority(WORKER_NICENESS);
    } catch {
      // Not allowed here (a container's policy): the workers run at the usual priority.
    }
  }
  const port = parentPort;
  const setup = workerData as WorkerSetup;
  const store = openStore(setup.cacheDir);
  const make = createPageMaker(setup.settings, { store });
  // Answers go back a few at a time (a message per page cost a worker 5% of its time, mostly
  // in waking the main thread), and the rest once the jobs at hand are done.
  const replies: PageResult[] = [];
  const flush = () => {
    if (replies.length > 0) port.postMessage(replies.splice(0));
  };
  port.on("message", (jobs: PageJob[] | "close") => {
    if (jobs === "close") {
      flush();
      // The store's open files belong to the process, not to this thread: close them first.
      void store.close().finally(() => port.close());
      return;
    }
    setImmediate(flush);
    for (const job of jobs) {
      if (replies.push(makePage(job)) >= REPLY_BATCH) flush();
    }
  });

  function makePage(job: PageJob): PageResult {
    try {
      const started = performance.now();
      let made = job.model === undefined ? undefined : make.fromModel(job.model, job.url);
      let readMs = 0;
      if (!made) {
        const stored = store.getSync(job.doc) as StoredDataset;
        // Reading and parsing the stored document is part of modelling it (a sixth of a page).
        readMs = performance.now() - started;
        made = make.fromDocument(stored, job.url);
      }
      if (made.file.path !== job.path) {
        throw new Error(`The page of ${job.url} is ${made.file.path}, not ${job.path}.`);
      }
      const bytes = writeNewFileSync(setup.stagingDir, job.path, made.file.contents, setup.fresh);
      const { renderMs, model, fromModel } = made;
      const modelMs = readMs + made.modelMs;
      const summary = job.summary ? made.summary : undefined;
      const key = summary && summaryKey(summary);
      return {
        id: job.id,
        ok: true,
        bytes,
        summary,
        summaryKey: key,
        model,
        fromModel,
        modelMs,
        renderMs,
      };
    } catch (error) {
      const kind =
        error instanceof CacheError
          ? "damaged"
          : error instanceof ApiShapeError
            ? "shape"
            : "failed";
      const site = error instanceof SiteError;
      // A bug's message carries its stack, or it could not be traced once on the main thread.
      const message =
        error instanceof Error
          ? ((site ? error.message : error.stack) ?? error.message)
          : String(error);
      return { id: job.id, ok: false, kind, site, message };
    }
  }
}
