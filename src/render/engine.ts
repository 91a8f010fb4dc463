import { existsSync, readFileSync } from "node:fs";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Eta } from "eta";
import { TemplateError } from "../errors.js";
import { SafeHtml } from "../model/sanitize.js";

/** The templates that ship with the tool. */
export const BUILTIN_TEMPLATES = fileURLToPath(new URL("../../templates/", import.meta.url));

export interface Engine {
  render(name: string, data: object): string;
  /** Folders templates are read from, the user's first. */
  readonly templateDirs: string[];
}

/**
 * The only user of Eta. Template names are root-relative (`pages/dataset`,
 * `partials/fields`); each is looked up first in the user's templates folder, so a file
 * there shadows the built-in one of the same name.
 *
 * Escaping: `<%= %>` escapes everything except `SafeHtml` (sanitized description HTML),
 * which prints as is. `<%~ %>` is kept for includes and the layout body only; a test checks
 * that templates use it for nothing else.
 */
export function createEngine(options: { userTemplates?: string | undefined } = {}): Engine {
  const roots = [options.userTemplates, BUILTIN_TEMPLATES]
    .filter((dir): dir is string => dir !== undefined)
    .map((dir) => resolve(dir));
  const eta = new Eta({
    views: BUILTIN_TEMPLATES,
    cache: true,
    autoEscape: true,
    escapeFunction: escapeHtml,
    autoTrim: [false, "nl"],
  });
  const lookup = new Map<string, string>();
  eta.resolvePath = (name: string) => {
    const cached = lookup.get(name);
    if (cached) return cached;
    const file = name.replace(/^\/+/, "") + (extname(name) ? "" : ".eta");
    if (file.split(/[\\/]/).includes(".."))
      throw new TemplateError(`Template name ${name} leaves the templates folder.`);
    for (const root of roots) {
      const candidate = join(root, file);
      if (candidate.startsWith(root + sep) && existsSync(candidate)) {
        lookup.set(name, candidate);
        return candidate;
      }
    }
    throw new TemplateError(`Template ${file} was not found in ${roots.join(" or ")}.`);
  };
  eta.readFile = (path: string) => readFileSync(path, "utf8");
  // A dataset's card appears on a dozen listings (three sort orders, each of its facet values):
  // rendered once per dataset, it is then reused, which makes listing pages several times
  // cheaper. Its inputs are the site and the dataset alone, by contract (README, Templates).
  const cards = new WeakMap<object, WeakMap<object, string>>();
  const renderTemplate = eta.render.bind(eta);
  eta.render = (template, data, meta) => {
    if (template !== CARD_TEMPLATE) return renderTemplate(template, data, meta);
    const { site, dataset } = data as { site?: unknown; dataset?: unknown };
    if (!isObject(site) || !isObject(dataset)) return renderTemplate(template, data, meta);
    const bySite = cards.get(site) ?? new WeakMap<object, string>();
    cards.set(site, bySite);
    let card = bySite.get(dataset);
    if (card === undefined) {
      card = renderTemplate(template, data, meta);
      // Made flat once: a rendered template is a rope of many small strings, and each page
      // listing the card would otherwise walk its rope again when its own text is encoded
      // (a third of a listing page's cost). V8 flattens a rope in place on charCodeAt.
      card.charCodeAt(0);
      bySite.set(dataset, card);
    }
    return card;
  };

  return {
    templateDirs: roots,
    render(name, data) {
      try {
        return eta.render(name, data);
      } catch (error) {
        if (error instanceof TemplateError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        throw new TemplateError(`Template ${name} failed: ${message}`, { cause: error });
      }
    },
  };
}

/** The partial of a dataset's card in listings; see the memo in `createEngine`. */
const CARD_TEMPLATE = "partials/dataset-item";

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML and XML (text and attribute values); SafeHtml passes through. */
export function escapeHtml(value: unknown): string {
  if (value instanceof SafeHtml) return value.html;
  if (value === undefined || value === null) return "";
  const text = String(value);
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c) : text;
}
