import {
  BigInteger,
  BooleanType,
  DateTime,
  DateType,
  Float,
  Integer,
  Json,
  LargeBinary,
  NullType,
  Numeric,
  SmallInteger,
  StringType,
  Text,
  Time,
} from "../../types/type-constructors.ts";
import type { SqlType } from "../../types/sql-type.ts";
import { parseTypeName } from "../type-name.ts";

type TypeFactory = (args: readonly number[]) => SqlType<unknown>;

const EXACT: Readonly<Record<string, TypeFactory>> = {
  integer: () => Integer,
  int: () => Integer,
  bigint: () => BigInteger,
  smallint: () => SmallInteger,
  varchar: (args) => StringType(args[0]),
  char: (args) => StringType(args[0]),
  character: (args) => StringType(args[0]),
  nvarchar: (args) => StringType(args[0]),
  "character varying": (args) => StringType(args[0]),
  text: () => Text,
  clob: () => Text,
  boolean: () => BooleanType,
  float: () => Float,
  real: () => Float,
  double: () => Float,
  "double precision": () => Float,
  numeric: (args) => Numeric(args[0], args[1]),
  decimal: (args) => Numeric(args[0], args[1]),
  date: () => DateType,
  datetime: () => DateTime(),
  timestamp: () => DateTime(),
  time: () => Time,
  blob: () => LargeBinary,
  json: () => Json(),
};

/**
 * A declared SQLite type as one of ours: by name first (the names our DDL and SQLAlchemy's
 * write), then by SQLite's own affinity rules (datatype3.html §3.1), as SQLAlchemy does. A column
 * declared without a type has none (`NullType`).
 */
export function sqliteTypeFromName(declared: string): SqlType<unknown> {
  const { base, args } = parseTypeName(declared);
  if (base === "") return NullType;
  const exact = EXACT[base];
  if (exact) return exact(args);
  const upper = base.toUpperCase();
  if (upper.includes("INT")) return Integer;
  if (upper.includes("CHAR") || upper.includes("CLOB") || upper.includes("TEXT")) return Text;
  if (upper.includes("BLOB")) return LargeBinary;
  if (upper.includes("REAL") || upper.includes("FLOA") || upper.includes("DOUB")) return Float;
  return Numeric();
}
