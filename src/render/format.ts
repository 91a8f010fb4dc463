/**
 * Dates and numbers for display, through Intl with a fixed locale and time zone so that two
 * builds on two machines print the same bytes. Formatters are built once per build.
 */
export interface Format {
  /** `2021-09-06T10:02:29+00:00` → "6 September 2021" (or "September 6, 2021"). */
  date(iso: string | undefined): string;
  /** With the time of day, for processing timestamps. */
  dateTime(iso: string): string;
  /** The calendar date in the site's time zone, for `<time datetime>`. */
  isoDate(iso: string): string;
  number(value: number): string;
  bytes(value: number): string;
}

export function createFormat(locale: string, timeZone: string): Format {
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    dateStyle: "long",
    timeStyle: "short",
    timeZone,
  });
  const isoFormat = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  const numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: MAX_DECIMALS });
  const plainNumber = plainNumbers(numberFormat);
  const oneDecimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const zone = timeZone === "UTC" ? " UTC" : ` (${timeZone})`;
  const days = new Map<string, string>();
  const dates = new Map<string, string>();
  const numbers = new Map<number, string>();
  const parse = (iso: string) => {
    // Date-only values are calendar dates, not instants: keep them on their day.
    const time = Date.parse(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
    return Number.isNaN(time) ? undefined : new Date(time);
  };
  return {
    date: (iso) => {
      if (!iso) return "";
      // Every listing a dataset is on prints its date again, and Intl formatting is slow.
      let text = dates.get(iso);
      if (text === undefined) {
        const d = parse(iso);
        text = d ? dateFormat.format(d) : iso;
        dates.set(iso, text);
      }
      return text;
    },
    dateTime: (iso) => {
      const d = parse(iso);
      return d ? dateTimeFormat.format(d) + zone : iso;
    },
    isoDate: (iso) => {
      // Listings, facets and the sitemap ask for the same dates over and over.
      let day = days.get(iso);
      if (day === undefined) {
        const d = parse(iso);
        day = !d ? iso : timeZone === "UTC" ? d.toISOString().slice(0, 10) : isoFormat.format(d);
        days.set(iso, day);
      }
      return day;
    },
    number: (value) => {
      const plain = plainNumber(value);
      if (plain !== undefined) return plain;
      // The rest repeat from page to page (long decimals), and Intl formatting is slow. A Map
      // takes -0 for 0, which Intl prints "-0": not remembered.
      if (Object.is(value, -0)) return numberFormat.format(value);
      let text = numbers.get(value);
      if (text === undefined) {
        if (numbers.size >= MAX_REMEMBERED) numbers.clear();
        text = numberFormat.format(value);
        numbers.set(value, text);
      }
      return text;
    },
    bytes: (value) => {
      const units = ["B", "kB", "MB", "GB"];
      let n = value;
      let unit = 0;
      while (n >= 1000 && unit < units.length - 1) {
        n /= 1000;
        unit++;
      }
      return `${oneDecimal.format(n)} ${units[unit]}`;
    },
  };
}

/** Numbers Intl formatted remembered at most: record values are many and mostly unique. */
const MAX_REMEMBERED = 10_000;

/**
 * `format`'s output, made without Intl, for the numbers it prints digit for digit: those
 * JavaScript writes without an exponent and with at most six decimals, which need no
 * rounding (Intl, like `String`, starts from the shortest decimal that reads back as the
 * same number). Undefined for any other number, and always when the locale groups digits
 * otherwise than by threes (Indian English, say): the samples below are checked against
 * Intl first. Record samples are mostly unique numbers: Intl's format was 2.5 to 4% of a
 * page's time in profiles.
 */
function plainNumbers(format: Intl.NumberFormat): (value: number) => string | undefined {
  const never = () => undefined;
  const parts = format.formatToParts(-1234567.5);
  const part = (type: Intl.NumberFormatPartTypes) => parts.find((p) => p.type === type)?.value;
  const group = part("group");
  const decimal = part("decimal");
  const minus = part("minusSign");
  if (group === undefined || decimal === undefined || minus === undefined) return never;
  // Some locales (Spanish, Italian) group only from five digits on.
  const groupFrom = format.format(1234).includes(group) ? 4 : 5;
  const plain = (value: number): string | undefined => {
    // -0 prints "-0" in Intl but "0" in String; Intl has its own signs for NaN and infinities.
    if (Object.is(value, -0) || !Number.isFinite(value)) return undefined;
    const text = String(value);
    if (text.includes("e")) return undefined;
    const negative = text.charCodeAt(0) === MINUS;
    const dot = text.indexOf(".");
    const digits = text.slice(negative ? 1 : 0, dot < 0 ? text.length : dot);
    if (dot >= 0 && text.length - dot - 1 > MAX_DECIMALS) return undefined;
    let grouped = digits;
    if (digits.length >= groupFrom) {
      let at = digits.length % 3 || 3;
      grouped = digits.slice(0, at);
      for (; at < digits.length; at += 3) grouped += group + digits.slice(at, at + 3);
    }
    return (negative ? minus : "") + grouped + (dot < 0 ? "" : decimal + text.slice(dot + 1));
  };
  const agrees = PLAIN_SAMPLES.every((n) => {
    const text = plain(n);
    return text === undefined || text === format.format(n);
  });
  return agrees ? plain : never;
}

const MINUS = "-".charCodeAt(0);
/** Decimals printed at most (the rest rounded). */
const MAX_DECIMALS = 6;
const PLAIN_SAMPLES = [
  ...[0, 7, -7, 12, 999, 1000, 1234, -1234, 12345, 123456, 1234567, 12345678, 1234567890123],
  ...[0.5, -0.25, 3.14, 1234.5, -98765.4321, 100000.000001, 2 ** 53, 1e20],
];
