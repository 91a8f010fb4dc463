import { LANGUAGES, type Lang } from "../render/i18n.js";

/** Everything a build needs to know, validated. Produced once by `resolveConfig`. */
export interface Config {
  /** API root of the portal (`https://host/api/v2`); undefined builds the bundled demo. */
  portal: string | undefined;
  /** Origin printed in links to the portal; defaults to the portal's own origin. */
  publicPortal: string | undefined;
  /** The site's public URL (`https://data.example.org/catalog/`), for canonical links, the sitemap and feeds. */
  siteUrl: string;
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
  /** Datasets per listing page. */
  pageSize: number;
  /** Interface language; undefined means the language most of the portal's datasets use. */
  lang: Lang | undefined;
  title: string | undefined;
  timeZone: string;
  /** URL path every internal link starts with; taken from `siteUrl`. */
  basePath: string;
  /** A folder whose templates shadow the built-in ones of the same name. */
  templates: string | undefined;
  /** Build the search index. */
  search: boolean;
  /** From ODS_API_KEY only: never from flags or files, so it never lands in shell history or git. */
  apiKey: string | undefined;
  verbosity: "quiet" | "normal" | "verbose";
}

export type Kind = "string" | "integer" | "number" | "boolean";

/**
 * One setting: its flag, environment variable, config-file key, type and default. This
 * table drives flag parsing, the config file, `--help` and the README's table (a test
 * checks the README documents every row).
 */
export interface OptionSpec {
  flag: string;
  /** The key in the config file and in `Config`; absent for flags that are not settings. */
  key?: keyof Config;
  kind: Kind;
  /** What the value is, in `--help` and the README (`--out <dir>`). */
  arg?: string;
  env?: string;
  default: string;
  describe: string;
}

export const OPTIONS: OptionSpec[] = [
  {
    flag: "portal",
    arg: "url",
    key: "portal",
    kind: "string",
    env: "ODS_PORTAL",
    default: "the bundled demo portal",
    describe: "Portal to publish: its origin (https://host) or API root (https://host/api/v2).",
  },
  {
    flag: "site-url",
    arg: "url",
    key: "siteUrl",
    kind: "string",
    env: "ODS_SITE_URL",
    default: "http://localhost:4173/ (the preview; a warning with --portal)",
    describe:
      "Public URL of the site, for canonical links, the sitemap and feeds; its path is the base path.",
  },
  {
    flag: "out",
    arg: "dir",
    key: "outDir",
    kind: "string",
    env: "ODS_OUT",
    default: "dist",
    describe: "Output folder, replaced atomically on success.",
  },
  {
    flag: "cache-dir",
    arg: "dir",
    key: "cacheDir",
    kind: "string",
    env: "ODS_CACHE_DIR",
    default: ".cache",
    describe: "Folder keeping the last crawl, for incremental rebuilds.",
  },
  {
    flag: "config",
    arg: "file",
    kind: "string",
    env: "ODS_CONFIG",
    default: "ods-catalog.config.json if present",
    describe: "Config file (JSON).",
  },
  {
    flag: "title",
    arg: "text",
    key: "title",
    kind: "string",
    env: "ODS_TITLE",
    default: "“Open data catalog of <host>”",
    describe: "Site title.",
  },
  {
    flag: "lang",
    arg: "en|fr",
    key: "lang",
    kind: "string",
    env: "ODS_LANG",
    default: "the portal's language",
    describe: `Interface language: ${LANGUAGES.join(" or ")}.`,
  },
  {
    flag: "base-path",
    arg: "path",
    key: "basePath",
    kind: "string",
    env: "ODS_BASE_PATH",
    default: "the path of --site-url",
    describe: "URL path the site is served under (e.g. /catalog/ on GitHub Pages).",
  },
  {
    flag: "time-zone",
    arg: "zone",
    key: "timeZone",
    kind: "string",
    env: "ODS_TIME_ZONE",
    default: "UTC",
    describe: "Time zone dates are shown in.",
  },
  {
    flag: "page-size",
    arg: "n",
    key: "pageSize",
    kind: "integer",
    env: "ODS_PAGE_SIZE",
    default: "50",
    describe: "Datasets per listing page (10-500).",
  },
  {
    flag: "records",
    arg: "n",
    key: "records",
    kind: "integer",
    env: "ODS_RECORDS",
    default: "5",
    describe: "Records sampled per dataset page (0 turns samples off).",
  },
  {
    flag: "templates",
    arg: "dir",
    key: "templates",
    kind: "string",
    env: "ODS_TEMPLATES",
    default: "none",
    describe: "Folder of .eta templates that shadow the built-in ones.",
  },
  {
    flag: "skip-search",
    kind: "boolean",
    env: "ODS_SKIP_SEARCH",
    default: "off",
    describe: "Do not build the search index.",
  },
  {
    flag: "concurrency",
    arg: "n",
    key: "concurrency",
    kind: "integer",
    env: "ODS_CONCURRENCY",
    default: "4",
    describe: "Requests in flight at once (1-64).",
  },
  {
    flag: "rate",
    arg: "n",
    key: "requestsPerSecond",
    kind: "number",
    env: "ODS_RATE",
    default: "no limit",
    describe: "Requests started per second, at most.",
  },
  {
    flag: "retries",
    arg: "n",
    key: "retries",
    kind: "integer",
    env: "ODS_RETRIES",
    default: "5",
    describe: "Retries of a failed request (0-10).",
  },
  {
    flag: "retry-delay",
    arg: "ms",
    key: "retryDelayMs",
    kind: "integer",
    env: "ODS_RETRY_DELAY",
    default: "500",
    describe: "First wait before a retry, in ms; doubles on each retry, with jitter.",
  },
  {
    flag: "timeout",
    arg: "ms",
    key: "timeoutMs",
    kind: "integer",
    env: "ODS_TIMEOUT",
    default: "30000",
    describe:
      "Longest wait in ms to connect, for response headers, or between two chunks of a body.",
  },
  {
    flag: "quota-reserve",
    arg: "n",
    key: "quotaReserve",
    kind: "integer",
    env: "ODS_QUOTA_RESERVE",
    default: "100",
    describe: "Calls of the portal's quota (X-RateLimit-Remaining) to leave unspent.",
  },
  {
    flag: "public-portal",
    arg: "url",
    key: "publicPortal",
    kind: "string",
    env: "ODS_PUBLIC_PORTAL",
    default: "the portal's origin",
    describe: "Origin printed in links to the portal, when crawling through a mirror or proxy.",
  },
  {
    flag: "port",
    arg: "n",
    kind: "string",
    default: "4173",
    describe: "Port of `ods-catalog preview`.",
  },
  {
    flag: "quiet",
    kind: "boolean",
    default: "off",
    describe: "Print only warnings, errors and the summary.",
  },
  {
    flag: "verbose",
    kind: "boolean",
    default: "off",
    describe: "Print every request retried and every decision.",
  },
  { flag: "help", kind: "boolean", default: "off", describe: "Show this help." },
  { flag: "version", kind: "boolean", default: "off", describe: "Show the version." },
];

/** The demo portal is previewed locally; a real portal's site needs its own URL. */
export const DEMO_SITE_URL = "http://localhost:4173/";

export const DEFAULTS: Config = {
  portal: undefined,
  publicPortal: undefined,
  siteUrl: DEMO_SITE_URL,
  outDir: "dist",
  cacheDir: ".cache",
  concurrency: 4,
  requestsPerSecond: undefined,
  retries: 5,
  retryDelayMs: 500,
  timeoutMs: 30_000,
  quotaReserve: 100,
  records: 5,
  pageSize: 50,
  lang: undefined,
  title: undefined,
  timeZone: "UTC",
  basePath: "/",
  templates: undefined,
  search: true,
  apiKey: undefined,
  verbosity: "normal",
};
