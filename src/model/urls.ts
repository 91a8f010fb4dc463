/**
 * URL rules for everything printed on a page: only http, https and mailto survive, so a
 * `javascript:` or `data:` value from the API can never become a link.
 */
const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** The absolute form of `value` (resolved against `base`), or undefined when unsafe. */
export function safeUrl(value: unknown, base?: string): string | undefined {
  if (typeof value !== "string") return undefined;
  // Browsers ignore tabs and newlines inside URLs ("java\nscript:"); so must we.
  const trimmed = value.replace(/[\t\n\r]/g, "").trim();
  if (trimmed === "") return undefined;
  let url: URL;
  try {
    url = base === undefined ? new URL(trimmed) : new URL(trimmed, base);
  } catch {
    return undefined;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return undefined;
  if (url.protocol !== "mailto:" && url.hostname === "") return undefined;
  return url.href;
}

/**
 * Whether a URL read back from the cache, which `safeUrl` made absolute when it was stored,
 * still starts with a scheme `safeUrl` lets through: what keeps a stored link from being a
 * `javascript:` one, without parsing it again.
 */
export function hasSafeScheme(url: string): boolean {
  return SAFE_SCHEME.test(url);
}
const SAFE_SCHEME = /^(?:https?:\/\/|mailto:)/i;

/** Whether `url` is on `origin` (scheme, host and port), the crawler's same-origin rule. */
export function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}

/** Appends `/segment` to a URL path, encoding the segment (ids may hold `@`, `/`, spaces). */
export function appendPath(base: string, ...segments: string[]): string {
  const parsed = parseBase(base);
  const pathname = [parsed.path, ...segments.map(encodeURIComponent)].join("/");
  // An http(s) URL without credentials prints as scheme, host and path: built as a string, it
  // skips the setters' second parse (a dataset page appends a dozen paths). A `.` or `..`
  // segment is left to the setter, which resolves it.
  if (parsed.prefix !== undefined && !segments.some((s) => s === "." || s === "..")) {
    return `${parsed.prefix}${pathname || "/"}`;
  }
  const url = new URL(base);
  url.search = "";
  url.hash = "";
  url.pathname = pathname;
  return url.href;
}

/**
 * A base URL's path without its trailing slashes, and its scheme and host when it prints as
 * them. The last base is remembered: a page appends several paths to the same one in a row
 * (its exports, its attachments), and parsing a URL costs more than what is appended.
 */
function parseBase(base: string): { path: string; prefix: string | undefined } {
  if (base !== lastBase.base) {
    const url = new URL(base);
    const plain =
      (url.protocol === "https:" || url.protocol === "http:") &&
      url.username === "" &&
      url.password === "";
    lastBase = {
      base,
      path: url.pathname.replace(/\/+$/, ""),
      prefix: plain ? `${url.protocol}//${url.host}` : undefined,
    };
  }
  return lastBase;
}
let lastBase: { base: string; path: string; prefix: string | undefined } = {
  base: "",
  path: "",
  prefix: undefined,
};

/** Sets (replaces) query parameters on a URL. */
export function withQuery(url: string, params: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(params)) parsed.searchParams.set(key, value);
  return parsed.href;
}

/** `url` moved from origin `from` to origin `to`: API links printed on the portal's public origin. */
export function swapOrigin(url: string, from: string, to: string): string {
  return from !== to && url.startsWith(`${from}/`) ? to + url.slice(from.length) : url;
}
