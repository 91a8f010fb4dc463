import { Parser } from "htmlparser2";
import sanitizeHtml from "sanitize-html";
import { HEADINGS, sanitizeSimple } from "./simple-html.js";
import { hasSafeScheme, safeUrl } from "./urls.js";

/**
 * HTML that passed the allowlist below. Templates print it unescaped; every other value is
 * escaped (see render/engine.ts), so the only way HTML from the API reaches a page is
 * through `sanitize()`, or `checkedSanitized()` for its output kept in the cache.
 */
export class SafeHtml {
  readonly html: string;
  /** Made by `sanitize()`, whose output has one simple grammar (see `sanitizedText`). */
  readonly #sanitized: boolean;
  private constructor(html: string, sanitized: boolean) {
    this.html = html;
    this.#sanitized = sanitized;
  }
  toString(): string {
    return this.html;
  }
  /** The visible text, as `toPlainText` gives it. */
  text(): string {
    return this.#sanitized ? sanitizedText(this.html) : toPlainText(this.html);
  }
  /** For HTML this module built itself from escaped parts. */
  static trusted(html: string): SafeHtml {
    return new SafeHtml(html, false);
  }
  /** `sanitize()`'s output; the key, this module's alone, keeps anything else from claiming it. */
  static sanitized(html: string, key: typeof SANITIZER): SafeHtml {
    if (key !== SANITIZER) throw new Error("Only sanitize() makes sanitized HTML.");
    return new SafeHtml(html, true);
  }
}

const SANITIZER: unique symbol = Symbol("sanitize");

/**
 * ODS descriptions are editor-written HTML (often pasted from Word). Keep structure and
 * links, drop everything that can run, load or restyle: no script, style, iframe, img,
 * form, svg, math, textarea or attributes other than those listed. Never widen this to
 * `textarea`/`xmp`/`svg` (sanitize-html 2.17.5 has known mXSS bypasses with those).
 */
const ALLOWED_TAGS = [
  ...["p", "br", "hr", "a", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "code"],
  ...["b", "strong", "i", "em", "u", "s", "sub", "sup", "small", "abbr"],
  ...["h3", "h4", "h5", "h6", "table", "caption", "thead", "tbody", "tr", "th", "td"],
];

/** Sanitizes description HTML; relative links resolve against the portal they were written for. */
export function sanitize(html: string, options: { base: string }): SafeHtml {
  const clean = sanitizeSimple(html, options.base) ?? sanitizeParsed(html, options.base);
  return SafeHtml.sanitized(clean.trim(), SANITIZER);
}

/**
 * `sanitize()` by sanitize-html, for any HTML: what `sanitizeSimple` gives for the simple HTML
 * it takes (exported for the test that checks so).
 */
export function sanitizeParsed(html: string, base: string): string {
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ["href", "title", "rel"], abbr: ["title"], td: SPANS, th: SPANS },
    allowedSchemes: ["http", "https", "mailto"],
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    // Word-pasted descriptions are full of empty paragraphs; they only add blank space.
    exclusiveFilter: (frame) =>
      frame.tag === "p" && frame.text.trim() === "" && frame.mediaChildren.length === 0,
    transformTags: {
      ...HEADINGS,
      a: (tagName, attribs) => {
        const href = attribs.href ? safeUrl(attribs.href, base) : undefined;
        const kept: Record<string, string> = {};
        if (href) {
          kept.href = href;
          kept.rel = "nofollow noopener noreferrer";
        }
        if (attribs.title) kept.title = attribs.title;
        return { tagName, attribs: kept };
      },
    },
  });
}

const SPANS = ["colspan", "rowspan"];

/**
 * `sanitize()`'s output as a stored model kept it (stored-model.ts), if it has that output's
 * grammar: the allowlist's tags, balanced, lower case, with the allowlist's attributes only
 * (double-quoted, no markup in them), links http(s) or mailto, and text with no markup and no
 * entity but the four the sanitizer writes. Such HTML holds nothing the allowlist does not
 * allow, whoever wrote it (the cache folder is not trusted more than the API); undefined
 * otherwise. A regular-expression scan: parsing with sanitize-html again cost as much as the
 * rest of reading a model.
 */
export function checkedSanitized(html: string): SafeHtml | undefined {
  const open: string[] = [];
  let at = 0;
  OUTPUT_TAG.lastIndex = 0;
  for (let tag = OUTPUT_TAG.exec(html); tag; tag = OUTPUT_TAG.exec(html)) {
    if (!isOutputText(html.slice(at, tag.index))) return undefined;
    at = OUTPUT_TAG.lastIndex;
    const [, slash, name = "", attributes = "", selfClosing] = tag;
    if (!ALLOWED.has(name)) return undefined;
    if (slash) {
      if (attributes || selfClosing || open.pop() !== name) return undefined;
      continue;
    }
    for (const [, attribute = "", value = ""] of attributes.matchAll(OUTPUT_ATTRIBUTE)) {
      if (!ALLOWED_ATTRIBUTES[name]?.includes(attribute)) return undefined;
      if (attribute === "href" && !hasSafeScheme(value)) return undefined;
      if (!isOutputText(value)) return undefined;
    }
    if (VOID_TAGS.has(name) !== Boolean(selfClosing)) return undefined;
    if (!selfClosing) open.push(name);
  }
  if (open.length > 0 || !isOutputText(html.slice(at))) return undefined;
  return SafeHtml.sanitized(html, SANITIZER);
}

const ALLOWED = new Set(ALLOWED_TAGS);
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ["href", "title", "rel"],
  abbr: ["title"],
  td: SPANS,
  th: SPANS,
};
const VOID_TAGS = new Set(["br", "hr"]);
/** A tag as the sanitizer writes one; its attributes are read by `OUTPUT_ATTRIBUTE`. */
const OUTPUT_TAG = /<(\/?)([a-z][a-z0-9]*)((?: [a-z]+="[^"<>]*")*)( \/)?>/g;
const OUTPUT_ATTRIBUTE = / ([a-z]+)="([^"]*)"/g;

/** Text between tags: no `<` or `>`, and `&` only in the entities the sanitizer writes. */
function isOutputText(text: string): boolean {
  return !/[<>]|&(?!(?:amp|lt|gt|quot);)/.test(text);
}

const BLOCKS = new Set([
  ...["p", "br", "div", "li", "ul", "ol", "tr", "td", "th", "table", "hr", "blockquote"],
  ...["h1", "h2", "h3", "h4", "h5", "h6", "pre", "dd", "dt", "section", "article"],
]);
const HIDDEN = new Set(["script", "style", "noscript", "template", "textarea", "title"]);

/** The visible text of an HTML fragment, whitespace collapsed, entities decoded. */
export function toPlainText(html: string): string {
  // Most field descriptions are plain text: nothing to parse.
  if (!/[<&]/.test(html)) return collapse(html);
  const parts: string[] = [];
  let hidden = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (HIDDEN.has(name)) hidden++;
        if (BLOCKS.has(name)) parts.push(" ");
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
        if (BLOCKS.has(name)) parts.push(" ");
      },
      ontext(text) {
        if (hidden === 0) parts.push(text);
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return collapse(parts.join(""));
}

/**
 * `toPlainText` of sanitize-html's output, without a second parse (a tenth of a page's
 * model time). That output has one grammar: it writes only allowed tags, escapes every `<`
 * and `>` in text and attribute values, and its only entities are the four it writes
 * (`&amp;` `&lt;` `&gt;` `&quot;`); comments, CDATA and hidden elements are gone. So a tag is
 * `<` to the next `>`, and entities are decoded once the tags are out.
 */
function sanitizedText(html: string): string {
  return collapse(
    html
      .replace(TAG, (_, name: string) => (BLOCKS.has(name.toLowerCase()) ? " " : ""))
      .replace(ENTITY, (entity) => ENTITIES[entity] ?? entity),
  );
}

const TAG = /<\/?([a-zA-Z][a-zA-Z0-9]*)[^>]*>/g;
const ENTITY = /&(?:amp|lt|gt|quot);/g;
const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"' };

/** Runs of whitespace as one space, none at either end. */
export function collapse(text: string): string {
  // Most text has nothing to collapse: a test allocates nothing, a replace a new string.
  return UNCOLLAPSED.test(text) ? text.replace(/\s+/g, " ").trim() : text;
}

/** Whitespace other than a single space between words. */
const UNCOLLAPSED = /[^\S ]| {2}|^ | $/;

/** Cuts text at a word boundary to at most `max` characters, adding an ellipsis. */
export function excerpt(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, "")}…`;
}
