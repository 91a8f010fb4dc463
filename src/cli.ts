import { relative } from "node:path";
import { parseArgs } from "node:util";
import { type BuildReport, build } from "./build.js";
import { loadConfigFile } from "./config/file.js";
import { helpText } from "./config/help.js";
import type { Config } from "./config/options.js";
import { OPTIONS } from "./config/options.js";
import { type RawSettings, resolveConfig } from "./config/resolve.js";
import { ConfigError, SiteError } from "./errors.js";
import type { Log } from "./log.js";
import { preview } from "./preview/main.js";
import { createProgress } from "./progress.js";
import { VERSION } from "./version.js";

/**
 * The command line: parses flags, resolves the config, runs the build and prints one
 * summary line. The only place that decides exit codes: 0 success, 1 failed build,
 * 2 bad usage. Expected failures (`SiteError`) print as one line, without a stack trace.
 */

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether stderr is a terminal (live progress line) or a log (plain lines). */
  isTTY?: boolean;
  /** Resolves when a long-running command (`preview`) should stop: Ctrl-C for the binary. */
  untilStopped?: () => Promise<void>;
}

const COMMANDS = ["build", "preview", "help"] as const;

export async function main(argv: string[], io: Io): Promise<number> {
  let parsed: { values: RawSettings; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        OPTIONS.map(
          (o) => [o.flag, { type: o.kind === "boolean" ? "boolean" : "string" }] as const,
        ),
      ),
    }) as { values: RawSettings; positionals: string[] };
  } catch (error) {
    io.stderr(`${usageProblem(error)} Run \`ods-catalog --help\` for the list of options.\n`);
    return 2;
  }
  const [command = "build", ...extra] = parsed.positionals;
  if (parsed.values.help || command === "help") {
    io.stdout(helpText());
    return 0;
  }
  if (parsed.values.version) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  if (!(COMMANDS as readonly string[]).includes(command) || extra.length > 0) {
    io.stderr(
      `Unknown command ${[command, ...extra].join(" ")}; commands: ${COMMANDS.join(", ")}.\n`,
    );
    return 2;
  }

  try {
    const explicit = parsed.values.config ?? io.env.ODS_CONFIG;
    const file = await loadConfigFile({
      explicit: typeof explicit === "string" ? explicit : undefined,
      cwd: io.cwd,
    });
    const notices: string[] = [];
    const config = resolveConfig({
      flags: parsed.values,
      env: io.env,
      file,
      cwd: io.cwd,
      warn: (message) => notices.push(message),
    });
    const log = terminalLog(io, config.verbosity);
    for (const notice of notices) log.warn(notice);
    if (command === "preview") return await runPreview(config, parsed.values.port, io);
    let requests = () => 0;
    const progress = createProgress({
      write: io.stderr,
      isTTY: io.isTTY ?? false,
      quiet: config.verbosity === "quiet",
      requests: () => requests(),
    });
    const report = await build(config, {
      log,
      cwd: io.cwd,
      progress,
      onHttp: (http) => {
        requests = () => http.stats.requests;
      },
    });
    io.stdout(`${summaryLine(report, io.cwd)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    if (error instanceof SiteError) {
      io.stderr(`Build failed: ${error.message} The previous site, if any, is unchanged.\n`);
      return 1;
    }
    io.stderr(
      `Build failed with an unexpected error (please report it):\n${error instanceof Error ? error.stack : String(error)}\n`,
    );
    return 1;
  }
}

export function summaryLine(report: BuildReport, cwd: string): string {
  const out = relative(cwd, report.outDir) || ".";
  const { issues } = report;
  const notes = [
    issues.fallbacks.length > 0 ? `${issues.fallbacks.length} from listing copies` : "",
    issues.skipped.length > 0 ? `${issues.skipped.length} skipped` : "",
    issues.unreachable > 0 ? `${issues.unreachable} unreachable` : "",
  ].filter(Boolean);
  const reused = report.pages.reused > 0 ? ` (${report.pages.reused} unchanged)` : "";
  const hits = report.cacheHits > 0 ? `, ${report.cacheHits} from cache` : "";
  return (
    `Published ${report.datasets} datasets${notes.length > 0 ? ` (${notes.join(", ")})` : ""}: ` +
    `${report.pages.total} pages${reused}, ${report.files} files in ${out}/, ${written(report.bytesWritten)} · ` +
    `${report.requests} requests (${report.retries} retries${hits}), ${bytes(report.bytesDownloaded)} downloaded · ` +
    `${(report.ms.total / 1000).toFixed(1)} s`
  );
}

function written(n: number): string {
  return n === 0 ? "nothing written" : `${bytes(n)} written`;
}

function bytes(n: number): string {
  if (n >= 10_000_000) return `${(n / 1_000_000).toFixed(0)} MB`;
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)} MB`;
  return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)} kB`;
}

// --- internal ---

/** Serves the built site until the signal fires (Ctrl-C). */
async function runPreview(
  config: Config,
  portFlag: string | boolean | undefined,
  io: Io,
): Promise<number> {
  const port = portFlag === undefined ? 4173 : Number(portFlag);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr(`--port must be a port number (0-65535), got ${String(portFlag)}.\n`);
    return 2;
  }
  const server = await preview({
    root: config.outDir,
    basePath: config.basePath,
    port,
    log: (line) => io.stderr(`${line}\n`),
  });
  await io.untilStopped?.();
  await server.close();
  return 0;
}

function terminalLog(io: Io, verbosity: "quiet" | "normal" | "verbose"): Log {
  return {
    info: (message) => {
      if (verbosity !== "quiet") io.stderr(`${message}\n`);
    },
    warn: (message) => io.stderr(`warning: ${message}\n`),
    debug: (message) => {
      if (verbosity === "verbose") io.stderr(`${message}\n`);
    },
  };
}

function usageProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown?.[1] && /api.?key/i.test(unknown[1])) {
    return `${unknown[1]} is not accepted: the API key is read from the ODS_API_KEY environment variable only, so it never lands in shell history or logs.`;
  }
  if (unknown) return `Unknown option ${unknown[1]}.`;
  const missing = /Option '([^']+)' argument missing/.exec(message);
  if (missing) return `Option ${missing[1]?.split(",")[0]} needs a value.`;
  return message.split("\n")[0] ?? message;
}
