import { ApiShapeError } from "../errors.js";

/**
 * Reads untrusted JSON while remembering where it is: every failed expectation becomes an
 * `ApiShapeError` naming the response URL and the JSON path (`$.datasets[3].dataset.fields`).
 * Readers are cheap immutable cursors; `at`/`index` return a reader one level deeper.
 */
export class JsonReader {
  readonly url: string;
  readonly value: unknown;
  /** Where this value sits in its parent, kept until an error needs the path. */
  readonly #parent: JsonReader | undefined;
  readonly #step: string | number;

  constructor(value: unknown, url: string, parent?: JsonReader, step: string | number = "") {
    this.value = value;
    this.url = url;
    this.#parent = parent;
    this.#step = step;
  }

  /**
   * The JSON path of this value (`$.datasets[3].dataset.fields`). Built on demand: a dataset
   * body is thousands of readers, and only a failed one needs its path.
   */
  get path(): string {
    const step = this.#step;
    if (!this.#parent) return "$";
    const segment =
      typeof step === "number"
        ? `[${step}]`
        : /^[A-Za-z_][A-Za-z0-9_]*$/.test(step)
          ? `.${step}`
          : `[${JSON.stringify(step)}]`;
    return this.#parent.path + segment;
  }

  at(key: string): JsonReader {
    const record = this.value as Record<string, unknown>;
    const child = Object.hasOwn(record, key) ? record[key] : undefined;
    return new JsonReader(child, this.url, this, key);
  }

  fail(expected: string): never {
    throw new ApiShapeError({ url: this.url, path: this.path, expected, got: this.value });
  }

  isMissing(): boolean {
    return this.value === null || this.value === undefined;
  }

  object(): Record<string, unknown> {
    const v = this.value;
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail("an object");
    return v as Record<string, unknown>;
  }

  array(): JsonReader[] {
    if (!Array.isArray(this.value)) this.fail("an array");
    return this.value.map((item, i) => new JsonReader(item, this.url, this, i));
  }

  /** An array, or `[]` when the key is absent or null (ODS sends null for empty lists). */
  optionalArray(): JsonReader[] {
    return this.isMissing() ? [] : this.array();
  }

  string(): string {
    if (typeof this.value !== "string") this.fail("a string");
    return this.value;
  }

  optionalString(): string | undefined {
    return this.isMissing() ? undefined : this.string();
  }

  /** Lenient text: numbers and booleans become strings, anything else absent. */
  text(): string | undefined {
    const v = this.value;
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return undefined;
  }

  number(): number {
    if (typeof this.value !== "number" || !Number.isFinite(this.value)) this.fail("a number");
    return this.value;
  }

  optionalNumber(): number | undefined {
    return this.isMissing() ? undefined : this.number();
  }

  /** Booleans as ODS sends them; absent means `fallback`. */
  flag(fallback: boolean): boolean {
    if (this.isMissing()) return fallback;
    if (typeof this.value !== "boolean") this.fail("a boolean");
    return this.value;
  }

  /** A list of strings, tolerating null and dropping non-string items (ODS sends `[""]`). */
  strings(): string[] {
    if (this.isMissing()) return [];
    if (typeof this.value === "string") return this.value === "" ? [] : [this.value];
    return this.array().flatMap((item) => {
      const s = item.text()?.trim();
      return s ? [s] : [];
    });
  }
}
