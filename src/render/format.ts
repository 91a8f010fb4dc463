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
  const numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 6 });
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
      // Counts and record values repeat from page to page, and Intl formatting is slow. A Map
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

/** Numbers remembered at most: record values are many and mostly unique. */
const MAX_REMEMBERED = 10_000;
