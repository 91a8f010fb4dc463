import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Parser } from "htmlparser2";

/** Every `href`/`src` of a page with the tag it sits on. */
export function linksOf(html: string): Array<{ tag: string; attribute: string; value: string }> {
  const found: Array<{ tag: string; attribute: string; value: string }> = [];
  const parser = new Parser({
    onopentag(tag, attributes) {
      for (const attribute of ["href", "src"]) {
        const value = attributes[attribute];
        if (value !== undefined) found.push({ tag, attribute, value });
      }
    },
  });
  parser.write(html);
  parser.end();
  return found;
}

/**
 * Internal links (root-relative, under `basePath`) whose target file does not exist in the
 * built site. `/x/` needs `x/index.html`; fragments and queries are ignored.
 */
export function brokenInternalLinks(outDir: string, pages: string[], basePath = "/"): string[] {
  const broken: string[] = [];
  for (const page of pages) {
    const html = readFileSync(join(outDir, page), "utf8");
    for (const { value } of linksOf(html)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith("#")) continue;
      if (!value.startsWith(basePath)) {
        broken.push(`${page}: ${value} (not under ${basePath})`);
        continue;
      }
      const path = decodeURIComponent(value.slice(basePath.length).replace(/[?#].*$/, ""));
      const target = path === "" || path.endsWith("/") ? `${path}index.html` : path;
      if (!existsSync(join(outDir, target))) broken.push(`${page}: ${value}`);
    }
  }
  return broken;
}

/**
 * Anything in a page that could run script, load a third-party resource or restyle the
 * page: script elements other than our own files and JSON-LD, event handlers, inline
 * styles, frames and objects, and URLs with a scheme other than http(s)/mailto.
 */
export function activeContent(html: string): string[] {
  const found: string[] = [];
  const parser = new Parser({
    onopentag(tag, attributes) {
      if (tag === "script") {
        const own = attributes.src?.startsWith("/") && !attributes.src.startsWith("//");
        if (!own && attributes.type !== "application/ld+json") found.push("<script>");
      }
      if (
        ["iframe", "frame", "object", "embed", "style", "base", "svg", "math", "img"].includes(tag)
      ) {
        found.push(`<${tag}>`);
      }
      // Our own search forms (a GET to a page of this site) are fine; any other form is not.
      if (tag === "form" && !(attributes.method === "get" && attributes.action?.startsWith("/"))) {
        found.push("<form>");
      }
      if (
        tag === "link" &&
        attributes.rel !== "stylesheet" &&
        attributes.rel !== "icon" &&
        attributes.rel !== "canonical" &&
        attributes.rel !== "alternate"
      ) {
        found.push(`<link rel=${attributes.rel}>`);
      }
      for (const [key, value] of Object.entries(attributes)) {
        if (key.startsWith("on") || key === "style" || key === "srcdoc")
          found.push(`${tag}[${key}]`);
        if (
          ["href", "src", "action", "formaction", "data"].includes(key) &&
          /^\s*[a-z][a-z0-9+.-]*:/i.test(value) &&
          !/^(https?|mailto):/i.test(value.trim())
        ) {
          found.push(`${tag}[${key}=${value}]`);
        }
      }
    },
  });
  parser.write(html);
  parser.end();
  return found;
}
