import { describe, expect, it } from "vitest";
import { createFormat } from "../../src/render/format.js";

describe("createFormat: number", () => {
  it("prints each number as Intl does, however often and in whatever order it is asked", () => {
    const fmt = createFormat("fr-FR", "UTC");
    const intl = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 6 });
    // 0 before -0 and after it: a remembered 0 must not answer for -0, nor the reverse.
    const values = [0, -0, 0, 1234.5, -0, 1234.5, Number.NaN, 0.1234567, 1e21];
    // More values than it remembers, so some are forgotten and made again.
    for (let i = 0; i < 12_000; i++) values.push(i % 3 === 0 ? -i : i / 7);
    for (const value of [...values, ...values]) expect(fmt.number(value)).toBe(intl.format(value));
  });
});

describe("createFormat: number, without Intl where it can", () => {
  // Integers, decimals of every length up to past the six printed, both signs, up to where
  // JavaScript switches to exponents: each checked against Intl itself.
  const values = [-0, 0, 5e-7, 1e-6, 2 ** 53, 2 ** 53 + 2, 1e20, 1e21, -1e21, 123456789.1234567];
  values.push(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
  for (let i = 0; i < 4_000; i++) {
    const decimals = i % 9;
    const magnitude = 10 ** (i % 17);
    const value = Math.round(((i * 7919) % 10_007) * magnitude * 10 ** decimals) / 10 ** decimals;
    values.push(i % 2 === 0 ? value : -value, value / 1e6);
  }

  it.each([
    "en-GB",
    "fr",
    "es", // groups only from five digits on
    "en-IN", // groups by twos after the first three: Intl throughout
    "de-CH", // an apostrophe between groups
  ])("prints numbers as Intl does in %s", (locale) => {
    const fmt = createFormat(locale, "UTC");
    const intl = new Intl.NumberFormat(locale, { maximumFractionDigits: 6 });
    const wrong = values.filter((value) => fmt.number(value) !== intl.format(value));
    expect(wrong.map((value) => [value, fmt.number(value), intl.format(value)])).toEqual([]);
  });
});
