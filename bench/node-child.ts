import { spawn } from "node:child_process";
import { machineBusyMs } from "./environment.js";

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** CPU the whole machine spent while the child ran (null off Linux): see `machineBusyMs`. */
  machineBusyMs: number | null;
}

/** Runs `node <args>` in a fresh process and collects its output; the bench measures in children. */
export function runNode(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<NodeRun> {
  const started = performance.now();
  const busy = machineBusyMs();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      const now = machineBusyMs();
      const machine = busy === undefined || now === undefined ? null : now - busy;
      resolve({ code, stdout, stderr, wallMs, machineBusyMs: machine });
    });
  });
}
