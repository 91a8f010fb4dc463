import { describe, expect, it } from "vitest";
import { bracketingFloor, type Floor, median } from "../../bench/results.js";

const floor = (pages: number, ms: number) => ({ pages, ms }) as Floor;

describe("the bench's ratio", () => {
  it("takes the median of the builds' ratios: the middle one, or the mean of the two middle ones", () => {
    expect(median([2.43, 1.85, 2.13])).toBe(2.13);
    expect(median([1.9, 2.6, 2.0, 1.7])).toBeCloseTo(1.95);
    expect(median([1.5])).toBe(1.5);
  });

  it("sets a build against the floors on both sides of it: their pages over their summed time", () => {
    // 40,000 pages in 8 s and in 12 s: 4,000 pages/s, not the 4,167 of averaging 5,000 and 3,333.
    expect(bracketingFloor(floor(40_000, 8_000), floor(40_000, 12_000))).toBe(4_000);
  });
});
