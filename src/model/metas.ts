import { type SafeHtml, sanitize } from "./sanitize.js";
import { safeUrl } from "./urls.js";

/** One metadata template (`default`, `custom`, `dcat`, …) as rows of typed values. */
export interface MetaTemplate {
  name: string;
  entries: MetaEntry[];
}

export interface MetaEntry {
  key: string;
  value: MetaValue;
}

/** A metadata value, typed so the renderer can format it for the site's language. */
export type MetaValue =
  | { kind: "text"; text: string }
  | { kind: "html"; html: SafeHtml }
  | { kind: "link"; url: string; text: string }
  | { kind: "date"; iso: string; dateOnly: boolean }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "list"; items: MetaValue[] }
  | { kind: "json"; text: string };

/**
 * Reads every metadata template generically, so templates this code has never seen (a
 * portal's own `custom` keys, `dcat`, `inspire`, app metas) are shown, not dropped.
 * `metas.default` comes first, in the order a reader looks for things; keys shown elsewhere
 * on the page (title, description, and the `shown` ones the page's summary prints) and
 * per-language copies (`title_en`) are left out.
 */
export function readMetaTemplates(
  metas: Record<string, Record<string, unknown>>,
  options: { base: string; shown?: ReadonlySet<string> },
): MetaTemplate[] {
  const names = Object.keys(metas).sort((a, b) =>
    a === "default" ? -1 : b === "default" ? 1 : a.localeCompare(b, "en"),
  );
  return names.flatMap((name) => {
    const template = metas[name] ?? {};
    const entries = orderedKeys(name, template, options.shown).flatMap((key) => {
      const value =
        name === "default" && key === "license"
          ? licenseValue(template)
          : readValue(template[key], options);
      return value ? [{ key, value }] : [];
    });
    return entries.length > 0 ? [{ name, entries }] : [];
  });
}

/** Keys of `metas.default` in display order; the rest follow alphabetically. */
export const DEFAULT_META_ORDER = [
  ...["publisher", "theme", "keyword", "license", "language", "modified", "data_processed"],
  ...["metadata_processed", "records_count", "update_frequency", "territory"],
  ...["geographic_reference", "geographic_area", "geometry_types", "bbox", "references"],
  ...["attributions", "source_domain_title", "source_domain", "source_domain_address"],
  "source_dataset",
];

// --- internal ---

const HIDDEN_DEFAULT_KEYS = new Set(["title", "description", "license_url"]);

function orderedKeys(
  name: string,
  template: Record<string, unknown>,
  shown: ReadonlySet<string> = new Set(),
): string[] {
  const keys = Object.keys(template);
  if (name !== "default") return keys.sort((a, b) => a.localeCompare(b, "en"));
  const translated = (key: string) => {
    const match = /^(.+)_[a-z]{2}$/.exec(key);
    return match?.[1] !== undefined && match[1] in template;
  };
  const listed = keys.filter(
    (key) => !HIDDEN_DEFAULT_KEYS.has(key) && !shown.has(key) && !translated(key),
  );
  const rank = (key: string) => {
    const i = DEFAULT_META_ORDER.indexOf(key);
    return i === -1 ? DEFAULT_META_ORDER.length : i;
  };
  return listed.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, "en"));
}

function licenseValue(template: Record<string, unknown>): MetaValue | undefined {
  const name = typeof template.license === "string" ? template.license.trim() : "";
  const url = safeUrl(template.license_url);
  if (name && url) return { kind: "link", url, text: name };
  if (name) return { kind: "text", text: name };
  return url ? { kind: "link", url, text: url } : undefined;
}

const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const HTML_TAG = /<\/?[a-z][a-z0-9]*(?:\s[^>]*)?>/i;

function readValue(value: unknown, options: { base: string }): MetaValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "boolean") return { kind: "boolean", value };
  if (typeof value === "number") {
    return Number.isFinite(value) ? { kind: "number", value } : undefined;
  }
  if (typeof value === "string") return readString(value, options);
  if (Array.isArray(value)) {
    const items = value.flatMap((item) => {
      const read = readValue(item, options);
      return read ? [read] : [];
    });
    return items.length > 0 ? { kind: "list", items } : undefined;
  }
  const json = JSON.stringify(value);
  return json === "{}" ? undefined : { kind: "json", text: json };
}

function readString(raw: string, options: { base: string }): MetaValue | undefined {
  const value = raw.trim();
  if (value === "") return undefined;
  if (ISO_DATE.test(value) && !Number.isNaN(Date.parse(value))) {
    return { kind: "date", iso: value, dateOnly: value.length === 10 };
  }
  if (/^(https?:\/\/|mailto:)/i.test(value)) {
    const url = safeUrl(value);
    return url ? { kind: "link", url, text: value } : { kind: "text", text: value };
  }
  if (HTML_TAG.test(value)) {
    const html = sanitize(value, options);
    return html.html === "" ? undefined : { kind: "html", html };
  }
  return { kind: "text", text: value };
}
