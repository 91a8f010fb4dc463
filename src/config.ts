import { resolve } from "node:path";
import { ConfigError } from "./errors.js";
import { isLang, LANGUAGES, type Lang } from "./render/i18n.js";

/** Everything a build needs to know, validated. Produced once by `resolveConfig`. */
export interface Config {
  /** API root of the portal (`https://host/api/v2`); undefined builds the bundled demo. */
  portal: string | undefined;
  /** Origin printed in links to the portal; defaults to the portal's own origin. */
  publicPortal: string | undefined;
  outDir: string;
  cacheDir: string;
  concurrency: number;
  requestsPerSecond: number | undefined;
  retries: number;
  /** First backoff step between retries; doubles each time, with jitter. */
  retryDelayMs: number;
  /** Longest wait for a connection, the response headers, or between two chunks of a body. */
  timeoutMs: number;
  /** Calls of the portal's daily quota to leave unspent. */
  quotaReserve: number;
  /** Records sampled per dataset page; 0 turns samples off. */
  records: number;
  /** Interface language; undefined means the language most of the portal's datasets use. */
  lang: Lang | undefined;
  title: string | undefined;
  timeZone: string;
  basePath: string;
  /** A folder whose templates shadow the built-in ones of the same name. */
  templates: string | undefined;
  /** From ODS_API_KEY only: never from flags or files, so it never lands in shell history or git. */
  apiKey: string | undefined;
  verbosity: "quiet" | "normal" | "verbose";
}

type Kind = "string" | "integer" | "number" | "boolean";

/** One setting: its flag, environment variable, type and default. Drives parsing, --help and the README table. */
export interface OptionSpec {
  flag: string;
  key: keyof Config | "quiet" | "verbose" | "help" | "version";
  kind: Kind;
  env?: string;
  default: string;
  describe: string;
}

export const OPTIONS: OptionSpec[] = [
  {
    flag: "portal",
    key: "portal",
    kind: "string",
    env: "ODS_PORTAL",
    default: "the bundled demo portal",
    describe: "Portal to publish: its origin (https://host) or API root (https://host/api/v2).",
  },
  {
    flag: "out",
    key: "outDir",
    kind: "string",
    env: "ODS_OUT",
    default: "dist",
    describe: "Output folder, replaced atomically on success.",
  },
  {
    flag: "cache-dir",
    key: "cacheDir",
    kind: "string",
    env: "ODS_CACHE_DIR",
    default: ".cache",
    describe: "Folder keeping the last crawl, for incremental rebuilds.",
  },
  {
    flag: "concurrency",
    key: "concurrency",
    kind: "integer",
    env: "ODS_CONCURRENCY",
    default: "4",
    describe: "Requests in flight at once (1-64).",
  },
  {
    flag: "rate",
    key: "requestsPerSecond",
    kind: "number",
    env: "ODS_RATE",
    default: "no limit",
    describe: "Requests started per second, at most.",
  },
  {
    flag: "retries",
    key: "retries",
    kind: "integer",
    env: "ODS_RETRIES",
    default: "5",
    describe: "Retries of a failed request (0-10).",
  },
  {
    flag: "retry-delay",
    key: "retryDelayMs",
    kind: "integer",
    env: "ODS_RETRY_DELAY",
    default: "500",
    describe: "First wait before a retry, in ms; doubles on each retry, with jitter.",
  },
  {
    flag: "timeout",
    key: "timeoutMs",
    kind: "integer",
    env: "ODS_TIMEOUT",
    default: "30000",
    describe:
      "Longest wait in ms to connect, for response headers, or between two chunks of a body.",
  },
  {
    flag: "quota-reserve",
    key: "quotaReserve",
    kind: "integer",
    env: "ODS_QUOTA_RESERVE",
    default: "100",
    describe: "Calls of the portal's quota (X-RateLimit-Remaining) to leave unspent.",
  },
  {
    flag: "records",
    key: "records",
    kind: "integer",
    env: "ODS_RECORDS",
    default: "5",
    describe: "Records sampled per dataset page (0 turns samples off).",
  },
  {
    flag: "lang",
    key: "lang",
    kind: "string",
    env: "ODS_LANG",
    default: "the portal's language",
    describe: `Interface language: ${LANGUAGES.join(" or ")}.`,
  },
  {
    flag: "title",
    key: "title",
    kind: "string",
    env: "ODS_TITLE",
    default: "“Open data catalog of <host>”",
    describe: "Site title.",
  },
  {
    flag: "time-zone",
    key: "timeZone",
    kind: "string",
    env: "ODS_TIME_ZONE",
    default: "UTC",
    describe: "Time zone dates are shown in.",
  },
  {
    flag: "base-path",
    key: "basePath",
    kind: "string",
    env: "ODS_BASE_PATH",
    default: "/",
    describe: "URL path the site is served under (e.g. /catalog/ on GitHub Pages).",
  },
  {
    flag: "templates",
    key: "templates",
    kind: "string",
    env: "ODS_TEMPLATES",
    default: "none",
    describe: "Folder of .eta templates that shadow the built-in ones.",
  },
  {
    flag: "public-portal",
    key: "publicPortal",
    kind: "string",
    env: "ODS_PUBLIC_PORTAL",
    default: "the portal's origin",
    describe: "Origin printed in links to the portal, when crawling through a mirror or proxy.",
  },
  {
    flag: "quiet",
    key: "quiet",
    kind: "boolean",
    default: "off",
    describe: "Print only warnings, errors and the summary.",
  },
  {
    flag: "verbose",
    key: "verbose",
    kind: "boolean",
    default: "off",
    describe: "Print every request retried and every decision.",
  },
  { flag: "help", key: "help", kind: "boolean", default: "off", describe: "Show this help." },
  {
    flag: "version",
    key: "version",
    kind: "boolean",
    default: "off",
    describe: "Show the version.",
  },
];

export const DEFAULTS: Config = {
  portal: undefined,
  publicPortal: undefined,
  outDir: "dist",
  cacheDir: ".cache",
  concurrency: 4,
  requestsPerSecond: undefined,
  retries: 5,
  retryDelayMs: 500,
  timeoutMs: 30_000,
  quotaReserve: 100,
  records: 5,
  lang: undefined,
  title: undefined,
  timeZone: "UTC",
  basePath: "/",
  templates: undefined,
  apiKey: undefined,
  verbosity: "normal",
};

export type RawSettings = Partial<Record<string, string | boolean>>;

/**
 * Merges the layers (flags over environment over defaults), validates every value and
 * throws one ConfigError listing all problems at once.
 */
export function resolveConfig(input: {
  flags: RawSettings;
  env: NodeJS.ProcessEnv;
  cwd?: string;
}): Config {
  const problems: string[] = [];
  const config: Config = { ...DEFAULTS };
  const raw = (spec: OptionSpec): string | boolean | undefined => {
    const flag = input.flags[spec.flag];
    if (flag !== undefined) return flag;
    return spec.env ? input.env[spec.env] : undefined;
  };
  for (const spec of OPTIONS) {
    const value = raw(spec);
    if (value === undefined || value === "") continue;
    const source = input.flags[spec.flag] !== undefined ? `--${spec.flag}` : spec.env;
    const parsed = parseValue(spec.kind, value);
    if (parsed === undefined) {
      problems.push(`${source} must be ${KIND_NAMES[spec.kind]}, got ${JSON.stringify(value)}.`);
      continue;
    }
    (config as unknown as Record<string, unknown>)[spec.key] = parsed;
  }
  const flags = config as unknown as Record<string, unknown>;
  config.verbosity = flags.verbose ? "verbose" : flags.quiet ? "quiet" : "normal";
  delete flags.quiet;
  delete flags.verbose;
  delete flags.help;
  delete flags.version;

  if (config.portal !== undefined) {
    const root = apiRootOf(config.portal);
    if (typeof root === "string") config.portal = root;
    else problems.push(root.problem);
  }
  if (config.publicPortal !== undefined) {
    const origin = originOf(config.publicPortal);
    if (origin) config.publicPortal = origin;
    else
      problems.push(
        `--public-portal must be an http(s) origin such as https://data.example.org, got ${config.publicPortal}.`,
      );
  }
  if (config.concurrency < 1 || config.concurrency > 64)
    problems.push("--concurrency must be between 1 and 64.");
  if (config.retries < 0 || config.retries > 10)
    problems.push("--retries must be between 0 and 10.");
  if (config.timeoutMs < 1 || config.timeoutMs > 600_000)
    problems.push("--timeout must be between 1 and 600000 ms.");
  if (config.quotaReserve < 0) problems.push("--quota-reserve must be 0 or more.");
  if (config.records < 0 || config.records > 100)
    problems.push("--records must be between 0 and 100.");
  if (config.retryDelayMs < 0 || config.retryDelayMs > 60_000)
    problems.push("--retry-delay must be between 0 and 60000 ms.");
  if (config.requestsPerSecond !== undefined && config.requestsPerSecond <= 0) {
    problems.push("--rate must be a positive number of requests per second.");
  }
  if (config.lang !== undefined && !isLang(config.lang)) {
    problems.push(`--lang must be one of ${LANGUAGES.join(", ")}, got ${config.lang}.`);
  }
  if (!isTimeZone(config.timeZone))
    problems.push(`--time-zone ${config.timeZone} is not a known IANA time zone.`);
  if (!/^[A-Za-z0-9/_.~-]*$/.test(config.basePath)) {
    problems.push(`--base-path may hold only letters, digits, / _ . ~ -, got ${config.basePath}.`);
  }

  const key = input.env.ODS_API_KEY?.trim();
  config.apiKey = key === "" ? undefined : key;
  // Folders are relative to where the command runs; resolved once, here.
  const cwd = input.cwd ?? process.cwd();
  config.outDir = resolve(cwd, config.outDir);
  config.cacheDir = resolve(cwd, config.cacheDir);
  if (config.templates !== undefined) config.templates = resolve(cwd, config.templates);

  if (problems.length > 0) {
    throw new ConfigError(
      problems.length === 1 ? (problems[0] ?? "") : `Invalid settings: ${problems.join(" ")}`,
    );
  }
  return config;
}

/** `https://host`, `https://host/`, `https://host/api/v2[/]` → `https://host/api/v2`. */
export function apiRootOf(value: string): string | { problem: string } {
  const problem = `--portal must be a portal origin (https://host) or its API root (https://host/api/v2), got ${value}.`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { problem };
  if (url.username || url.password)
    return { problem: "--portal must not carry credentials; set ODS_API_KEY instead." };
  if (url.searchParams.has("apikey"))
    return { problem: "--portal must not carry an apikey parameter; set ODS_API_KEY instead." };
  const path = url.pathname.replace(/\/+$/, "");
  if (path !== "" && path !== "/api/v2") return { problem };
  return `${url.origin}/api/v2`;
}

// --- internal ---

const KIND_NAMES: Record<Kind, string> = {
  string: "text",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
};

function parseValue(kind: Kind, value: string | boolean): string | number | boolean | undefined {
  switch (kind) {
    case "boolean":
      if (typeof value === "boolean") return value;
      return /^(1|true|yes)$/i.test(value)
        ? true
        : /^(0|false|no)$/i.test(value)
          ? false
          : undefined;
    case "integer": {
      const n = Number(value);
      return typeof value === "string" && /^\s*-?\d+\s*$/.test(value) && Number.isSafeInteger(n)
        ? n
        : undefined;
    }
    case "number": {
      const n = Number(value);
      return typeof value === "string" && value.trim() !== "" && Number.isFinite(n) ? n : undefined;
    }
    case "string":
      return typeof value === "string" ? value : undefined;
  }
}

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
