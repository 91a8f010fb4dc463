import { readdirSync, readFileSync } from "node:fs";
import { SAMPLES_DIR } from "../../src/portal-server/demo.js";

/** Every string of every recorded ODS API response that holds a tag or an entity. */
export function sampleHtmlStrings(): string[] {
  return readdirSync(SAMPLES_DIR)
    .filter((name) => name.endsWith(".json"))
    .flatMap((name) => htmlStrings(JSON.parse(readFileSync(`${SAMPLES_DIR}/${name}`, "utf8"))));
}

function htmlStrings(value: unknown): string[] {
  if (typeof value === "string") return /[<&]/.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(htmlStrings);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(htmlStrings);
  return [];
}
