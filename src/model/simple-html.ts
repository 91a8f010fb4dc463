import { safeUrl } from "./urls.js";

/**
 * Most descriptions are simple HTML: paragraphs, lists, headings, bold and italics, plain
 * links, written cleanly. For those, this gives what `sanitize()` (sanitize-html) gives, in
 * one pass without a parser (a tenth of the time it takes to make a dataset's page went to
 * sanitize-html). Anything else returns undefined, and sanitize-html decides: attributes other
 * than a plain `href`, entities, comments, any tag not listed here, upper case, unbalanced or
 * implicitly closed tags (a block inside a paragraph, a list inside a list), and paragraphs
 * sanitize-html would drop as empty.
 *
 * The output is built from the tokens read, never copied from the input: each tag is written
 * anew from this allowlist (a subset of `sanitize()`'s), each text escaped, each link checked
 * by `safeUrl`. So whatever it accepts, it prints nothing the allowlist does not allow; a test
 * checks, on generated inputs, that it prints exactly what sanitize-html does.
 */
export function sanitizeSimple(html: string, base: string): string | undefined {
  let out = "";
  /** Open elements, as written in the input. */
  const open: string[] = [];
  /**
   * Whether the open block (blocks open at the top level only) holds visible text yet:
   * sanitize-html drops a paragraph that does not.
   */
  let paragraphText = false;
  let at = 0;
  while (at < html.length) {
    const end = nextTag(html, at);
    if (end > at) {
      const text = html.slice(at, end);
      const visible = text.trim() !== "";
      // Entities and control characters are for the parser; text in a list, between items,
      // is only allowed as whitespace.
      if (UNSAFE_TEXT.test(text) || (visible && LISTS.has(open[open.length - 1] ?? ""))) {
        return undefined;
      }
      out += MARKUP.test(text) ? escapeText(text) : text;
      if (visible) paragraphText = true;
      at = end;
      continue;
    }
    TAG.lastIndex = at;
    const tag = TAG.exec(html);
    if (!tag) return undefined;
    at = TAG.lastIndex;
    const [, slash, name = "", href, selfClosing] = tag;
    const top = open[open.length - 1];
    if (slash) {
      if (href !== undefined || selfClosing || name !== top) return undefined;
      open.pop();
      if (name === "p" && !paragraphText) return undefined;
      out += `</${HEADINGS[name] ?? name}>`;
      continue;
    }
    if (href !== undefined && name !== "a") return undefined;
    if (VOID.has(name)) {
      // A rule belongs between blocks; a line break anywhere.
      if (name === "hr" && top !== undefined) return undefined;
      out += `<${name} />`;
      continue;
    }
    if (selfClosing) return undefined;
    if (BLOCKS.has(name) || LISTS.has(name)) {
      // At the top level only: inside anything else, the parser closes or nests them its way.
      if (top !== undefined) return undefined;
      paragraphText = false;
    } else if (name === "li") {
      if (!LISTS.has(top ?? "")) return undefined;
    } else if (!INLINE.has(name) || LISTS.has(top ?? "") || (name === "a" && open.includes("a"))) {
      return undefined;
    }
    open.push(name);
    out += name === "a" ? openLink(href, base) : `<${HEADINGS[name] ?? name}>`;
  }
  return open.length === 0 ? out : undefined;
}

// --- internal ---

/**
 * A tag in lower case, with no attribute but an `a`'s double-quoted `href` free of entities
 * and quotes (group 3), and maybe a self-closing slash (group 4).
 */
const TAG = /<(\/?)([a-z][a-z0-9]*)(?: href="([^"&<>]*)")?( ?\/)?>/y;
/** `&` starts an entity unless whitespace or the end follows; NUL and CR the parser changes. */
const UNSAFE_TEXT = /&(?![ \t\n]|$)|[\0\r]/;
/** Characters text is escaped for. */
const MARKUP = /[&<>]/;

/**
 * Where the next tag starts, or the end: a `<` followed by whitespace is text to the parser
 * ("values < 5"), and escaped like the rest.
 */
function nextTag(html: string, from: number): number {
  let lt = html.indexOf("<", from);
  while (lt !== -1 && /[ \t\n]/.test(html[lt + 1] ?? "")) lt = html.indexOf("<", lt + 1);
  return lt === -1 ? html.length : lt;
}

const BLOCKS = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"]);
const LISTS = new Set(["ul", "ol"]);
const INLINE = new Set(["a", "b", "strong", "i", "em", "u", "s", "sub", "sup", "small", "code"]);
const VOID = new Set(["br", "hr"]);
/** The page has one h1 and section h2s: description headings nest below them. */
export const HEADINGS: Record<string, string> = { h1: "h3", h2: "h3" };

function openLink(href: string | undefined, base: string): string {
  const url = href === undefined ? undefined : safeUrl(href, base);
  return url === undefined
    ? "<a>"
    : `<a href="${escapeAttribute(url)}" rel="nofollow noopener noreferrer">`;
}

// Not render/engine.ts's escapeHtml, which also writes `&#39;` for `'`: these write exactly the
// entities sanitize-html writes, so both paths give the same bytes (and `sanitizedText` can
// decode them).
function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
