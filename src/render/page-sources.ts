import type { BufferState, Manifest } from "../cache/manifest.js";

/**
 * Where an unchanged page can come from instead of being rendered: the buffer folder the build
 * rewrites (the site two builds ago: the file is already in place) or the published site (a
 * hard link). Each is given only when it was rendered with the same templates and settings.
 */
export interface PageSources {
  renderKey: string;
  live: Manifest | undefined;
  buffer: BufferState | undefined;
}

export type PageOrigin = "kept" | "linked" | "rendered";
