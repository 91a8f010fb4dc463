import { resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { isLang, LANGUAGES } from "../render/i18n.js";
import type { ConfigFile } from "./file.js";
import {
  type Config,
  DEFAULTS,
  DEMO_SITE_URL,
  type Kind,
  OPTIONS,
  type OptionSpec,
} from "./options.js";

export type RawSettings = Partial<Record<string, string | boolean>>;

/**
 * Merges the layers, highest first: flags, environment, config file, defaults. Validates
 * every value and throws one ConfigError listing all problems at once. Relative folders are
 * resolved here: from the working directory for flags and environment, from the config
 * file's folder for the file.
 */
export function resolveConfig(input: {
  flags: RawSettings;
  env: NodeJS.ProcessEnv;
  file?: ConfigFile | undefined;
  cwd?: string;
  /** Told of settings that work but are probably not what the user wants. */
  warn?: (message: string) => void;
}): Config {
  const problems: string[] = [];
  const config: Config = { ...DEFAULTS };
  const settings = config as unknown as Record<string, unknown>;
  const cwd = input.cwd ?? process.cwd();
  const given = new Set<string>();
  const origin = new Map<string, string>();

  for (const spec of OPTIONS) {
    if (!spec.key) continue;
    const layer = pick(spec, input);
    if (!layer) continue;
    const parsed = parseValue(spec.kind, layer.value);
    if (parsed === undefined) {
      problems.push(
        `${layer.source} must be ${KIND_NAMES[spec.kind]}, got ${JSON.stringify(layer.value)}.`,
      );
      continue;
    }
    settings[spec.key] = parsed;
    given.add(spec.key);
    origin.set(spec.key, layer.base ?? cwd);
  }
  config.verbosity = input.flags.verbose ? "verbose" : input.flags.quiet ? "quiet" : "normal";
  const skip = input.flags["skip-search"] ?? input.env.ODS_SKIP_SEARCH;
  config.search = !(skip === true || (typeof skip === "string" && /^(1|true|yes)$/i.test(skip)));

  if (config.portal !== undefined) {
    const root = apiRootOf(config.portal);
    if (typeof root === "string") config.portal = root;
    else problems.push(root.problem);
    // A first try needs no public address; a site about to be published does.
    if (!given.has("siteUrl"))
      input.warn?.(
        `No --site-url given: canonical links, the sitemap and the feed point at ${DEMO_SITE_URL}, where \`npm run preview\` serves the site. Give --site-url with the site's public address (e.g. https://catalog.example.org/) before publishing it.`,
      );
  }
  const site = siteUrlOf(config.siteUrl);
  if (!site)
    problems.push(
      `--site-url must be an http(s) URL such as https://catalog.example.org/, got ${config.siteUrl}.`,
    );
  else {
    config.siteUrl = site.href;
    if (!given.has("basePath")) config.basePath = site.pathname;
    else if (normalizePath(config.basePath) !== site.pathname && given.has("siteUrl")) {
      problems.push(
        `--base-path ${config.basePath} disagrees with the path of --site-url ${config.siteUrl}; give one of them.`,
      );
    }
  }
  if (config.portal === undefined && !given.has("siteUrl") && given.has("basePath")) {
    config.siteUrl = new URL(normalizePath(config.basePath), DEMO_SITE_URL).href;
  }
  config.basePath = normalizePath(config.basePath);
  if (!/^[A-Za-z0-9/_.~-]*$/.test(config.basePath)) {
    problems.push(`--base-path may hold only letters, digits, / _ . ~ -, got ${config.basePath}.`);
  }
  if (config.publicPortal !== undefined) {
    const publicOrigin = httpOrigin(config.publicPortal);
    if (publicOrigin) config.publicPortal = publicOrigin;
    else
      problems.push(
        `--public-portal must be an http(s) origin such as https://data.example.org, got ${config.publicPortal}.`,
      );
  }
  problems.push(...rangeProblems(config));

  const key = input.env.ODS_API_KEY?.trim();
  config.apiKey = key === "" ? undefined : key;
  config.outDir = resolve(origin.get("outDir") ?? cwd, config.outDir);
  config.cacheDir = resolve(origin.get("cacheDir") ?? cwd, config.cacheDir);
  if (config.templates !== undefined)
    config.templates = resolve(origin.get("templates") ?? cwd, config.templates);

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

/** `/`, `/catalog/`: always leading and trailing slashes, no doubles. */
export function normalizePath(value: string): string {
  const trimmed = value.split("/").filter(Boolean).join("/");
  return trimmed === "" ? "/" : `/${trimmed}/`;
}

// --- internal ---

const KIND_NAMES: Record<Kind, string> = {
  string: "text",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
};

/** The highest layer that sets this option, with a name for error messages. */
function pick(
  spec: OptionSpec,
  input: { flags: RawSettings; env: NodeJS.ProcessEnv; file?: ConfigFile | undefined },
): { value: string | number | boolean; source: string; base?: string } | undefined {
  const flag = input.flags[spec.flag];
  if (flag !== undefined && flag !== "") return { value: flag, source: `--${spec.flag}` };
  const env = spec.env ? input.env[spec.env] : undefined;
  if (env !== undefined && env !== "" && spec.env) return { value: env, source: spec.env };
  const fromFile = spec.key && input.file ? input.file.values[spec.key] : undefined;
  if (fromFile !== undefined && input.file) {
    return { value: fromFile, source: `${spec.key} in ${input.file.path}`, base: input.file.dir };
  }
  return undefined;
}

function parseValue(
  kind: Kind,
  value: string | number | boolean,
): string | number | boolean | undefined {
  switch (kind) {
    case "boolean":
      if (typeof value === "boolean") return value;
      return typeof value === "string" && /^(1|true|yes)$/i.test(value)
        ? true
        : typeof value === "string" && /^(0|false|no)$/i.test(value)
          ? false
          : undefined;
    case "integer": {
      if (typeof value === "number") return Number.isSafeInteger(value) ? value : undefined;
      return typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : undefined;
    }
    case "number": {
      const n =
        typeof value === "number"
          ? value
          : typeof value === "string" && value.trim() !== ""
            ? Number(value)
            : Number.NaN;
      return Number.isFinite(n) ? n : undefined;
    }
    case "string":
      return typeof value === "string" ? value : undefined;
  }
}

function rangeProblems(config: Config): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  check(
    config.concurrency >= 1 && config.concurrency <= 64,
    "--concurrency must be between 1 and 64.",
  );
  check(config.retries >= 0 && config.retries <= 10, "--retries must be between 0 and 10.");
  check(
    config.retryDelayMs >= 0 && config.retryDelayMs <= 60_000,
    "--retry-delay must be between 0 and 60000 ms.",
  );
  check(
    config.timeoutMs >= 1 && config.timeoutMs <= 600_000,
    "--timeout must be between 1 and 600000 ms.",
  );
  check(config.quotaReserve >= 0, "--quota-reserve must be 0 or more.");
  check(config.records >= 0 && config.records <= 100, "--records must be between 0 and 100.");
  check(config.pageSize >= 10 && config.pageSize <= 500, "--page-size must be between 10 and 500.");
  check(
    config.requestsPerSecond === undefined || config.requestsPerSecond > 0,
    "--rate must be a positive number of requests per second.",
  );
  check(
    config.lang === undefined || isLang(config.lang),
    `--lang must be one of ${LANGUAGES.join(", ")}, got ${config.lang}.`,
  );
  check(
    isTimeZone(config.timeZone),
    `--time-zone ${config.timeZone} is not a known IANA time zone.`,
  );
  return problems;
}

function siteUrlOf(value: string): URL | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
    url.search = "";
    url.hash = "";
    url.pathname = normalizePath(url.pathname);
    return url;
  } catch {
    return undefined;
  }
}

function httpOrigin(value: string): string | undefined {
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
