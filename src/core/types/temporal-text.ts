/**
 * Dates, timestamps and intervals as the text databases read and write. Timestamps are always
 * written in UTC; text without an offset (SQLite, MySQL DATETIME, PostgreSQL TIMESTAMP) is read
 * as UTC, so a naive column holds the UTC wall clock of the `Date` it was given.
 */

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** `YYYY-MM-DD` of the date in UTC. */
export function formatUtcDate(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/**
 * `YYYY-MM-DD HH:MM:SS.fff` (or `.ffffff` with `micro`) in UTC: SQLite's own `datetime(…, 'subsec')`
 * form, which sorts as text and compares with `CURRENT_TIMESTAMP`; MySQL's DATETIME literal.
 */
export function formatUtcDateTime(date: Date, micro = false): string {
  const ms = pad(date.getUTCMilliseconds(), 3);
  return (
    `${formatUtcDate(date)} ${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:` +
    `${pad(date.getUTCSeconds(), 2)}.${micro ? `${ms}000` : ms}`
  );
}

/** A timestamp PostgreSQL reads for both TIMESTAMP and TIMESTAMPTZ (years before 1 written as BC). */
export function formatPostgresTimestamp(date: Date): string {
  const year = date.getUTCFullYear();
  if (year >= 1 && year <= 9999) return date.toISOString();
  const shifted = new Date(date.getTime());
  shifted.setUTCFullYear(year <= 0 ? 1 - year : year);
  return `${formatUtcDateTime(shifted)}+00${year <= 0 ? " BC" : ""}`;
}

const TIMESTAMP =
  /^(\d{4,})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?( BC)?$/;

/** The largest `Date`: PostgreSQL's `infinity` maps to it (and `-infinity` to the smallest). */
const INFINITE = 8.64e15;

/**
 * Reads `YYYY-MM-DD[ T]HH:MM[:SS[.fraction]][Z|±HH[:MM[:SS]]][ BC]` (or a bare date) into a
 * `Date`: without an offset the text is UTC. The fraction is cut to milliseconds.
 */
export function parseTimestamp(text: string): Date {
  const m = TIMESTAMP.exec(text);
  if (m === null) {
    if (text === "infinity") return new Date(INFINITE);
    if (text === "-infinity") return new Date(-INFINITE);
    return new Date(Number.NaN);
  }
  let year = Number(m[1]);
  if (m[9] !== undefined) year = 1 - year;
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  let time = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
  if (year >= 0 && year < 100) {
    // Date.UTC reads years 0–99 as 1900–1999.
    const d = new Date(time);
    d.setUTCFullYear(year);
    time = d.getTime();
  }
  const offset = m[8];
  if (offset !== undefined && offset !== "Z") {
    const digits = offset.slice(1).replace(/:/g, "");
    const seconds = Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || 0) * 60 + Number(digits.slice(4, 6) || 0);
    time -= (offset[0] === "-" ? -seconds : seconds) * 1000;
  }
  return new Date(time);
}

const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_DAY = 86_400 * MICROS_PER_SECOND;
/** PostgreSQL's own conversion of months and years to time (`extract(epoch from interval)`). */
const MICROS_PER_MONTH = 30 * MICROS_PER_DAY;
const MICROS_PER_YEAR = 365.25 * MICROS_PER_DAY;

const UNIT_MICROS: Readonly<Record<string, number>> = {
  year: MICROS_PER_YEAR,
  years: MICROS_PER_YEAR,
  mon: MICROS_PER_MONTH,
  mons: MICROS_PER_MONTH,
  day: MICROS_PER_DAY,
  days: MICROS_PER_DAY,
};

const POSTGRES_PART = /(-?\d+) (years?|mons?|days?)|([+-]?)(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/g;
const ISO_INTERVAL =
  /^P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)W)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?\d+)(?:\.(\d{1,6}))?S)?)?$/;

/**
 * A PostgreSQL interval as milliseconds, from its `postgres` output style (the default:
 * `1 year 2 mons -3 days -04:05:06.7`) or `iso_8601` (`P1Y2M-3DT-4H-5M-6.7S`). Months count
 * 30 days and years 365.25, as PostgreSQL's `extract(epoch …)` does.
 */
export function parsePostgresInterval(text: string): number {
  const iso = ISO_INTERVAL.exec(text);
  if (iso !== null) return isoMicros(iso) / 1000;
  let micros = 0;
  for (const m of text.matchAll(POSTGRES_PART)) {
    if (m[1] !== undefined) {
      micros += Number(m[1]) * (UNIT_MICROS[m[2] as string] as number);
    } else {
      const sign = m[3] === "-" ? -1 : 1;
      const fraction = m[7] === undefined ? 0 : Number(m[7].padEnd(6, "0"));
      micros += sign * ((Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6])) * MICROS_PER_SECOND + fraction);
    }
  }
  return micros / 1000;
}

function isoMicros(m: RegExpExecArray): number {
  const n = (i: number) => Number(m[i] ?? 0);
  const seconds = n(7);
  const fraction = m[8] === undefined ? 0 : Number(m[8].padEnd(6, "0")) * (m[7]?.startsWith("-") ? -1 : 1);
  return (
    n(1) * MICROS_PER_YEAR +
    n(2) * MICROS_PER_MONTH +
    (n(3) * 7 + n(4)) * MICROS_PER_DAY +
    (n(5) * 3600 + n(6) * 60 + seconds) * MICROS_PER_SECOND +
    fraction
  );
}
