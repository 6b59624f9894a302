import type { SqlType } from "../types/sql-type.ts";
import { BigInteger, BooleanType, DateTime, Float, Integer, Json, LargeBinary, NullType, Text } from "../types/type-constructors.ts";

/** The SQL type of a plain JavaScript value bound without a column to compare with. */
export function inferType(value: unknown): SqlType<unknown> {
  switch (typeof value) {
    case "number":
      return Number.isInteger(value) ? Integer : Float;
    case "bigint":
      return BigInteger;
    case "string":
      return Text;
    case "boolean":
      return BooleanType;
    case "object":
      if (value === null) return NullType;
      if (value instanceof Date) return DateTime({ timezone: true });
      if (value instanceof Uint8Array) return LargeBinary;
      return Json();
    default:
      return NullType;
  }
}
