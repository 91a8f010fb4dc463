import { VERSION } from "../version.js";
import { OPTIONS, type OptionSpec } from "./options.js";

/** `--help`: every option with its environment variable and default, from the one table. */
export function helpText(): string {
  const rows = OPTIONS.map((o) => {
    const env = o.env ? ` [${o.env}]` : "";
    return `  ${usage(o).padEnd(26)} ${o.describe} Default: ${o.default}.${env}`;
  });
  return [
    `ods-catalog ${VERSION}: publish an Opendatasoft portal's catalog as a static site.`,
    "",
    "Usage: ods-catalog [build|preview] [options]",
    "",
    "Options (flags override environment variables, which override the config file):",
    ...rows,
    "",
    "The API key is read from ODS_API_KEY only, and sent to the portal as a header.",
    "",
  ].join("\n");
}

/**
 * The README's settings table, generated from the same table as `--help`; a test checks the
 * README holds exactly this, so the documentation cannot drift from the code.
 */
export function settingsTable(): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  return [
    "| Flag | Environment | Config file | Default | What it does |",
    "| --- | --- | --- | --- | --- |",
    ...OPTIONS.map(
      (o) =>
        `| \`${usage(o)}\` | ${o.env ? `\`${o.env}\`` : ""} | ${o.key ? `\`${o.key}\`` : ""} | ${cell(o.default)} | ${cell(o.describe)} |`,
    ),
    "| | `ODS_API_KEY` | | none | API key, from the environment only; refused in flags and config files. |",
  ].join("\n");
}

function usage(option: OptionSpec): string {
  return `--${option.flag}${option.arg ? ` <${option.arg}>` : ""}`;
}
