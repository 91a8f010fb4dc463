import { describe, expect, it } from "vitest";
import { sanitizeParsed } from "../../src/model/sanitize.js";
import { sanitizeSimple } from "../../src/model/simple-html.js";
import { seeded } from "../support/random.js";
import { sampleHtmlStrings } from "../support/samples.js";

const base = "https://portal.example/explore/dataset/x/";
/** Seeded choices, so a failure comes back with the same input. */
function random(seed: number) {
  const next = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, pick };
}

const TEXTS = [
  "text",
  "Données définitives",
  " ",
  "\n",
  "\t",
  "a & b",
  "tail &",
  "a &amp; b",
  "&nbsp;",
  "&#60;x&#62;",
  "x > y",
  "x < y",
  "x <",
  "x <\ty",
  "x <5",
  '"quoted"',
  "l'été — 2 €",
  "\r\n",
  "<!-- note -->",
  "\0",
];
const PLAIN = ["text", "Données définitives", " ", "\n", "a & b", "x > y", "x < y", '"q"'];
const LINKS = [
  '<a href="https://www.example.org/abc">',
  '<a href="/relative/path">',
  '<a href="mailto:someone@example.org">',
  '<a href="javascript:alert(1)">',
  '<a href=" java\nscript:alert(1)">',
  '<a href="">',
  '<a href="https://x.example/a b">',
  '<a href="https://x.example/?a=1&amp;b=2">',
  "<a>",
  '<a href="https://x.example/" title="t">',
  "<a href='https://x.example/'>",
];
const INLINE = ["b", "strong", "i", "em", "u", "s", "sub", "sup", "small", "code", "span", "abbr"];
const BLOCKS = ["p", "h1", "h2", "h3", "h4", "h6", "blockquote", "pre", "div", "table"];
const ODD = ["<br>", "<br/>", "<br />", "<hr>", "<hr/>", "</br>", "<P>", '<p class="x">', "<p >"];

/** Well-formed HTML of the kinds descriptions carry, from the generator's choices. */
function wellFormed(r: ReturnType<typeof random>, depth = 0): string {
  const inline = (): string => {
    const roll = r.next();
    // Mostly text as descriptions have it, sometimes text only the parser can read.
    if (roll < 0.5 || depth > 2) return r.next() < 0.8 ? r.pick(PLAIN) : r.pick(TEXTS);
    if (roll < 0.6) return r.pick(["<br>", "<br />"]);
    if (roll < 0.75) return `${r.pick(LINKS)}${r.pick(PLAIN)}</a>`;
    const tag = r.pick(INLINE);
    return `<${tag}>${wellFormed(r, depth + 1)}</${tag}>`;
  };
  const run = () => Array.from({ length: 1 + Math.floor(r.next() * 3) }, inline).join("");
  if (depth > 0) return run();
  const roll = r.next();
  if (roll < 0.2) return run();
  if (roll < 0.4) {
    const list = r.pick(["ul", "ol"]);
    const items = Array.from({ length: 1 + Math.floor(r.next() * 3) }, () => `<li>${run()}</li>`);
    return `<${list}>${items.join(r.pick(["", "\n"]))}</${list}>`;
  }
  if (roll < 0.45) return r.pick(["<hr>", "<hr/>"]);
  const block = r.pick(BLOCKS);
  return `<${block}>${run()}</${block}>`;
}

/** Descriptions: several blocks, some of them damaged by a token out of place. */
function description(r: ReturnType<typeof random>): string {
  const parts = Array.from({ length: 1 + Math.floor(r.next() * 4) }, () => wellFormed(r));
  if (r.next() < 0.4) {
    const damage = r.pick([
      ...ODD,
      ...BLOCKS.map((b) => `<${b}>`),
      ...INLINE.map((t) => `</${t}>`),
      "<li>",
      "</p>",
      "</ul>",
      r.pick(TEXTS),
    ]);
    parts.splice(Math.floor(r.next() * (parts.length + 1)), 0, damage);
  }
  return parts.join(r.pick(["", "\n"]));
}

describe("sanitizeSimple", () => {
  it("gives exactly what sanitize-html gives, on every input it takes", () => {
    const r = random(20261207);
    let taken = 0;
    let passed = 0;
    for (let n = 0; n < 30_000; n++) {
      const html = description(r);
      const simple = sanitizeSimple(html, base);
      if (simple === undefined) passed++;
      else {
        taken++;
        expect(simple, JSON.stringify(html)).toBe(sanitizeParsed(html, base));
      }
    }
    // Both ways are exercised: enough inputs taken to compare, enough left to the parser.
    expect(taken).toBeGreaterThan(5_000);
    expect(passed).toBeGreaterThan(5_000);
  });

  it("takes the recorded portals' descriptions it can, with sanitize-html's result", () => {
    let taken = 0;
    for (const html of sampleHtmlStrings()) {
      const simple = sanitizeSimple(html, base);
      if (simple === undefined) continue;
      taken++;
      expect(simple, html).toBe(sanitizeParsed(html, base));
    }
    expect(taken).toBeGreaterThan(0);
  });

  it("takes clean paragraphs, lists, headings and links, and writes each tag anew", () => {
    const html =
      '<h1>Title</h1>\n<p>Some <b>bold</b> &amp; more.<br>Next</p><ul>\n<li>one</li>\n</ul><p>See <a href="/page">it</a>.</p><hr/>';
    expect(sanitizeSimple(html.replace("&amp;", "&"), base)).toBe(
      '<h3>Title</h3>\n<p>Some <b>bold</b> &amp; more.<br />Next</p><ul>\n<li>one</li>\n</ul><p>See <a href="https://portal.example/page" rel="nofollow noopener noreferrer">it</a>.</p><hr />',
    );
  });

  it("leaves to sanitize-html whatever it does not fully understand", () => {
    for (const html of [
      '<p class="MsoNormal">x</p>',
      "<p>x<ul><li>y</li></ul></p>",
      "<p> </p>",
      "<p><br></p>",
      "<b>x",
      "x</b>",
      "a &amp; b",
      "<!-- c -->",
      "<P>x</P>",
      "<ul>x<li>y</li></ul>",
      "<ul><li>x<ul><li>y</li></ul></li></ul>",
      "<li>x</li>",
      "<a href='https://x.example/'>x</a>",
      '<a href="https://x.example/"><a href="https://y.example/">y</a></a>',
      "<script>alert(1)</script>",
      "<p/>",
    ]) {
      expect(sanitizeSimple(html, base), html).toBeUndefined();
    }
  });
});
