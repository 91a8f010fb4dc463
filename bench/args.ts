import { parseArgs } from "node:util";
import { DEFAULT_SEED } from "./synthetic.js";

/** `npm run bench -- [flags]`: the settings of one run. */
export interface BenchArgs {
  datasets: number;
  latencyMs: number;
  concurrency: number;
  seed: number;
  /** Profile the cold build with `node --cpu-prof` and print its hot spots. */
  cpuProf: boolean;
  /** Every-page-again builds, each between two floors; the ratio is their median. */
  rerenders: number;
  /** Keep the temporary folder (sites, caches, profile) for inspection. */
  keep: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

  --datasets <n>     synthetic datasets in the portal (default 40000)
  --latency <ms>     added by the server before every answer (default 0)
  --concurrency <n>  the build's --concurrency (default 8)
  --seed <n>         seed of the synthetic portal (default ${DEFAULT_SEED})
  --rerenders <n>    every-page-again builds, each between two floors (default 3);
                     the floor ratio is their median
  --cpu-prof         profile the cold build (node --cpu-prof) and print its hot spots
  --keep             keep the temporary folder with the sites, caches and profile
  --help             show this help
`;

export function parseBenchArgs(argv: string[]): BenchArgs | "help" {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      datasets: { type: "string", default: "40000" },
      latency: { type: "string", default: "0" },
      concurrency: { type: "string", default: "8" },
      seed: { type: "string", default: String(DEFAULT_SEED) },
      rerenders: { type: "string", default: "3" },
      "cpu-prof": { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return "help";
  const whole = (name: string, text: string, min: number, max: number) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max)
      throw new Error(`--${name} must be a whole number from ${min} to ${max}, got ${text}.`);
    return n;
  };
  return {
    datasets: whole("datasets", values.datasets, 1, 1_000_000),
    latencyMs: whole("latency", values.latency, 0, 10_000),
    concurrency: whole("concurrency", values.concurrency, 1, 64),
    seed: whole("seed", values.seed, 0, 2 ** 31),
    rerenders: whole("rerenders", values.rerenders, 1, 9),
    cpuProf: values["cpu-prof"],
    keep: values.keep,
  };
}
