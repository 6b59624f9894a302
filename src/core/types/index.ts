export { SqlType, type ComparisonOperator, type TypeDecoration, type TypeKind, type TypeOptions, type TypeOf } from "./sql-type.ts";
export { TypeDecorator, type TypeDecoratorOptions, type TypeDialectName } from "./type-decorator.ts";
export {
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
  type NestedArray,
} from "./type-constructors.ts";
