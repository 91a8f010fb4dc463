import { writeSync } from "node:fs";

/**
 * Writes all of `bytes` at `position` of an open file (`what`, for the error), with blocking
 * calls: a write may take fewer bytes than asked; one that takes none means a full disk.
 */
export function writeAllSync(fd: number, bytes: Uint8Array, position: number, what: string): void {
  for (let at = 0; at < bytes.length; ) {
    const written = writeSync(fd, bytes, at, bytes.length - at, position + at);
    if (written === 0) throw new Error(`Short write to ${what} (disk full?).`);
    at += written;
  }
}
