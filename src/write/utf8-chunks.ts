/**
 * Pieces of text encoded in UTF-8 into chunks of about `size` bytes, each its own buffer (a
 * writer may hold one while the next is filled). Each piece is encoded once, straight into
 * its chunk: joining pieces into a long string first and encoding that (what a stream does
 * with strings) walks the joined text twice, once to measure it and once to encode it, after
 * flattening it. For the 97 MB manifest of 40,000 datasets that took over a second.
 */
export function* utf8Chunks(pieces: Iterable<string>, size = DEFAULT_SIZE): Generator<Buffer> {
  let chunk = Buffer.allocUnsafe(size);
  let used = 0;
  for (const piece of pieces) {
    // UTF-8 takes at most three bytes per UTF-16 unit (four for a surrogate pair, which is two).
    const room = piece.length * 3;
    if (used + room > chunk.length) {
      if (used > 0) yield chunk.subarray(0, used);
      chunk = Buffer.allocUnsafe(Math.max(size, room));
      used = 0;
    }
    used += chunk.write(piece, used, "utf8");
  }
  if (used > 0) yield chunk.subarray(0, used);
}

const DEFAULT_SIZE = 1 << 20;
