import {
  ARRAY,
  BigInteger,
  BooleanType,
  DateTime,
  DateType,
  Enum,
  Float,
  Integer,
  Interval,
  Json,
  LargeBinary,
  NullType,
  Numeric,
  SmallInteger,
  StringType,
  Text,
  Time,
  Uuid,
} from "../../types/type-constructors.ts";
import type { SqlType } from "../../types/sql-type.ts";
import { parseTypeName } from "../type-name.ts";

type TypeFactory = (args: readonly number[]) => SqlType<unknown>;

/** By `format_type()`'s spelling, arguments cut out (`character varying(50)` → `character varying`). */
const BY_NAME: Readonly<Record<string, TypeFactory>> = {
  integer: () => Integer,
  bigint: () => BigInteger,
  smallint: () => SmallInteger,
  "character varying": (args) => StringType(args[0]),
  character: (args) => StringType(args[0]),
  text: () => Text,
  boolean: () => BooleanType,
  "double precision": () => Float,
  real: () => Float,
  numeric: (args) => Numeric(args[0], args[1]),
  date: () => DateType,
  "timestamp without time zone": () => DateTime(),
  "timestamp with time zone": () => DateTime({ timezone: true }),
  "time without time zone": () => Time,
  "time with time zone": () => Time,
  interval: () => Interval,
  json: () => Json(),
  jsonb: () => Json(),
  uuid: () => Uuid,
  bytea: () => LargeBinary,
};

/**
 * A PostgreSQL column type as one of ours. An enum type (its labels read from `pg_enum`) becomes
 * `Enum(labels, { name })`; a type we have no constructor for (arrays, ranges, `inet`, domains)
 * is `NullType`, with the database's spelling kept in `typeName`.
 */
export function postgresqlTypeFromName(formatted: string, enumName: string | null, enumLabels: readonly string[] | null): SqlType<unknown> {
  if (enumLabels !== null && enumName !== null) return Enum(enumLabels, { name: enumName });
  // `integer[]`: PostgreSQL keeps no dimension count, so format_type() writes one `[]` for any.
  const array = /^(.*?)((?:\[\])+)$/.exec(formatted);
  if (array !== null) {
    const item = postgresqlTypeFromName(array[1] as string, null, null);
    return item === NullType ? NullType : ARRAY(item, { dimensions: Math.min(3, (array[2] as string).length / 2) as 1 | 2 | 3 });
  }
  const { base, args } = parseTypeName(formatted);
  return BY_NAME[base]?.(args) ?? NullType;
}
