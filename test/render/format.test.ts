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
