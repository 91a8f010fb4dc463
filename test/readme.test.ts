import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { settingsTable } from "../src/config/help.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("holds the settings table generated from the options table, verbatim", () => {
    // To update: node -e "import('./lib/config/help.js').then(m => console.log(m.settingsTable()))"
    expect(readme).toContain(settingsTable());
  });

  it("shows the two set-up commands", () => {
    expect(readme).toContain("npm ci && npm run build");
    expect(readme).toContain("npm test");
  });
});
