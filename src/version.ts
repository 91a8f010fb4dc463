import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fg from "fast-glob";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

export const VERSION = manifest.version;

/** Who we are, for portal operators reading their logs (undici's crawling guide asks for this). */
export const USER_AGENT = `ods-catalog/${VERSION} (+https://github.com/ods-catalog/ods-catalog; static catalog generator)`;

let fingerprint: Promise<string> | undefined;

/**
 * A hash of the running code (this folder's modules): pages rendered by other code, even
 * of the same version number, are never reused.
 */
export function codeFingerprint(): Promise<string> {
  fingerprint ??= (async () => {
    const dir = fileURLToPath(new URL(".", import.meta.url));
    const hash = createHash("sha256").update(VERSION);
    for (const file of (await fg("**/*.{js,ts}", { cwd: dir, ignore: ["**/*.d.ts"] })).sort()) {
      hash.update(`\0${file}\0`).update(await readFile(join(dir, file)));
    }
    return hash.digest("hex");
  })();
  return fingerprint;
}
