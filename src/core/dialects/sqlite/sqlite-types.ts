import { type TypeProcessing, type TypeProcessingTable, type ValueProcessor, typeProcessingFrom } from "../dialect.ts";
import type { SqlType } from "../../types/sql-type.ts";
import { formatUtcDateTime, parseTimestamp } from "../../types/temporal-text.ts";
import {
  toBoolean,
  toBuffer,
  toDateText,
  toDecimalText,
  toEnumValue,
  toFloat,
  toInt64,
  toJsonText,
  toMicroseconds,
  toSafeInteger,
  toTimeText,
  toUuidText,
  toValidDate,
  toWellFormedText,
} from "../../types/value-checks.ts";

/**
 * How values travel through better-sqlite3. SQLite stores INTEGER, REAL, TEXT and BLOB, so:
 * booleans are 1/0; DateTime is UTC text `YYYY-MM-DD HH:MM:SS.fff` (with or without timezone);
 * Date, Time, Uuid, Json and Numeric are TEXT (Numeric must be a TEXT column: NUMERIC affinity
 * would turn `"1.10"` into a REAL); Interval is an INTEGER of microseconds. Integers come back as
 * `bigint` when the engine asked for exact integers, so every integer reader takes both.
 */
const table: TypeProcessingTable = {
  integer: { bind: integerBind, result: integerResult },
  smallint: { bind: integerBind, result: integerResult },
  bigint: {
    bind: (type) => (value) => toInt64(type, value),
    result: () => (value) => (typeof value === "bigint" ? value : BigInt(value as number | string)),
  },
  string: { bind: textBind },
  text: { bind: textBind },
  boolean: {
    bind: (type) => (value) => (toBoolean(type, value) ? 1 : 0),
    result: () => (value) => value !== 0 && value !== 0n && value !== "0",
  },
  float: {
    bind: (type) => (value) => toFloat(type, value, "infinity"),
    result: () => (value) => (typeof value === "number" ? value : Number(value)),
  },
  numeric: {
    bind: (type) => (value) => toDecimalText(type, value),
    result: () => (value) => (typeof value === "string" ? value : String(value)),
  },
  date: { bind: (type) => (value) => toDateText(type, value) },
  datetime: {
    bind: (type) => (value) => formatUtcDateTime(toValidDate(type, value)),
    result: () => (value) => (typeof value === "string" ? parseTimestamp(value) : value),
  },
  time: { bind: (type) => (value) => toTimeText(type, value) },
  interval: {
    bind: (type) => (value) => toMicroseconds(type, value),
    result: () => (value) => Number(value) / 1000,
  },
  json: {
    bind: (type) => (value) => toJsonText(type, value),
    result: () => (value) => (typeof value === "string" ? JSON.parse(value) : value),
  },
  uuid: { bind: (type) => (value) => toUuidText(type, value) },
  binary: { bind: (type) => (value) => toBuffer(type, value) },
  enum: { bind: (type) => (value) => toEnumValue(type, value) },
  // ARRAY is PostgreSQL's: the DDL refuses it here, so no value of it travels.
  array: {},
  null: {},
};

function integerBind(type: SqlType<unknown>): ValueProcessor {
  return (value) => toSafeInteger(type, value);
}

/** A `bigint` (exact-integer mode) becomes a number when that is exact; otherwise it stays a `bigint`. */
function integerResult(): ValueProcessor {
  return (value) => {
    if (typeof value === "number") return value;
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  };
}

function textBind(type: SqlType<unknown>): ValueProcessor {
  return (value) => toWellFormedText(type, value);
}

export const sqliteTypeProcessing: TypeProcessing = typeProcessingFrom(table, "sqlite");
