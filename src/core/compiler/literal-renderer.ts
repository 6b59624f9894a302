import { ArgumentError } from "../../shared/errors.ts";
import type { SqlType } from "../types/sql-type.ts";

/** What decides how a literal is written, beyond the value: whether backslash escapes (MySQL). */
export interface LiteralStyle {
  readonly backslashEscapes: boolean;
}

const NUMERIC_KINDS = new Set(["integer", "smallint", "bigint", "numeric", "float"]);
const NUMERIC_TEXT = /^-?\d+(?:\.\d+)?$/;

/**
 * A value written as an SQL literal (SQLAlchemy's `render_literal_value`), for `literalBinds`
 * display only. `value` is what the dialect would send (already bind-processed), so a Date on
 * SQLite is its text, a boolean 1/0. Strings are quoted with `''` for `'` (and `\\` for `\` where
 * backslash escapes); numeric text of a numeric type is written bare; negative numbers are
 * parenthesised, so a preceding `-` cannot make a `--` comment. A value that has no safe literal
 * (bytes, objects, NaN, a string holding NUL) is refused.
 *
 * ```ts
 * renderLiteral("it's", StringType(), { backslashEscapes: false })  // 'it''s'
 * ```
 */
export function renderLiteral(value: unknown, type: SqlType<unknown>, style: LiteralStyle): string {
  if (value === null || value === undefined) return "NULL";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) break;
      return number(String(value));
    case "bigint":
      return number(String(value));
    case "string":
      if (value.includes("\u0000")) {
        throw new ArgumentError("Don't know how to render literal SQL value: a string holding NUL (U+0000)");
      }
      if (NUMERIC_KINDS.has(type.kind) && NUMERIC_TEXT.test(value)) return number(value);
      return quoted(value, style);
    case "object":
      if (value instanceof Date && !Number.isNaN(value.getTime())) return quoted(value.toISOString(), style);
      break;
  }
  throw new ArgumentError(`Don't know how to render literal SQL value: ${describe(value)}`);
}

function number(text: string): string {
  return text.startsWith("-") ? `(${text})` : text;
}

function quoted(text: string, style: LiteralStyle): string {
  const doubled = text.replace(/'/g, "''");
  return `'${style.backslashEscapes ? doubled.replace(/\\/g, "\\\\") : doubled}'`;
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (typeof value === "number") return String(value);
  if (value instanceof Date) return "Invalid Date";
  return typeof value === "object" && value !== null ? (value.constructor?.name ?? "object") : typeof value;
}
