import { Parser } from "htmlparser2";
import { describe, expect, it } from "vitest";
import {
  checkedSanitized,
  collapse,
  excerpt,
  sanitize,
  toPlainText,
} from "../../src/model/sanitize.js";
import { safeUrl } from "../../src/model/urls.js";
import { sampleHtmlStrings } from "../support/samples.js";

const base = "https://portal.example/explore/dataset/x/";
const clean = (html: string) => sanitize(html, { base }).html;

/** Everything in parsed output that could run script, load something or restyle the page. */
function activeParts(html: string): string[] {
  const found: string[] = [];
  const parser = new Parser({
    onopentag(name, attributes) {
      if (
        [
          "script",
          "style",
          "iframe",
          "object",
          "embed",
          "img",
          "svg",
          "math",
          "form",
          "link",
          "meta",
          "base",
        ].includes(name)
      ) {
        found.push(`<${name}>`);
      }
      for (const [key, value] of Object.entries(attributes)) {
        if (key.startsWith("on") || key === "style" || key === "srcdoc")
          found.push(`${name}[${key}]`);
        if (
          (key === "href" || key === "src" || key === "action") &&
          !/^(https?:|mailto:)/i.test(value)
        ) {
          found.push(`${name}[${key}=${value}]`);
        }
      }
    },
  });
  parser.write(html);
  parser.end();
  return found;
}

const VECTORS = [
  `<script>alert(1)</script>`,
  `<img src=x onerror=alert(1)>`,
  `<a href="javascript:alert(1)">x</a>`,
  `<a href="JaVaScRiPt:alert(1)">x</a>`,
  `<a href="java&#x09;script:alert(1)">x</a>`,
  `<a href=" javascript:alert(1)">x</a>`,
  `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
  `<a href="vbscript:msgbox(1)">x</a>`,
  `<iframe src="https://evil.example"></iframe>`,
  `<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
  `<style>body{display:none}</style>`,
  `<p style="background:url(javascript:alert(1))">x</p>`,
  `<svg><script>alert(1)</script></svg>`,
  `<svg onload=alert(1)>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
  `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
  `<form action="https://evil.example"><input name=q></form>`,
  `<textarea></textarea><img src=x onerror=alert(1)>`,
  `<object data="x.swf"></object><embed src="x.swf">`,
  `<base href="https://evil.example/">`,
  `<meta http-equiv="refresh" content="0;url=https://evil.example">`,
  `<!--><img src=x onerror=alert(1)>-->`,
  `<p onclick="alert(1)" onmouseover="alert(1)">x</p>`,
  `<a href="//evil.example/path">protocol-relative</a>`,
];

describe("sanitize", () => {
  for (const vector of VECTORS) {
    it(`neutralises ${vector}`, () => {
      expect(activeParts(clean(vector))).toEqual([]);
    });
  }

  it("keeps structure, text and safe links, adding rel to every link", () => {
    expect(
      clean(
        `<h1>Title</h1><p>A <b>bold</b> <a href="https://x.example/a?b=1&c=2" target="_blank">link</a>.</p><ul><li>one</li></ul>`,
      ),
    ).toBe(
      `<h3>Title</h3><p>A <b>bold</b> <a href="https://x.example/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">link</a>.</p><ul><li>one</li></ul>`,
    );
  });

  it("resolves relative links against the portal, so they do not point into our site", () => {
    expect(clean(`<a href="/explore/dataset/other/">other</a>`)).toBe(
      `<a href="https://portal.example/explore/dataset/other/" rel="nofollow noopener noreferrer">other</a>`,
    );
  });

  it("keeps the text of a link whose URL is unsafe, without the link", () => {
    expect(clean(`<a href="javascript:alert(1)">click</a>`)).toBe("<a>click</a>");
  });

  it("drops Word's empty paragraphs and namespaced tags, keeping their text", () => {
    expect(
      clean(
        `<p class="MsoNormal"><o:p></o:p></p><p><span style="x">Text</span><u1:p>!</u1:p></p><p> </p>`,
      ),
    ).toBe("<p>Text!</p>");
  });
});

describe("checkedSanitized", () => {
  const inputs = () => [
    ...sampleHtmlStrings(),
    ...VECTORS,
    `<p>a &lt;b&gt; &amp;lt;c&amp;gt; &quot;d&quot; &amp;amp; e&nbsp;f</p><p>g</p>h<br>i<hr>`,
    `<a href="https://x.example/?a=1&b=<2>" title='x > y "z"'>link</a><h1>T</h1><div>u</div>v`,
    `<table><tr><th rowspan="2">1</th><td colspan="2">2</td></tr></table><abbr title="t">a</abbr>`,
    `<a href="mailto:x@example.org">mail</a> <a href="/relative">rel</a> <a>none</a>`,
  ];

  it("takes every output of sanitize() as it is", () => {
    for (const input of inputs()) {
      const safe = sanitize(input, { base });
      expect(checkedSanitized(safe.html)?.html, input).toBe(safe.html);
      expect(checkedSanitized(safe.html)?.text()).toBe(safe.text());
    }
  });

  it("refuses whatever the sanitizer would not write", () => {
    const refused = [
      ...VECTORS,
      `<p onclick="x()">a</p>`,
      `<a href="javascript:alert(1)">x</a>`,
      `<a href=" https://x.example/">x</a>`,
      `<a href="https://x.example/" onclick="x()">x</a>`,
      `<a href='https://x.example/'>x</a>`,
      `<P>upper</P>`,
      `<p>unclosed`,
      `<p>a</b>`,
      `</p>`,
      `<br>`,
      `<p />`,
      `a &#106;avascript &nbsp;`,
      `a < b`,
      `a > b`,
      `<td colspan="1" style="x">`,
      `<!-- comment -->`,
    ];
    for (const html of refused) expect(checkedSanitized(html), html).toBeUndefined();
  });
});

describe("toPlainText and excerpt", () => {
  it("separates blocks, decodes entities and drops hidden content", () => {
    expect(
      toPlainText(
        "<p>a &amp; b</p><p>c&nbsp;d</p><script>x()</script><ul><li>e</li><li>f</li></ul>",
      ),
    ).toBe("a & b c d e f");
  });

  it("gives a sanitized description's text as a parse of its HTML does", () => {
    // Every HTML string in the recorded samples, the attack vectors, and text that tests the
    // order of decoding (an escaped tag must stay text, an escaped entity must decode once).
    const fromSamples = sampleHtmlStrings();
    const inputs = [
      ...fromSamples,
      ...VECTORS,
      `<p>a &lt;b&gt; &amp;lt;c&amp;gt; &quot;d&quot; &amp;amp; e&nbsp;f</p><p>g</p>h<br>i`,
      `<a href="https://x.example/?a=1&b=<2>" title='x > y "z"'>link</a><h1>T</h1><div>u</div>v`,
      `<table><tr><td>1</td><td>2</td></tr></table><pre>  p  re  </pre>&#60;not a tag&#62;`,
      `text <3 and 4 > 2 & <unknown attr=">">x</unknown><!-- c --> <![CDATA[ d ]]>`,
    ];
    expect(fromSamples.length).toBeGreaterThan(10);
    for (const input of inputs) {
      const safe = sanitize(input, { base });
      expect(safe.text(), input).toBe(toPlainText(safe.html));
    }
  });

  it("collapses every kind of whitespace, and leaves text with none to collapse as it is", () => {
    const spaces = [
      " ",
      "  ",
      "\t",
      "\n",
      "\r\n",
      "\u00a0",
      "\u2028",
      "\u3000",
      "\ufeff",
      " \u00a0 ",
    ];
    const words = ["a", "été", "x-y", ""];
    const inputs: string[] = [];
    for (const space of spaces)
      for (const word of words)
        inputs.push(
          `${word}${space}b`,
          `${space}${word}`,
          `${word}${space}`,
          `c ${word}${space}${space}d`,
        );
    for (const input of inputs)
      expect(collapse(input), JSON.stringify(input)).toBe(input.replace(/\s+/g, " ").trim());
    const clean = "one two été";
    expect(collapse(clean)).toBe(clean);
  });

  it("cuts at a word boundary with an ellipsis", () => {
    expect(excerpt("one two three four five", 14)).toBe("one two three…");
    expect(excerpt("short", 14)).toBe("short");
  });
});

describe("safeUrl", () => {
  it("accepts only http, https and mailto", () => {
    expect(safeUrl("https://a.example/x")).toBe("https://a.example/x");
    expect(safeUrl("mailto:someone@example.org")).toBe("mailto:someone@example.org");
    expect(safeUrl("javascript:alert(1)")).toBeUndefined();
    expect(safeUrl("java\nscript:alert(1)")).toBeUndefined();
    expect(safeUrl("ftp://a.example/x")).toBeUndefined();
    expect(safeUrl("odsfile://x.zip")).toBeUndefined();
    expect(safeUrl("/relative")).toBeUndefined();
    expect(safeUrl("/relative", "https://portal.example/")).toBe("https://portal.example/relative");
    expect(safeUrl(42)).toBeUndefined();
  });
});
