import { readFileSync } from "node:fs";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

export const VERSION = manifest.version;

/** Who we are, for portal operators reading their logs (undici's crawling guide asks for this). */
export const USER_AGENT = `ods-catalog/${VERSION} (+https://github.com/ods-catalog/ods-catalog; static catalog generator)`;
