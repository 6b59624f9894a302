export { SqlType, type TypeDecoration, type TypeKind, type TypeOptions, type TypeOf } from "./sql-type.ts";
export { TypeDecorator, type TypeDecoratorOptions, type TypeDialectName } from "./type-decorator.ts";
export {
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
} from "./type-constructors.ts";
