/**
 * Maps a request target onto a built site, before any file system access: the only place that
 * decides whether a URL may name a file. Every segment is percent-decoded on its own, and one
 * that decodes to `.`, `..`, a separator (`/`, `\`) or NUL is refused, so no URL, however
 * encoded, names anything outside the site folder.
 */
export type RequestPath =
  /** Under the base path: decoded segments, and whether the URL ended with `/`. */
  | { kind: "site"; segments: string[]; slash: boolean; query: string }
  /** The base path without its trailing slash: send the visitor to `location`. */
  | { kind: "redirect"; location: string }
  /** Not under the base path, or empty segments (`//`): no such page. */
  | { kind: "missing" }
  /** Malformed or hostile: dot segments, encoded separators, NUL, bad percent-encoding. */
  | { kind: "bad" };

/** `catalog`, `/catalog` and `/catalog/` all mean `/catalog/`; `""` and `/` mean `/`. */
export function normalizeBasePath(basePath: string): string {
  const inner = basePath.replace(/^\/+|\/+$/g, "");
  if (inner === "") return "/";
  const segments = inner.split("/");
  if (!/^[A-Za-z0-9/_.~-]+$/.test(inner) || segments.some((s) => s === "" || /^\.\.?$/.test(s))) {
    throw new Error(`Invalid base path ${JSON.stringify(basePath)}.`);
  }
  return `/${inner}/`;
}

/** `basePath` must be normalized (see `normalizeBasePath`). */
export function requestPath(url: string, basePath: string): RequestPath {
  if (!url.startsWith("/")) return { kind: "bad" };
  const queryAt = url.search(/[?#]/);
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? "" : url.slice(queryAt).replace(/#.*$/, "");
  if (path.includes("\\") || path.includes("\0")) return { kind: "bad" };
  if (`${path}/` === basePath) return { kind: "redirect", location: basePath + query };
  if (!path.startsWith(basePath)) return { kind: "missing" };
  const rest = path.slice(basePath.length);
  const raw = rest === "" ? [] : rest.split("/");
  const slash = rest === "" || rest.endsWith("/");
  if (slash && raw.length > 0) raw.pop();
  const segments: string[] = [];
  for (const part of raw) {
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      return { kind: "bad" };
    }
    if (segment === "." || segment === ".." || /[/\\\0]/.test(segment)) return { kind: "bad" };
    if (segment === "") return { kind: "missing" };
    segments.push(segment);
  }
  return { kind: "site", segments, slash, query };
}
