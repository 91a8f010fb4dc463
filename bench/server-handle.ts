import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { BENCH_OUT } from "./paths.js";
import type { PortalFacts } from "./synthetic.js";

/**
 * The parent's side of the portal child (serve.ts): the synthetic portal is generated and
 * served in its own process, so the build's peak RSS and CPU are measured without it. The
 * two talk over the IPC channel, one question at a time.
 */

export type ToServer =
  /** Edit this fraction of the datasets (see `changeDatasets`). */
  | { type: "change"; fraction: number }
  /** The request URLs received since the last `log`, and the server's CPU time meanwhile. */
  | { type: "log" };

export type FromServer =
  | { type: "ready"; origin: string; generateMs: number; facts: PortalFacts }
  | { type: "changed"; ids: string[]; facts: PortalFacts; changedWithRecordSample: number }
  | { type: "log"; urls: string[]; cpuMs: number; maxRssKb: number };

export interface ServerHandle {
  origin: string;
  generateMs: number;
  facts: PortalFacts;
  change(fraction: number): Promise<Extract<FromServer, { type: "changed" }>>;
  log(): Promise<Extract<FromServer, { type: "log" }>>;
  close(): Promise<void>;
}

export async function startServerChild(options: {
  datasets: number;
  latencyMs: number;
  seed: number;
  /** The builds' record sample, whose requests the server answers ahead. */
  records: number;
}): Promise<ServerHandle> {
  const child = fork(
    join(BENCH_OUT, "serve.js"),
    [options.datasets, options.latencyMs, options.seed, options.records].map(String),
    { stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  const ready = await reply(child, "ready");
  const ask = async <T extends FromServer["type"]>(message: ToServer, type: T) => {
    const answer = reply(child, type);
    child.send(message);
    return answer;
  };
  return {
    origin: ready.origin,
    generateMs: ready.generateMs,
    facts: ready.facts,
    change: (fraction) => ask({ type: "change", fraction }, "changed"),
    log: () => ask({ type: "log" }, "log"),
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.disconnect();
      await exited;
    },
  };
}

/** The child's next message, which must be of `type`; its death is an error. */
function reply<T extends FromServer["type"]>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromServer, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`The portal server process exited (code ${code}) before answering.`));
    child.once("exit", onExit);
    child.once("message", (message: FromServer) => {
      child.off("exit", onExit);
      if (message.type === type) resolve(message as Extract<FromServer, { type: T }>);
      else reject(new Error(`The portal server answered ${message.type}, expected ${type}.`));
    });
  });
}
