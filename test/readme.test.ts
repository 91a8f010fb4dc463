import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPTIONS } from "../src/config.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("documents every flag with its environment variable", () => {
    for (const option of OPTIONS) {
      expect(readme, option.flag).toContain(`\`--${option.flag}`);
      if (option.env) expect(readme, option.env).toContain(`\`${option.env}\``);
    }
  });

  it("shows the two set-up commands", () => {
    expect(readme).toContain("npm ci && npm run build");
    expect(readme).toContain("npm test");
  });
});
