import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fg from "fast-glob";
import { describe, expect, it } from "vitest";
import { TemplateError } from "../../src/errors.js";
import { SafeHtml } from "../../src/model/sanitize.js";
import { BUILTIN_TEMPLATES, createEngine, escapeHtml } from "../../src/render/engine.js";
import { test } from "../support/fixtures.js";

describe("templates", () => {
  it("print raw HTML only for includes and the layout body", () => {
    const templates = fg.sync("**/*.eta", { cwd: BUILTIN_TEMPLATES });
    expect(templates.length).toBeGreaterThan(4);
    const raw: string[] = [];
    for (const name of templates) {
      const source = readFileSync(join(BUILTIN_TEMPLATES, name), "utf8");
      for (const match of source.matchAll(/<%~\s*([^%]*?)\s*%>/g)) {
        if (!/^(include\(|it\.body$)/.test(match[1] ?? "")) raw.push(`${name}: ${match[0]}`);
      }
    }
    expect(raw).toEqual([]);
  });
});

describe("createEngine", () => {
  it("escapes every interpolation except sanitized HTML", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
    expect(escapeHtml(SafeHtml.trusted("<p>ok</p>"))).toBe("<p>ok</p>");
    expect(escapeHtml(undefined)).toBe("");
  });

  test("lets a user template shadow a built-in one of the same name", async ({ tmp }) => {
    await mkdir(join(tmp, "pages"), { recursive: true });
    await writeFile(join(tmp, "pages", "not-found.eta"), "<p>Custom <%= it.page.title %></p>");
    const engine = createEngine({ userTemplates: tmp });
    expect(engine.render("pages/not-found", { page: { title: "<gone>" } })).toBe(
      "<p>Custom &lt;gone&gt;</p>",
    );
  });

  test("renders a dataset's card once per dataset, however many listings show it", async ({
    tmp,
  }) => {
    await mkdir(join(tmp, "partials"), { recursive: true });
    // The site counts the cards rendered: the count shows in each card it renders.
    await writeFile(join(tmp, "partials", "dataset-item.eta"), "<li><%= it.site.count() %></li>");
    await writeFile(
      join(tmp, "listing.eta"),
      `<% for (const d of it.list) { %><%~ include("partials/dataset-item", { site: it.site, dataset: d }) %><% } %>`,
    );
    const engine = createEngine({ userTemplates: tmp });
    let made = 0;
    const site = { count: () => ++made };
    const [a, b, c] = [{ id: "a" }, { id: "b" }, { id: "c" }];
    expect(engine.render("listing", { site, list: [a, b] })).toBe("<li>1</li><li>2</li>");
    expect(engine.render("listing", { site, list: [b, c, a] })).toBe(
      "<li>2</li><li>3</li><li>1</li>",
    );
    // Another site (another build's settings) renders its own cards.
    expect(engine.render("listing", { site: { count: () => 9 }, list: [a] })).toBe("<li>9</li>");
  });

  it("names the template that fails", () => {
    const engine = createEngine();
    expect(() => engine.render("pages/nope", {})).toThrow(TemplateError);
    expect(() => engine.render("pages/nope", {})).toThrow(
      /Template pages\/nope\.eta was not found in /,
    );
    expect(() => engine.render("../secrets", {})).toThrow(
      "Template name ../secrets leaves the templates folder.",
    );
    expect(() => engine.render("pages/not-found", {})).toThrow(
      /^Template pages\/not-found failed: /,
    );
  });
});
