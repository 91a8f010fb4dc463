import { describe, expect, test } from "vitest";
import { utf8Chunks } from "../../src/write/utf8-chunks.js";

describe("utf8Chunks", () => {
  test("gives the bytes of the joined text, in chunks no larger than asked unless one piece is", () => {
    const pieces = [
      "plain",
      "Données “publiques” 😀",
      "\ud800 a lone surrogate",
      "é".repeat(40),
      "",
      "x".repeat(100),
      "\n",
    ];
    const chunks = [...utf8Chunks(pieces, 64)];
    expect(Buffer.concat(chunks).equals(Buffer.from(pieces.join(""), "utf8"))).toBe(true);
    expect(chunks.length).toBeGreaterThan(3);
    // A piece that needs more room than a chunk has (three bytes a character) gets a chunk of
    // its own: the 40 "é" (80 bytes), and the 100 "x" with the newline that fits after them.
    expect(chunks.filter((chunk) => chunk.length > 64).map(String)).toEqual([
      "é".repeat(40),
      `${"x".repeat(100)}\n`,
    ]);
  });

  test("each chunk keeps its bytes while the next ones are filled, so a writer may hold it", () => {
    // Every chunk is taken before any is read.
    const chunks = [...utf8Chunks(["a".repeat(30), "b".repeat(30), "c".repeat(30)], 100)];
    expect(chunks.map((chunk) => chunk.toString())).toEqual([
      "a".repeat(30),
      "b".repeat(30),
      "c".repeat(30),
    ]);
  });

  test("nothing to write gives no chunk", () => {
    expect([...utf8Chunks([])]).toEqual([]);
    expect([...utf8Chunks(["", ""])]).toEqual([]);
  });
});
