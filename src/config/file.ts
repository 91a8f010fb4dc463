import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { OPTIONS } from "./options.js";

/**
 * The config file a repository keeps its settings in: `ods-catalog.config.json` beside the
 * command, or the file `--config` names. Plain JSON, keys as in the README's table
 * (`siteUrl`, `pageSize`, …). Unknown keys are refused (typos should not pass silently),
 * and so is any API key: secrets come from the environment only.
 */
export interface ConfigFile {
  path: string;
  dir: string;
  values: Record<string, string | number | boolean>;
}

export const DEFAULT_CONFIG_FILE = "ods-catalog.config.json";

export async function loadConfigFile(options: {
  explicit: string | undefined;
  cwd: string;
}): Promise<ConfigFile | undefined> {
  const path = resolve(options.cwd, options.explicit ?? DEFAULT_CONFIG_FILE);
  if (!options.explicit && !existsSync(path)) return undefined;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new ConfigError(`Config file ${path} cannot be read; check the --config path.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `Config file ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`Config file ${path} must hold a JSON object of settings.`);
  }
  const known = new Set(OPTIONS.flatMap((o) => (o.key ? [o.key as string] : [])));
  const values: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (/api.?key/i.test(key)) {
      throw new ConfigError(
        `Config file ${path} holds ${key}: the API key is read from the ODS_API_KEY environment variable only, never from files that end up in git.`,
      );
    }
    if (key === "$schema") continue;
    if (!known.has(key)) {
      throw new ConfigError(
        `Config file ${path} has an unknown setting ${key}; known settings: ${[...known].join(", ")}.`,
      );
    }
    if (value === null) continue;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw new ConfigError(`Config file ${path}: ${key} must be a string, number or boolean.`);
    }
    values[key] = value;
  }
  return { path, dir: dirname(path), values };
}
