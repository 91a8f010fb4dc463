/**
 * Every failure the user can act on is a `SiteError`: the CLI prints its message on one line,
 * without a stack trace. Anything else reaching the top is a bug and is printed with its stack.
 */
export class SiteError extends Error {
  override name = "SiteError";
}

/** Bad flags, environment or config file. */
export class ConfigError extends SiteError {
  override name = "ConfigError";
}

/** The portal could not be reached or answered with an error status. */
export class FetchError extends SiteError {
  override name = "FetchError";
  readonly url: string;
  readonly status: number | undefined;
  /** Whether trying again later may succeed (network faults, 5xx, 429). */
  readonly transient: boolean;

  constructor(
    message: string,
    options: { url: string; status?: number; transient: boolean; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.url = options.url;
    this.status = options.status;
    this.transient = options.transient;
  }
}

/** The portal's daily (or hourly) quota is spent; retrying before `resetAt` is pointless. */
export class QuotaError extends FetchError {
  override name = "QuotaError";
  readonly resetAt: Date | undefined;

  constructor(message: string, options: { url: string; resetAt: Date | undefined }) {
    super(message, { url: options.url, status: 429, transient: false });
    this.resetAt = options.resetAt;
  }
}

/** A response body that is not JSON of the shape the ODS API v2 documents. */
export class ApiShapeError extends SiteError {
  override name = "ApiShapeError";
  readonly url: string;
  readonly path: string;

  constructor(options: { url: string; path: string; expected: string; got: unknown }) {
    super(
      `Unexpected API response from ${options.url} at ${options.path}: expected ${options.expected}, got ${describe(options.got)}.`,
    );
    this.url = options.url;
    this.path = options.path;
  }
}

/** A template failed to compile or render. */
export class TemplateError extends SiteError {
  override name = "TemplateError";
}

/** The output folder is unsafe to write or two pages claim one path. */
export class OutputError extends SiteError {
  override name = "OutputError";
}

/** The folder of a previous crawl cannot be used. */
export class CacheError extends SiteError {
  override name = "CacheError";
}

/** Names a JSON value's type for error messages, without echoing (possibly huge) content. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") {
    return value.length > 40 ? `a string ("${value.slice(0, 37)}...")` : `"${value}"`;
  }
  if (typeof value === "object") return "an object";
  if (value === undefined) return "nothing";
  return `${typeof value} ${String(value)}`;
}

/** The message of an unknown thrown value, for logs. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
