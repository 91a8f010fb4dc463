import { HtmlValidate } from "html-validate";

/**
 * html-validate with its recommended rules, configured once and never read from the file
 * system (no `.htmlvalidaterc` can change what the tests check). Rules turned off here are
 * about how markup is spelled, or about page content, not about whether it is valid and
 * accessible; each says why.
 */
const validator = new HtmlValidate({
  extends: ["html-validate:recommended"],
  rules: {
    // `<!doctype html>` is spelled in lower case on purpose (as in the HTML standard's own
    // examples); the doctype is case-insensitive.
    "doctype-style": "off",
    // Descriptions pass through sanitize-html, which writes void elements as `<br />`; the
    // templates omit the slash. Both are valid HTML, and the rule cannot tell them apart.
    "void-style": "off",
    // Trailing spaces come from the portal's descriptions, kept as they are inside the
    // sanitized HTML; whitespace at the end of a source line renders as nothing.
    "no-trailing-whitespace": "off",
    // Page titles are `<dataset title> · <site title>`, and portals' dataset titles are long.
    // 70 characters is a search-snippet guideline about content, not a markup rule.
    "long-title": "off",
    // A scrolling table sits in `<div role="region" tabindex="0" aria-labelledby>` so keyboard
    // users can scroll it (WAI pattern, axe's scrollable-region-focusable); a `<section>` there
    // would add a heading-less section to the outline.
    "prefer-native-element": ["error", { exclude: ["region"] }],
  },
});

/** Every finding in `html` as `file:line:col rule message`; none means it passed. */
export async function validateHtml(html: string, file: string): Promise<string[]> {
  const report = await validator.validateString(html, file);
  return report.results.flatMap((result) =>
    result.messages.map((m) => `${file}:${m.line}:${m.column} ${m.ruleId} ${m.message}`),
  );
}
