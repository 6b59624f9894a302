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
 * How values travel through mysql2 (configured with `dateStrings`, `supportBigNumbers` +
 * `bigNumberStrings`, `decimalNumbers: false`, `jsonStrings`): BIGINT and DECIMAL come back as
 * strings, DATETIME as `YYYY-MM-DD HH:MM:SS.ffffff` text (UTC by our convention, with or without
 * timezone), booleans as TINYINT 0/1, JSON as text, BLOBs as Buffers. Interval is a BIGINT of
 * microseconds. MySQL stores no NaN or Infinity.
 */
const table: TypeProcessingTable = {
  integer: { bind: integerBind, result: integerResult },
  smallint: { bind: integerBind, result: integerResult },
  bigint: {
    bind: (type) => (value) => String(toInt64(type, value)),
    result: () => (value) => BigInt(value as string | number),
  },
  string: { bind: textBind },
  text: { bind: textBind },
  boolean: {
    bind: (type) => (value) => (toBoolean(type, value) ? 1 : 0),
    result: () => (value) => value !== 0 && value !== "0" && value !== 0n,
  },
  float: {
    bind: (type) => (value) => toFloat(type, value, "none"),
    result: () => (value) => (typeof value === "number" ? value : Number(value)),
  },
  numeric: {
    // A DECIMAL declared without a scale keeps none on MySQL (bare DECIMAL is DECIMAL(10, 0)).
    bind: (type) => (value) => toDecimalText(type, value, type.options.scale ?? 0),
    result: () => (value) => (typeof value === "string" ? value : String(value)),
  },
  date: { bind: (type) => (value) => toDateText(type, value) },
  datetime: {
    bind: (type) => (value) => formatUtcDateTime(toValidDate(type, value), true),
    result: () => (value) => parseTimestamp(value as string),
  },
  time: {
    bind: (type) => (value) => toTimeText(type, value),
    // TIME(6) comes back padded (`13:45:56.000000`); trailing zeros go, as PostgreSQL writes it.
    result: () => (value) => (typeof value === "string" ? value.replace(FRACTION_ZEROS, trimFraction) : value),
  },
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

const FRACTION_ZEROS = /\.(\d*?)0+$/;

function trimFraction(_match: string, digits: string): string {
  return digits === "" ? "" : `.${digits}`;
}

function integerBind(type: SqlType<unknown>): ValueProcessor {
  return (value) => toSafeInteger(type, value);
}

/** INT arrives as a number; BIGINT and DECIMAL results (COUNT, SUM) as strings. */
function integerResult(): ValueProcessor {
  return (value) => (typeof value === "number" ? value : Number(value));
}

function textBind(type: SqlType<unknown>): ValueProcessor {
  return (value) => toWellFormedText(type, value);
}

export const mysqlTypeProcessing: TypeProcessing = typeProcessingFrom(table, "mysql");
