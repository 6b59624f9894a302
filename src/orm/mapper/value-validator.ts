import { ArgumentError } from "../../shared/errors.ts";
import type { SqlType } from "../../core/types/sql-type.ts";

/**
 * Checks a value assigned to a mapped column against the column's SQL type; SQL expressions pass.
 * A custom type that converts values (`TypeDecorator` with `processBindParam`) takes any value:
 * its conversion's result is checked when it is bound.
 */
export function validatorFor(type: SqlType<unknown>, name: () => string, nullable: boolean): (value: unknown) => void {
  const accepts = type.decoration?.processBindParam !== undefined ? () => true : ACCEPTS[type.kind];
  return (value) => {
    if (value === null || value === undefined) {
      if (nullable || value === null) return;
    } else if (accepts(value, type)) {
      return;
    }
    throw new ArgumentError(`${name()} takes ${EXPECTED[type.kind]}, got ${describe(value)}`);
  };
}

const isInteger = (v: unknown) => typeof v === "number" && Number.isInteger(v);

const ACCEPTS: Record<SqlType<unknown>["kind"], (value: unknown, type: SqlType<unknown>) => boolean> = {
  integer: isInteger,
  smallint: isInteger,
  bigint: (v) => typeof v === "bigint" || isInteger(v),
  string: (v) => typeof v === "string",
  text: (v) => typeof v === "string",
  uuid: (v) => typeof v === "string",
  boolean: (v) => typeof v === "boolean",
  float: (v) => typeof v === "number",
  numeric: (v) => typeof v === "string" || typeof v === "number",
  date: (v) => typeof v === "string",
  time: (v) => typeof v === "string",
  datetime: (v) => v instanceof Date,
  interval: (v) => typeof v === "number",
  json: () => true,
  binary: (v) => v instanceof Uint8Array,
  enum: (v, t) => typeof v === "string" && (t.options.values ?? []).includes(v),
  array: (v) => Array.isArray(v),
  null: () => true,
};

const EXPECTED: Record<SqlType<unknown>["kind"], string> = {
  integer: "an integer number",
  smallint: "an integer number",
  bigint: "a bigint or an integer number",
  string: "a string",
  text: "a string",
  uuid: "a UUID string",
  boolean: "a boolean",
  float: "a number",
  numeric: "a decimal string (or a number)",
  date: "a YYYY-MM-DD string",
  time: "an HH:MM:SS string",
  datetime: "a Date",
  interval: "a number of milliseconds",
  json: "a JSON value",
  binary: "a Uint8Array",
  enum: "one of the enum's values",
  array: "an array",
  null: "any value",
};

function describe(value: unknown): string {
  if (value === undefined) return "undefined (use null to clear a value)";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "object") return `an object of class ${(value as object).constructor?.name ?? "Object"}`;
  return `${typeof value} ${String(value)}`;
}
