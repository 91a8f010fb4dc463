import { main } from "../../src/cli.js";

/** Runs the command line in process, capturing what it prints. */
export async function runCli(argv: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: options.env ?? {},
    cwd: options.cwd,
  });
  return { code, stdout, stderr };
}
