import { createHash } from "node:crypto";

/**
 * Maps identifiers from the API (dataset ids, facet values) to one folder name each that is
 * safe on every file system and static host.
 *
 * - An id that is already a clean lowercase slug (`controle_techn`, `2023-budget`) is used
 *   as is, so URLs stay readable and stable.
 * - Anything else (`name@domain`, `../../x`, `Économie`, `CON`, upper case) becomes
 *   `<ascii-slug>--<hash>`, where the hash is of the exact id. Clean slugs never contain
 *   `--`, so the two forms cannot collide, and since every clean slug is lowercase and every
 *   hashed one distinct by hash, no two ids share a folder on a case-insensitive file system.
 */
export function segmentFor(id: string): string {
  if (CLEAN.test(id) && id.length <= MAX_CLEAN && !RESERVED.has(id)) return id;
  const slug = asciiSlug(id).slice(0, MAX_SLUG).replace(/-+$/, "");
  return `${slug || "item"}--${shortHash(id)}`;
}

/** Lowercase ASCII words joined by single hyphens (`Économie & Finances` → `economie-finances`). */
export function asciiSlug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** A stable 12-hex-digit digest (48 bits): unique enough for a catalog, short enough for URLs. */
export function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}

// Lowercase words separated by single `-` or `_`: no `--`, no dots, no leading separator.
const CLEAN = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
const MAX_CLEAN = 120;
const MAX_SLUG = 60;
// Device names Windows refuses as file names, whatever the extension.
const RESERVED = new Set([
  ...["con", "prn", "aux", "nul"],
  ...Array.from({ length: 9 }, (_, i) => `com${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `lpt${i + 1}`),
]);
