import {
  BigInteger,
  BooleanType,
  DateTime,
  DateType,
  Enum,
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
import { parseQuotedList, parseTypeName } from "../type-name.ts";

type TypeFactory = (args: readonly number[]) => SqlType<unknown>;

/** By `DATA_TYPE`, with `COLUMN_TYPE`'s arguments. */
const BY_NAME: Readonly<Record<string, TypeFactory>> = {
  int: () => Integer,
  integer: () => Integer,
  mediumint: () => Integer,
  bigint: () => BigInteger,
  smallint: () => SmallInteger,
  // BOOL is TINYINT(1); any other TINYINT is a small integer.
  tinyint: (args) => (args[0] === 1 ? BooleanType : SmallInteger),
  varchar: (args) => StringType(args[0]),
  char: (args) => StringType(args[0]),
  tinytext: () => Text,
  text: () => Text,
  mediumtext: () => Text,
  longtext: () => Text,
  double: () => Float,
  float: () => Float,
  real: () => Float,
  decimal: (args) => Numeric(args[0], args[1]),
  numeric: (args) => Numeric(args[0], args[1]),
  date: () => DateType,
  datetime: () => DateTime(),
  timestamp: () => DateTime(),
  time: () => Time,
  json: () => Json(),
  blob: () => LargeBinary,
  tinyblob: () => LargeBinary,
  mediumblob: () => LargeBinary,
  longblob: () => LargeBinary,
  binary: () => LargeBinary,
  varbinary: () => LargeBinary,
};

/**
 * A MySQL/MariaDB column type as one of ours, from `COLUMN_TYPE` (`varchar(50)`, `decimal(10,2)`,
 * `enum('a','b')`, `int(11) unsigned`). `isJson`: MariaDB's JSON is a LONGTEXT with a
 * `json_valid()` CHECK, which the caller has seen.
 */
export function mysqlTypeFromName(columnType: string, isJson: boolean): SqlType<unknown> {
  if (isJson) return Json();
  const { base, args } = parseTypeName(columnType);
  const name = base.replace(/ (unsigned|signed|zerofill)\b/g, "");
  if (name === "enum") return Enum(parseQuotedList(columnType.slice(columnType.indexOf("("))));
  return BY_NAME[name]?.(args) ?? NullType;
}
