import { describe, expect, it } from "vitest";
import { type Partition, split, WHOLE_CATALOG, whereOf } from "../../src/crawl/partition.js";

describe("whereOf", () => {
  it("writes ODSQL date comparisons in whole UTC seconds", () => {
    expect(whereOf({ modified: [Date.UTC(2020, 0, 1), Date.UTC(2020, 6, 2, 12, 30)] })).toBe(
      "modified >= date'2020-01-01T00:00:00' AND modified < date'2020-07-02T12:30:00'",
    );
    expect(whereOf({ modified: [0, 1000], records: [5, 10] })).toBe(
      "modified >= date'1970-01-01T00:00:00' AND modified < date'1970-01-01T00:00:01' AND records_count >= 5 AND records_count < 10",
    );
  });
});

describe("split", () => {
  it("halves the date range on a whole second, covering it exactly", () => {
    const [a, b] = split(WHOLE_CATALOG) ?? [];
    expect(a?.modified[0]).toBe(WHOLE_CATALOG.modified[0]);
    expect(a?.modified[1]).toBe(b?.modified[0]);
    expect(b?.modified[1]).toBe(WHOLE_CATALOG.modified[1]);
    expect((a?.modified[1] ?? 0) % 1000).toBe(0);
  });

  it("narrows one second by record counts, then gives up on a single count", () => {
    const second: Partition = { modified: [1_000_000, 1_001_000] };
    const [low, high] = split(second) ?? [];
    expect(low).toEqual({
      modified: second.modified,
      records: [0, Math.floor(Number.MAX_SAFE_INTEGER / 2)],
    });
    expect(high?.records?.[1]).toBe(Number.MAX_SAFE_INTEGER);
    expect(split({ modified: second.modified, records: [7, 8] })).toBeUndefined();
  });

  it("reaches any second of the whole range in a bounded number of splits", () => {
    let partition: Partition = WHOLE_CATALOG;
    const target = Date.UTC(2023, 4, 17, 8, 15, 42);
    let depth = 0;
    while (partition.modified[1] - partition.modified[0] > 1000) {
      const halves = split(partition);
      if (!halves) break;
      partition = halves[0].modified[1] > target ? halves[0] : halves[1];
      depth++;
    }
    expect(partition.modified[0]).toBe(target);
    expect(depth).toBeLessThan(40);
  });
});
