import type { SqlType } from "./sql-type.ts";
import { BooleanType, Float, Integer, Json, Text } from "./type-constructors.ts";
import { TypeDecorator } from "./type-decorator.ts";

/**
 * The type of one bound element of a JSON path: PostgreSQL takes the key (or index) as is; MySQL
 * and SQLite take a JSONPath segment, `."key"` (quotes and backslashes escaped) or `[n]`, joined
 * after `$` in SQL. Bound, never spliced, whatever the key holds.
 */
export const JsonPathElement = TypeDecorator<string | number, string>({
  name: "JsonPathElement",
  impl: Text,
  processBindParam: (element, dialect) => {
    if (dialect === "postgresql") return String(element);
    if (typeof element === "number") return `[${element}]`;
    return `."${element.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  },
});

const JSON_ELEMENT = Json();
const READ_AS = { json: JSON_ELEMENT, text: Text, integer: Integer, float: Float, boolean: BooleanType } as const;

/** The type a JSON element has when read as `as` (JSON, or the scalar of `asString()` …). */
export function jsonElementType(as: keyof typeof READ_AS): SqlType<unknown> {
  return READ_AS[as];
}
