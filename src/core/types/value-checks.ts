import { StatementValueError } from "../../shared/errors.ts";
import type { SqlType } from "./sql-type.ts";
import { formatUtcDate } from "./temporal-text.ts";

/**
 * The checks every dialect's bind processing shares: each takes a value on its way to the
 * database and returns it in a normal form, or raises `StatementValueError` naming the type and
 * the value when the database could not give the same value back (SQLAlchemy's "Not a boolean
 * value", and the silent changes it allows: a float bound to INTEGER, a NaN into SQLite …).
 */

/** `Integer`, `Numeric(10, 2)`, `Enum(a, b)`: the type as a user declared it, for messages. */
export function describeType(type: SqlType<unknown>): string {
  const o = type.options;
  switch (type.kind) {
    case "integer":
      return "Integer";
    case "bigint":
      return "BigInteger";
    case "smallint":
      return "SmallInteger";
    case "string":
      return o.length === undefined ? "String" : `String(${o.length})`;
    case "numeric":
      return o.precision === undefined ? "Numeric" : `Numeric(${o.precision}, ${o.scale ?? 0})`;
    case "datetime":
      return o.timezone ? "DateTime(timezone)" : "DateTime";
    case "enum":
      return `Enum(${(o.values ?? []).join(", ")})`;
    case "binary":
      return "LargeBinary";
    case "null":
      return "NullType";
    default:
      return type.kind.charAt(0).toUpperCase() + type.kind.slice(1);
  }
}

export function badValue(type: SqlType<unknown>, value: unknown, why: string): StatementValueError {
  return new StatementValueError(`${describeType(type)} cannot store ${showValue(value)}: ${why}`);
}

function showValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : `Date(${value.toISOString()})`;
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (typeof value === "object" && value !== null) return value.constructor?.name ?? "object";
  return String(value);
}

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

/** A JavaScript number that is exactly an integer the database can hold; a safe `bigint` is accepted too. */
export function toSafeInteger(type: SqlType<unknown>, value: unknown): number {
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return value;
    if (Number.isInteger(value)) throw badValue(type, value, "beyond 2^53 a number is not exact; bind a bigint to a BigInteger");
    throw badValue(type, value, "not an integer");
  }
  if (typeof value === "bigint") {
    if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
    throw badValue(type, value, "beyond 2^53; declare the column BigInteger");
  }
  throw badValue(type, value, "expected a number");
}

/** A 64-bit integer as a `bigint` (from a `bigint`, or a number that is a safe integer). */
export function toInt64(type: SqlType<unknown>, value: unknown): bigint {
  if (typeof value === "bigint") {
    if (value < MIN_INT64 || value > MAX_INT64) throw badValue(type, value, "outside the 64-bit range");
    return value;
  }
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return BigInt(value);
    if (Number.isInteger(value)) throw badValue(type, value, "beyond 2^53 a number is not exact; pass a bigint");
    throw badValue(type, value, "not an integer");
  }
  throw badValue(type, value, "expected a bigint");
}

/** A floating-point number; NaN and ±Infinity only where the database stores them. */
export function toFloat(type: SqlType<unknown>, value: unknown, nonFinite: "all" | "infinity" | "none"): number {
  const n = typeof value === "bigint" ? Number(value) : value;
  if (typeof n !== "number") throw badValue(type, value, "expected a number");
  if (Number.isFinite(n) || nonFinite === "all") return n;
  if (Number.isNaN(n)) throw badValue(type, value, "this database cannot store NaN");
  if (nonFinite === "none") throw badValue(type, value, "this database cannot store Infinity");
  return n;
}

const DECIMAL = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * An exact decimal as text: a decimal string as given, or a finite number / bigint written out.
 * With a `scale` (the declared one, or what the database assumes when none is declared), a value
 * with more decimal places is refused: the database would round it.
 */
export function toDecimalText(type: SqlType<unknown>, value: unknown, scale: number | undefined = declaredScale(type)): string {
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "bigint") return String(value);
  else if (typeof value === "number" && Number.isFinite(value)) text = String(value);
  else throw badValue(type, value, "expected a decimal string");
  const m = DECIMAL.exec(text);
  if (m === null || (m[1] === "" && (m[2] ?? "") === "")) throw badValue(type, value, "not a decimal number");
  if (scale !== undefined && decimalPlaces(m[1] as string, m[2] ?? "", Number(m[3] ?? 0)) > scale) {
    throw badValue(type, value, `more than ${scale} decimal places; the database would round it`);
  }
  return text;
}

/** `Numeric(p, s)` keeps `s` places, `Numeric(p)` none (SQL's default scale), `Numeric()` any. */
export function declaredScale(type: SqlType<unknown>): number | undefined {
  const o = type.options;
  return o.scale ?? (o.precision === undefined ? undefined : 0);
}

/** How many decimal places `int.frac × 10^exponent` needs (trailing zeros need none). */
function decimalPlaces(int: string, frac: string, exponent: number): number {
  const digits = `${int}${frac}`.replace(/0+$/, "");
  if (digits === "" || /^0*$/.test(digits)) return 0;
  const trimmed = `${int}${frac}`.length - digits.length;
  return Math.max(0, frac.length - trimmed - exponent);
}

/** `true` / `false` (0 and 1 are accepted, as SQLAlchemy does); anything else is an error. */
export function toBoolean(type: SqlType<unknown>, value: unknown): boolean {
  if (value === true || value === 1) return true;
  if (value === false || value === 0) return false;
  throw badValue(type, value, "not a boolean value");
}

/** A valid `Date`. */
export function toValidDate(type: SqlType<unknown>, value: unknown): Date {
  if (!(value instanceof Date)) throw badValue(type, value, "expected a Date");
  if (Number.isNaN(value.getTime())) throw badValue(type, value, "Invalid Date");
  return value;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date as `YYYY-MM-DD` (a `Date` gives its UTC date). */
export function toDateText(type: SqlType<unknown>, value: unknown): string {
  if (typeof value === "string") {
    // Date.parse rolls 2023-02-30 over into March; formatting it back catches that.
    if (DATE_ONLY.test(value) && formatUtcDate(new Date(Date.parse(`${value}T00:00:00Z`))) === value) return value;
    throw badValue(type, value, "not a calendar date YYYY-MM-DD");
  }
  if (value instanceof Date) return formatUtcDate(toValidDate(type, value));
  throw badValue(type, value, "expected a YYYY-MM-DD string");
}

const TIME = /^\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?$/;

/** A time of day as `HH:MM[:SS[.ffffff]]`. */
export function toTimeText(type: SqlType<unknown>, value: unknown): string {
  if (typeof value === "string" && TIME.test(value)) return value;
  throw badValue(type, value, "expected HH:MM:SS[.ffffff]");
}

/** Text that survives the trip: a lone UTF-16 surrogate would be replaced on the way to UTF-8. */
export function toWellFormedText(type: SqlType<unknown>, value: unknown): string {
  if (typeof value !== "string") throw badValue(type, value, "expected a string");
  if (!(value as WellFormed).isWellFormed()) throw badValue(type, value, "contains a lone UTF-16 surrogate");
  return value;
}

type WellFormed = string & { isWellFormed(): boolean };

/** One of the enum's values. */
export function toEnumValue(type: SqlType<unknown>, value: unknown): string {
  const values = type.options.values ?? [];
  if (typeof value === "string" && values.includes(value)) return value;
  throw badValue(type, value, `not one of the enum's values (${values.join(", ")})`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID in its canonical lower-case hyphenated form (how PostgreSQL returns it). */
export function toUuidText(type: SqlType<unknown>, value: unknown): string {
  if (typeof value === "string" && UUID.test(value)) return value.toLowerCase();
  throw badValue(type, value, "expected a UUID like 123e4567-e89b-12d3-a456-426614174000");
}

/** Bytes as a `Buffer` (a view on the same memory when given a plain `Uint8Array`). */
export function toBuffer(type: SqlType<unknown>, value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw badValue(type, value, "expected a Uint8Array");
}

/** JSON text; values JSON cannot carry (bigint, NaN, Infinity) are refused rather than turned into null. */
export function toJsonText(type: SqlType<unknown>, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === "number" && !Number.isFinite(v)) throw badValue(type, value, `JSON has no ${v}`);
      return v;
    });
  } catch (error) {
    if (error instanceof Error && error.name === "StatementValueError") throw error;
    throw badValue(type, value, error instanceof Error ? error.message : String(error));
  }
  if (text === undefined) throw badValue(type, value, "not a JSON value");
  return text;
}

/** An interval in milliseconds as whole microseconds (the databases' resolution). */
export function toMicroseconds(type: SqlType<unknown>, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw badValue(type, value, "expected a finite number of milliseconds");
  const micros = Math.round(value * 1000);
  if (!Number.isSafeInteger(micros)) throw badValue(type, value, "too large");
  return micros;
}
