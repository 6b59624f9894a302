import { type TypeProcessing, type TypeProcessingTable, type ValueProcessor, typeProcessingFrom } from "../dialect.ts";
import type { SqlType } from "../../types/sql-type.ts";
import { formatPostgresArray, parsePostgresArray } from "../../types/postgres-array-text.ts";
import { formatPostgresTimestamp, parsePostgresInterval, parseTimestamp } from "../../types/temporal-text.ts";
import {
  badValue,
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
 * How values travel to PostgreSQL (pg and PGlite alike): results arrive as the server's text
 * output, so every non-text type has a reader; parameters go as text the server parses (the
 * drivers turn numbers and booleans into text, and bytes into bytea). Timestamps are written in
 * UTC and read with whatever offset the session's TimeZone gave them; TIMESTAMP without time zone
 * holds the UTC wall clock. Intervals are milliseconds, read from the default `postgres` style
 * (or `iso_8601`).
 */
const table: TypeProcessingTable = {
  integer: { bind: integerBind, result: numberResult },
  smallint: { bind: integerBind, result: numberResult },
  bigint: {
    bind: (type) => (value) => String(toInt64(type, value)),
    result: () => (value) => BigInt(value as string),
  },
  string: { bind: textBind },
  text: { bind: textBind },
  boolean: {
    bind: (type) => (value) => toBoolean(type, value),
    result: () => (value) => value === "t" || value === true,
  },
  float: { bind: (type) => (value) => toFloat(type, value, "all"), result: numberResult },
  numeric: { bind: (type) => (value) => toDecimalText(type, value) },
  date: { bind: (type) => (value) => toDateText(type, value) },
  datetime: {
    bind: (type) => (value) => formatPostgresTimestamp(toValidDate(type, value)),
    result: () => (value) => parseTimestamp(value as string),
  },
  time: { bind: (type) => (value) => toTimeText(type, value) },
  interval: {
    bind: (type) => (value) => `${toMicroseconds(type, value)} microseconds`,
    result: () => (value) => parsePostgresInterval(value as string),
  },
  json: {
    bind: (type) => (value) => toJsonText(type, value),
    result: () => (value) => JSON.parse(value as string),
  },
  uuid: { bind: (type) => (value) => toUuidText(type, value) },
  binary: {
    bind: (type) => (value) => toBuffer(type, value),
    result: () => (value) => Buffer.from((value as string).slice(2), "hex"),
  },
  enum: { bind: (type) => (value) => toEnumValue(type, value) },
  array: {
    bind: (type) => {
      const item = arrayItemType(type);
      const process = postgresqlTypeProcessing.bind(item) ?? ((value: unknown) => value);
      return (value) => {
        if (!Array.isArray(value)) throw badValue(type, value, "an ARRAY column takes an array");
        return formatPostgresArray(value, process);
      };
    },
    result: (type) => {
      const process = postgresqlTypeProcessing.result(arrayItemType(type)) ?? ((value: unknown) => value);
      return (value) => (Array.isArray(value) ? value : parsePostgresArray(value as string, process));
    },
  },
  null: {},
};

function arrayItemType(type: SqlType<unknown>): SqlType<unknown> {
  const item = type.options.item;
  if (item === undefined) throw badValue(type, undefined, "ARRAY needs an item type");
  return item;
}

function integerBind(type: SqlType<unknown>): ValueProcessor {
  return (value) => toSafeInteger(type, value);
}

function numberResult(): ValueProcessor {
  return (value) => Number(value);
}

function textBind(type: SqlType<unknown>): ValueProcessor {
  return (value) => {
    const text = toWellFormedText(type, value);
    // The server would refuse it too, but only after the statement was sent (and with an
    // encoding error that does not name the value).
    if (text.includes("\u0000")) throw badValue(type, value, "PostgreSQL text cannot contain a NUL character (U+0000)");
    return text;
  };
}

export const postgresqlTypeProcessing: TypeProcessing = typeProcessingFrom(table, "postgresql");
